"""Benchmark: the product's ranking against plain BM25 on the CACM collection, same run.

CACM (../shared/data/relevance/cacm: 3,204 abstracts, 52 judged queries) is written as a site
of HTML pages (bench/common/cacm.py) and ingested through the real pipeline: `pagesift ingest
DIR --wait` with a Celery worker, under its own index prefix (kept between runs; rebuilt when
its size is wrong). Then every judged query, in full, goes two ways to the same alias:

- pagesift lexical and pagesift hybrid: `indexer.searching.search`, the call `/api/search`
  makes (``pagesift eval``'s path), in each mode; hybrid embeds the query with the configured
  model (the workers embedded the articles with it during the ingest);
- baseline: a plain BM25 ``multi_match`` over ``title`` and ``content``, sent as it is.

``--cv`` also reruns the product's path over a grid of its ranking constants and reports, for
the grid's best configuration, the in-sample figure beside the k-fold cross-validated one
(constants picked on k-1 folds of queries, scored on the held-out fold), and the same for the
hybrid fusion's constants (bench/common/fusion_grid.py). Writes bench/results/relevance.json;
targets: lexical nDCG@10 at least 1.10x the baseline, no judged query without a hit; hybrid at
least 1.15x the baseline and above lexical.

The typo section (on by default; ``--no-typos`` skips it) sends the same judged queries, and
a seeded sample of CACM's titles, clean and with generated typing errors (bench/common/typos.py,
``--typo-seeds``), through lexical, hybrid and plain BM25 (bench/common/typo_eval.py): nDCG@10
of the mistyped queries over the clean, and how often a mistyped title finds its own article in
the top 3 over how often the clean one does. Target (issue 30): both at least 0.97, with the
clean figures not falling. Item-by-item figures go in the JSON's ``typos`` part.

    .venv/bin/python bench/relevance.py [--cv] [--folds 4] [--rebuild]
                                        [--no-typos] [--typo-seeds 1 2 3] [--titles 200]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import cacm, crossval, fusion_grid, typo_eval  # noqa: E402
from bench.common.output import write_results  # noqa: E402
from indexer import config, embedding  # noqa: E402
from indexer.config import Settings  # noqa: E402
from indexer.query.ranking import DEFAULT  # noqa: E402
from indexer.relevance import evaluation  # noqa: E402
from indexer.relevance.judgments import Judged, load_trec  # noqa: E402

TARGET_RATIO = 1.10
HYBRID_TARGET_RATIO = 1.15
PREFIX = "bench-relevance-cacm"
# The constants the cross-validation chooses among (the default's values are in each list).
GRID: dict[str, tuple[Any, ...]] = {
    "title_weight": (1.0, 2.0, 3.0, 4.0),
    "proximity_boost": (0.0, 0.15, 0.3, 0.6),
    "proximity_slop": (0, 3),
    "all_words_boost": (0.0, 1000.0),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="also cross-validate the ranking constants")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--rebuild", action="store_true", help="ingest the collection again")
    parser.add_argument("--no-typos", action="store_true", help="skip the typo section")
    parser.add_argument("--typo-seeds", type=int, nargs="+", default=list(typo_eval.SEEDS),
                        help="the typo generator's seeds (figures averaged over them)")
    parser.add_argument("--titles", type=int, default=typo_eval.TITLES, help="titles searched")
    opts = parser.parse_args(argv)
    settings = config.load(index_prefix=PREFIX, redis_namespace=PREFIX, worker_concurrency=2)
    from indexer.es import make_client

    client = make_client(settings.es, timeout=120)
    with tempfile.TemporaryDirectory(prefix="pagesift-relevance-") as tmp:
        judged = judged_queries(Path(tmp))
        ingest = ensure_ingested(client, settings, Path(tmp), opts.rebuild)
    index = settings.index.prefix
    started = time.perf_counter()
    baseline = evaluation.evaluate("bm25", evaluation.bm25_ranker(client, index), judged)
    product = evaluation.evaluate("pagesift", evaluation.product_ranker(client, index, DEFAULT), judged)
    embedder = embedding.load(settings.search.embedding_model)
    hybrid = evaluation.evaluate("pagesift-hybrid", evaluation.product_ranker(
        client, index, DEFAULT, mode="hybrid", embedder=embedder), judged) if embedder else None
    seconds = time.perf_counter() - started
    ratio = round(product.means["ndcg@10"] / baseline.means["ndcg@10"], 3)
    report: dict[str, Any] = {
        "benchmark": "relevance", "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "collection": "CACM", "documents": ingest["documents"], "judged_queries": len(judged.judged_ids),
        "ingest": ingest, "ranking": asdict(DEFAULT),
        "pagesift": product.to_dict(), "baseline_bm25": baseline.to_dict(),
        "ratio_ndcg10": ratio, "ratio_mrr10": _ratio(product, baseline, "mrr@10"),
        "ratio_recall100": _ratio(product, baseline, "recall@100"),
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio >= TARGET_RATIO and not product.zero_hit,
        "eval_seconds": round(seconds, 1),
        "embedding_model": settings.search.embedding_model,
    }
    if hybrid is not None:
        report.update(_hybrid_figures(hybrid, product, baseline))
    print(f"nDCG@10 pagesift {product.means['ndcg@10']:.4f} vs BM25 {baseline.means['ndcg@10']:.4f}: "
          f"{ratio}x (target {TARGET_RATIO}x); zero-hit {len(product.zero_hit)} vs {len(baseline.zero_hit)}",
          flush=True)
    if opts.cv:
        report["cross_validation"] = cross_validate(client, index, judged, baseline, opts.folds)
        if embedder is not None:
            fetched = fusion_grid.fetch(client, index, judged, embedder)
            report["hybrid_cross_validation"] = fusion_grid.cross_validate(
                fetched, judged, baseline.means["ndcg@10"], opts.folds)
    if not opts.no_typos:
        typo_set = typo_eval.TypoSet(judged, typo_eval.sample_titles(cacm.titles(), opts.titles),
                                     tuple(opts.typo_seeds))
        report["typos"] = typo_figures(client, index, typo_set, embedder)
    write_results("relevance", report)
    return 0


def typo_figures(client: Any, index: str, typo_set: typo_eval.TypoSet,
                 embedder: embedding.Embedder | None) -> dict[str, Any]:
    """The product's path in each mode, and plain BM25, each clean and mistyped."""
    rankers = {"lexical": evaluation.product_ranker(client, index, DEFAULT)}
    if embedder is not None:
        rankers["hybrid"] = evaluation.product_ranker(client, index, DEFAULT, mode="hybrid",
                                                      embedder=embedder)
    rankers["bm25"] = evaluation.bm25_ranker(client, index)
    started = time.perf_counter()
    measured = {name: typo_eval.measure(rank, typo_set) for name, rank in rankers.items()}
    out = typo_eval.report(typo_set, measured)
    out["eval_seconds"] = round(time.perf_counter() - started, 1)
    for name in measured:
        q, t = out[name]["queries_ndcg10"], out[name][f"titles_top{typo_eval.TOP}"]
        print(f"typos {name}: nDCG@10 clean {q['clean']:.4f} mistyped {q['mistyped']:.4f} "
              f"(kept {q['kept']:.3f}); titles top-{typo_eval.TOP} clean {t['clean']:.3f} "
              f"mistyped {t['mistyped']:.3f} (kept {t['kept']:.3f}); target {typo_eval.TARGET_KEPT}",
              flush=True)
    return out


