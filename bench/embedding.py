"""Benchmark: what the article vectors cost, against the same work without them, same run.

- **Throughput**: the embedding model (``PAGESIFT_EMBEDDING_MODEL``, ``indexer.embedding``)
  over the cleaned texts of the dragnet dev pages, batch by batch as the Indexer calls it, in
  pages per CPU-second of this one process (pages/s per core), beside the cleaner's own pages
  per CPU-second on the same pages; and a reader's query embedded alone (ms).
- **Ingest slow-down**: `pagesift ingest` of the same local pages through two Celery workers
  of two processes each, one with ``PAGESIFT_EMBEDDING_MODEL=none`` (lexical only) and one with
  the model, each under its own prefix; rounds of 1,000 pages alternate which goes first, and
  the ratio is of the summed times to searchable (target: at most 1.25x).
- **Index size**: both indices force-merged to one segment, store bytes per document.

    PAGESIFT_ES_URL=... PAGESIFT_REDIS_URL=... .venv/bin/python bench/embedding.py [--pages 3000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import ingest  # noqa: E402
from bench.common import cpu, datasets  # noqa: E402
from bench.common.output import write_results  # noqa: E402
from indexer import config, embedding  # noqa: E402
from indexer.config import Settings, replaced  # noqa: E402

TARGET_SLOWDOWN = 1.25
QUERY_SAMPLES = 200
LEXICAL_ONLY = "none"


def throughput(model: str) -> dict[str, Any]:
    """The model and the cleaner over the same pages, CPU seconds of this process."""
    from indexer.clean import clean, warm_up
    from indexer.index.documents import from_page

    warm_up()
    embedder = embedding.load(model)
    assert embedder is not None
    pages = datasets.load("dragnet-train")
    started = time.process_time()
    cleaned = [clean(p.html.read_bytes(), url=f"https://bench.example/{n}") for n, p in enumerate(pages)]
    clean_cpu = time.process_time() - started
    texts = [embedding.article_text(from_page(page).source) for page in cleaned]
    started = time.process_time()
    for start in range(0, len(texts), 100):  # the Indexer's batches: a bulk chunk at a time
        embedder.embed(texts[start:start + 100])
    embed_cpu = time.process_time() - started
    queries = [t.split("\n", 1)[0][:60] for t in texts[:QUERY_SAMPLES]]
    started = time.perf_counter()
    for q in queries:
        embedder.embed_query(q)
    query_ms = 1000 * (time.perf_counter() - started) / len(queries)
    return {"pages": len(texts), "mean_text_chars": round(statistics.fmean(len(t) for t in texts)),
            "embed_pages_per_cpu_s": round(len(texts) / embed_cpu, 1),
            "clean_pages_per_cpu_s": round(len(texts) / clean_cpu, 1),
            "embed_share_of_clean_cpu": round(embed_cpu / clean_cpu, 3), "query_ms": round(query_ms, 3)}


@contextmanager
def worker(settings: Settings, log: Path) -> Iterator[int]:
    from pagesift.stack.worker import ping, settings_env, worker_argv

    node = f"{settings.redis.namespace}@bench"
    with log.open("ab") as out:
        proc = subprocess.Popen(worker_argv(settings, node, loglevel="WARNING"), env=settings_env(settings),
                                stdout=out, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while not ping(settings, node, timeout=1.0):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start; see {log}")
        yield proc.pid
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(60)


def slowdown(rounds: list[list[Path]], sides: dict[str, Settings], tmp: Path) -> dict[str, Any]:
    from indexer.es import make_client
    from worker import redis_dbs
    from worker.context import job_store

    es = make_client(sides[LEXICAL_ONLY].es, timeout=300)
    per_round: list[dict[str, Any]] = []
    try:
        with worker(sides[LEXICAL_ONLY], tmp / "lexical.log") as plain, \
                worker(sides["vectors"], tmp / "vectors.log") as vectors:
            pids = {LEXICAL_ONLY: plain, "vectors": vectors}
            for number, paths in enumerate(rounds):
                order = list(sides) if number % 2 == 0 else list(reversed(sides))
                row: dict[str, Any] = {}
                for name in order:
                    s = sides[name]
                    meter = cpu.Meter(es, redis_dbs.client(s.redis.url, redis_dbs.JOBS), pids[name])
                    row[name] = ingest.pipeline_round(paths, s, es, job_store(s), meter)
                per_round.append(row)
                print(f"round {number + 1}: lexical only {row[LEXICAL_ONLY]['seconds']} s, with vectors "
                      f"{row['vectors']['seconds']} s", flush=True)
        sizes = {name: store_bytes_per_doc(es, s) for name, s in sides.items()}
    finally:
        for s in sides.values():
            ingest.drop(es, s)
    seconds = {name: sum(r[name]["seconds"] for r in per_round) for name in sides}
    ratio = round(seconds["vectors"] / seconds[LEXICAL_ONLY], 3)
    return {"rounds": len(per_round), "seconds": {k: round(v, 1) for k, v in seconds.items()},
            "slowdown": ratio, "target": TARGET_SLOWDOWN, "meets_target": ratio <= TARGET_SLOWDOWN,
            "median_round_slowdown": round(statistics.median(
                r["vectors"]["seconds"] / r[LEXICAL_ONLY]["seconds"] for r in per_round), 3),
            "store_bytes_per_doc": sizes,
            "size_ratio": round(sizes["vectors"]["bytes_per_doc"] / sizes[LEXICAL_ONLY]["bytes_per_doc"], 3),
            "per_round": per_round}


def store_bytes_per_doc(es: Any, settings: Settings) -> dict[str, Any]:
    """One segment, so both sides are compared without merge-timing noise; sized by the disk
    usage analysis, which reads the files of the live commit only (store stats read right after
    a force merge can still count the merged-away segments' files), with the vectors' share."""
    index = settings.index.prefix
    es.indices.forcemerge(index=index, max_num_segments=1, wait_for_completion=True)
    es.indices.refresh(index=index)
    docs = es.count(index=index)["count"]
    usage = es.indices.disk_usage(index=index, run_expensive_tasks=True).body
    analysed = next(v for k, v in usage.items() if k != "_shards")
    store = analysed["store_size_in_bytes"]
    fields = analysed.get("fields", {})
    vectors = fields.get(embedding.FIELD, {}).get("knn_vectors_in_bytes", 0)
    source = fields.get("_source", {}).get("stored_fields_in_bytes", 0)
    return {"docs": docs, "store_bytes": store, "bytes_per_doc": _per(store, docs),
            "knn_vector_bytes_per_doc": _per(vectors, docs), "source_bytes_per_doc": _per(source, docs)}


def _per(total: int, docs: int) -> int | None:
    return round(total / docs) if docs else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    base = config.load(worker_concurrency=2)
    model = base.search.embedding_model
    print(f"model {model}", flush=True)
    speed = throughput(model)
    print(f"throughput: {speed}", flush=True)
    run = f"bench-emb-{uuid.uuid4().hex[:6]}"
    sides = {LEXICAL_ONLY: replaced(base, redis_namespace=f"{run}-lex", index_prefix=f"{run}-lex",
                                    embedding_model=LEXICAL_ONLY),
             "vectors": replaced(base, redis_namespace=f"{run}-vec", index_prefix=f"{run}-vec")}
    with tempfile.TemporaryDirectory(prefix="pagesift-bench-") as tmp:
        folder = Path(tmp) / "pages"
        ingest.write_pages(folder, args.pages)
        rounds = [sorted(d.glob("*.html")) for d in sorted(folder.iterdir())]
        slow = slowdown(rounds, sides, Path(tmp))
    report = {"benchmark": "embedding", "date": datetime.now(UTC).isoformat(timespec="seconds"),
              "model": model, "cores": len(os.sched_getaffinity(0)), "load_average": os.getloadavg(),
              "pages": args.pages, "throughput": speed, "ingest": slow}
    print(f"ingest with vectors / lexical only: {slow['slowdown']}x (target <= {TARGET_SLOWDOWN}x); "
          f"store bytes per doc {slow['store_bytes_per_doc']} ({slow['size_ratio']}x)", flush=True)
    if not args.no_write:
        write_results("embedding", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
