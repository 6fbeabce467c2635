"""`make bench`: every benchmark, each against its baseline in the same run, then the table.

Runs the scripts one after another (never together: they would measure each other), each as
its own process with the environment's services, and writes docs/benchmarks.md's table from
bench/results/*.json (bench/report.py). A script's old results are removed before it runs, so
the table only ever shows figures of this run (or says the script failed).

    .venv/bin/python bench/run_all.py [--quick] [--only search reindex_load] [--docs 100000]

``--quick`` runs every script at small sizes: a smoke test of the whole chain, not figures.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"

# name: (release arguments, quick arguments). "{docs}" is the corpus size of --docs.
BENCHES: dict[str, tuple[list[str], list[str]]] = {
    "clean": (["--cv"], ["--limit", "30"]),
    "index": ([], ["--docs", "2000", "--rounds", "1"]),
    "ingest": ([], ["--pages", "300"]),
    "search": (["--docs", "{docs}"], ["--docs", "2000", "--queries", "200"]),
    "as_you_type": (["--docs", "{docs}"], ["--docs", "2000", "--queries", "10"]),
    "reindex_load": (["--docs", "{reindex_docs}"], ["--docs", "1000", "--seconds", "10", "--drop"]),
    "relevance": (["--cv"], []),
    "site_words": ([], []),
    "embedding": ([], ["--pages", "300"]),
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    outcomes: dict[str, str] = {}
    for name in args.only or list(BENCHES):
        release, quick = BENCHES[name]
        sizes = {"docs": args.docs, "reindex_docs": args.reindex_docs}
        extra = [a.format(**sizes) for a in (quick if args.quick else release)]
        (RESULTS / f"{name}.json").unlink(missing_ok=True)
        print(f"== {name} {' '.join(extra)}", flush=True)
        started = time.monotonic()
        script = REPO / "bench" / f"{name}.py"
        code = subprocess.run([sys.executable, str(script), *extra], cwd=REPO, check=False).returncode
        outcomes[name] = f"exit {code} in {time.monotonic() - started:.0f}s"
        print(f"== {name}: {outcomes[name]}", flush=True)
    sys.path.insert(0, str(REPO))
    from bench import report
    from indexer import config

    print(report.write(es_url=config.load().es.url))
    for name, outcome in outcomes.items():
        print(f"{name:<14} {outcome}")
    return 0 if all(o.startswith("exit 0") for o in outcomes.values()) else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test, not figures")
    parser.add_argument("--only", nargs="+", choices=list(BENCHES), help="run only these")
    parser.add_argument("--docs", type=int, default=100_000, help="corpus size of the search benchmark")
    parser.add_argument("--reindex-docs", type=int, default=100_000,
                        help="corpus size of the reindex-under-load benchmark (it cleans every page)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