def _hybrid_figures(hybrid: evaluation.Report, lexical: evaluation.Report,
                    baseline: evaluation.Report) -> dict[str, Any]:
    ratio = round(hybrid.means["ndcg@10"] / baseline.means["ndcg@10"], 3)
    over_lexical = round(hybrid.means["ndcg@10"] / lexical.means["ndcg@10"], 3)
    print(f"nDCG@10 hybrid {hybrid.means['ndcg@10']:.4f}: {ratio}x BM25 (target {HYBRID_TARGET_RATIO}x), "
          f"{over_lexical}x lexical", flush=True)
    return {"hybrid": hybrid.to_dict(), "hybrid_ratio_ndcg10": ratio, "hybrid_over_lexical": over_lexical,
            "hybrid_target_ratio": HYBRID_TARGET_RATIO,
            "hybrid_meets_target": ratio >= HYBRID_TARGET_RATIO and over_lexical > 1.0}


def judged_queries(folder: Path) -> Judged:
    cacm.write_queries(folder / "queries.tsv")
    cacm.write_qrels(folder / "qrels.txt")
    doc_url = cacm.URL_TEMPLATE.replace("{docno}", "{doc_id}")
    return load_trec(folder / "qrels.txt", folder / "queries.tsv", doc_url)


def ensure_ingested(client: Any, settings: Settings, tmp: Path, rebuild: bool, *,
                    tagged: bool = False) -> dict[str, Any]:
    """The collection in the index through `pagesift ingest --wait`, unless it is there already
    (``tagged``: the pages with keywords and authors, bench/site_words.py)."""
    from indexer.index import lifecycle
    from indexer.index.names import IndexNames

    names = IndexNames.from_settings(settings.index)
    site = tmp / "site"
    pages = cacm.write_site(site, tagged=tagged)
    existing = lifecycle.current_index(client, names)
    if existing and not rebuild and client.count(index=existing)["count"] == pages:
        return {"documents": pages, "reused": existing}
    for index in [existing, names.raw] if existing else [names.raw]:
        client.options(ignore_status=404).indices.delete(index=index)
    started = time.perf_counter()
    with _worker(settings, tmp / "worker.log"):
        done = subprocess.run([sys.executable, "-m", "pagesift.cli", "ingest", str(site), "--base-url",
                               cacm.BASE_URL, "--wait"], env=_env(settings), cwd=REPO,
                              capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"pagesift ingest failed ({done.returncode}): {done.stdout}{done.stderr}")
    print(done.stdout.strip().splitlines()[-2] if done.stdout.strip() else "", flush=True)
    return {"documents": pages, "seconds": round(time.perf_counter() - started, 1),
            "summary": done.stdout.strip().splitlines()[1:]}


