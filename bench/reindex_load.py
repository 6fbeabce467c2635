"""Benchmark: a ``reclean`` rebuild under search load, against the same load without it.

The benchmark corpus (``pagesift sample corpus``; default 100,000 documents) is indexed under
its own prefix, with each document's page in the raw store, so the rebuild cleans every page
again (reused on later runs). gunicorn serves the search with the rate limit raised; wrk keeps
``--clients`` connections searching (the corpus's queries in turn):

- before: ``--seconds`` of searching alone (the baseline);
- during: searching for as long as ``reindex.reclean`` runs, new index, catch-up, alias swap.

Reports p50/p99 and throughput of both, their ratios, the failed searches (must be zero) and
the rebuild's pages per second. Writes bench/results/reindex_load.json.

    .venv/bin/python bench/reindex_load.py [--docs 100000] [--clients 50] [--seconds 30] [--drop]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import corpus_index, wrk  # noqa: E402
from bench.common.output import write_results  # noqa: E402
from bench.common.web import NO_RATE_LIMIT, gunicorn  # noqa: E402
from indexer import config  # noqa: E402
from indexer.es import make_client  # noqa: E402
from indexer.index import reindex  # noqa: E402
from worker import redis_dbs  # noqa: E402

# A search fails when answered with an error or not within this (latencies are reported).
PATIENCE = 30.0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    name = f"bench-reindex-{args.docs}"
    settings = config.load(index_prefix=name, redis_namespace=name, web_rate_limit=NO_RATE_LIMIT)
    es = make_client(settings.es, timeout=300)
    started = time.monotonic()
    corpus_index.load(es, settings, args.docs, raw=True)
    print(f"corpus of {args.docs:,} ready in {time.monotonic() - started:.0f}s", flush=True)
    try:
        report = measure(settings, es, args)
    finally:
        if args.drop:
            corpus_index.drop(es, settings)
    _print(report)
    if not args.no_write:
        write_results("reindex_load", report)
    return 0 if report["failed_searches_during"] == 0 and report["reindex"]["swapped"] else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50, help="open connections searching")
    parser.add_argument("--seconds", type=int, default=30, help="length of the baseline")
    parser.add_argument("--drop", action="store_true", help="delete the corpus afterwards")
    parser.add_argument("--no-write", action="store_true", help="do not write results JSON")
    return parser


def measure(settings: config.Settings, es: Any, args: argparse.Namespace) -> dict[str, Any]:
    redis = redis_dbs.client(settings.redis.url, redis_dbs.JOBS)
    queries = corpus_index.QUERIES
    with tempfile.TemporaryDirectory(prefix="pagesift-bench-") as tmp, \
            gunicorn(settings, Path(tmp) / "web.log") as base:
        wrk.run(base, queries, connections=args.clients, seconds=5, timeout=PATIENCE)  # warm-up
        before = wrk.run(base, queries, connections=args.clients, seconds=args.seconds, timeout=PATIENCE)
        during = wrk.WrkRun(base, queries, connections=args.clients, seconds=24 * 3600, timeout=PATIENCE)
        rebuilt = time.monotonic()
        try:
            result = reindex.reclean(es, redis, settings, wait=True)
        finally:
            seconds = time.monotonic() - rebuilt
            during.stop()
        loaded = during.result(120)
    summary = result.summary()
    return {
        "benchmark": "reindex_load", "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "docs": args.docs, "clients": args.clients, "mode": "reclean",
        "before": before.summary(), "during": loaded.summary(),
        "p50_ratio_during_vs_before": _ratio(loaded.latency_ms["p50"], before.latency_ms["p50"]),
        "p99_ratio_during_vs_before": _ratio(loaded.latency_ms["p99"], before.latency_ms["p99"]),
        "failed_searches_before": before.failed, "failed_searches_during": loaded.failed,
        "reindex": {"seconds": round(seconds, 1), "pages_per_s": round(args.docs / seconds, 1),
                    "swapped": summary["swapped"], "count": summary["count"], "refused": summary["refused"],
                    "failed": result.report.failed},
    }


def _ratio(during: float, before: float) -> float | None:
    return round(during / before, 2) if before else None


def _print(report: dict[str, Any]) -> None:
    print(f"{report['docs']:,} docs, {report['clients']} clients searching")
    for phase in ("before", "during"):
        s = report[phase]
        print(f"  {phase:<7} {s['rps']:>7.1f} searches/s  p50 {s['latency_ms']['p50']:>7.1f} ms  "
              f"p99 {s['latency_ms']['p99']:>7.1f} ms  failed {s['failed']}")
    r = report["reindex"]
    print(f"  reclean {r['seconds']}s ({r['pages_per_s']} pages/s), swapped {r['swapped']}, "
          f"count {r['count']}")
    print(f"  p50 during/before {report['p50_ratio_during_vs_before']}, "
          f"p99 {report['p99_ratio_during_vs_before']}")


if __name__ == "__main__":
    sys.exit(main())
