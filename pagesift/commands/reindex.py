"""`pagesift reindex --reclean|--migrate|--rollback [--wait]`: rebuild the index without
downtime, or go back to the previous one. A rebuild runs in this process with a progress bar,
or on the workers with ``--job``; either way it is a job in the job store."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "reindex", help="rebuild the index without downtime (reclean, migrate) or roll back")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--reclean", action="store_const", const="reclean", dest="mode",
                      help="clean every raw page again with the current cleaner")
    mode.add_argument("--migrate", action="store_const", const="migrate", dest="mode",
                      help="copy the live index into the current mapping (mappings/pages.json)")
    mode.add_argument("--rollback", action="store_const", const="rollback", dest="mode",
                      help="point the aliases back at the previous index")
    parser.add_argument("--wait", action="store_true",
                        help="wait for a running reindex to finish instead of giving up "
                             "(with --job: follow the job to its end)")
    parser.add_argument("--job", action="store_true",
                        help="run on the workers (reclean, migrate): prints the job id. Either way "
                             "the rebuild is recorded as a job and listed in the console")
    parser.add_argument("--json", action="store_true",
                        help="end with the job and the result as JSON (for scripts) instead of a summary")
    parser.set_defaults(func=run)


class _Bar:
    """tqdm behind the progress interface the rebuild reports to."""

    def __init__(self, label: str) -> None:
        from tqdm import tqdm

        self._bar = tqdm(desc=label, unit="page", file=sys.stderr)

    def total(self, count: int) -> None:
        self._bar.total = count
        self._bar.refresh()

    def advance(self, count: int) -> None:
        self._bar.update(count)

    def close(self) -> None:
        self._bar.close()


def run_as_job(args: argparse.Namespace) -> int:
    """Queue the rebuild for the workers, like the console does; exit as `pagesift ingest`."""
    from indexer import config
    from pagesift.commands.ingest import follow
    from worker import submit
    from worker.context import job_store

    settings = config.load()
    store = job_store(settings)
    job = submit.reindex(submit.producer(settings), store.records, args.mode)
    print(job.id, flush=True)
    return follow(store, job.id, as_json=args.json) if args.wait else 0


def run(args: argparse.Namespace) -> int:
    if args.mode == "rollback" and args.job:
        print("pagesift reindex: --rollback is quick and runs here; drop --job", file=sys.stderr)
        return 2
    return run_as_job(args) if args.job else run_here(args)


def run_here(args: argparse.Namespace) -> int:
    """The rebuild in this process with a progress bar, recorded as a job like any other (so
    the console lists it); exit as `pagesift ingest --wait`."""
    from indexer import config
    from indexer.es import make_client
    from pagesift import report
    from worker import redis_dbs, reindex_job
    from worker.jobs import JobStore

    settings = config.load()
    # The jobs database: the job store, and the same lock the workers' reindex jobs take.
    redis = redis_dbs.client(settings.redis.url, redis_dbs.JOBS)
    store = JobStore(redis, settings.redis.namespace)
    bar = _Bar(args.mode)
    try:
        job_id, result = reindex_job.run_here(store, make_client(settings.es), redis, settings, args.mode,
                                              "the command line (pagesift reindex)", wait=args.wait,
                                              also=bar, announce=_announce)
    finally:
        bar.close()
    done = store.records.get(job_id)
    assert done is not None
    if args.json:
        print(json.dumps({"job": done.to_dict(), "result": result.summary() if result else None}, indent=2))
    else:
        for line in _ending(done):
            print(line)
    return report.exit_status(done)


def _announce(job_id: str) -> None:
    print(f"job {job_id}", file=sys.stderr, flush=True)


def _ending(job: Any) -> list[str]:
    from pagesift import report

    lines = report.reindex_result(job.params["result"]) if job.params.get("result") else []
    return [*lines, *report.summary(job, [])]