class _worker:
    """A Celery worker of the benchmark's namespace, for the ingest, stopped afterwards."""

    def __init__(self, settings: Settings, log: Path) -> None:
        self.settings, self.log = settings, log

    def __enter__(self) -> None:
        from pagesift.stack.worker import ping, worker_argv

        node = f"{self.settings.redis.namespace}@bench"
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(worker_argv(self.settings, node, loglevel="WARNING"),
                                         env=_env(self.settings), stdout=out, stderr=subprocess.STDOUT,
                                         cwd=REPO, start_new_session=True)
        deadline = time.monotonic() + 60
        while not ping(self.settings, node, timeout=1.0):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start; see {self.log}")

    def __exit__(self, *_exc: object) -> None:
        import os

        os.killpg(self.proc.pid, 15)
        self.proc.wait(60)


def _env(settings: Settings) -> dict[str, str]:
    from pagesift.stack.worker import settings_env

    return settings_env(settings)


def cross_validate(client: Any, index: str, judged: Judged, baseline: evaluation.Report,
                   folds: int) -> dict[str, Any]:
    """Every grid configuration once over all queries (per-query figures kept), then k-fold:
    the configuration best on k-1 folds is scored on the held-out one."""
    configs = [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]
    per_config: list[dict[str, float]] = []
    for n, values in enumerate(configs, 1):
        ranking = replace(DEFAULT, **values)
        rep = evaluation.evaluate(str(values), evaluation.product_ranker(client, index, ranking), judged)
        per_config.append({q: m["ndcg@10"] for q, m in rep.per_query.items()})
        print(f"  [{n}/{len(configs)}] {values}: nDCG@10 {rep.means['ndcg@10']:.4f}", flush=True)
    picked = crossval.select(list(judged.judged_ids), per_config, statistics.fmean, folds)
    held_out, in_sample = picked.held_out, picked.in_sample
    chosen = [configs[c] for c in picked.chosen]
    default_at = configs.index({k: getattr(DEFAULT, k) for k in GRID})
    base = baseline.means["ndcg@10"]
    cv = statistics.fmean(held_out.values())
    best_in = statistics.fmean(per_config[in_sample].values())
    default = statistics.fmean(per_config[default_at].values())
    print(f"cross-validated nDCG@10 {cv:.4f} ({cv / base:.3f}x BM25); in-sample best {best_in:.4f} "
          f"({best_in / base:.3f}x) with {configs[in_sample]}; default {default:.4f} ({default / base:.3f}x)")
    return {"folds": folds, "grid": {k: list(v) for k, v in GRID.items()}, "configurations": len(configs),
            "cv_ndcg10": round(cv, 4), "cv_ratio": round(cv / base, 3),
            "in_sample_best": configs[in_sample], "in_sample_best_ndcg10": round(best_in, 4),
            "in_sample_ratio": round(best_in / base, 3), "default_ndcg10": round(default, 4),
            "default_ratio": round(default / base, 3), "chosen_per_fold": chosen,
            "grid_means": [{**c, "ndcg@10": round(statistics.fmean(p.values()), 4)}
                           for c, p in zip(configs, per_config, strict=True)]}


def _ratio(a: evaluation.Report, b: evaluation.Report, key: str) -> float | None:
    return round(a.means[key] / b.means[key], 3) if b.means[key] else None


if __name__ == "__main__":
    sys.exit(main())
