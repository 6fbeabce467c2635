"""`pagesift reindex --reclean|--migrate|--rollback [--wait]`: rebuild the index without
downtime, or go back to the previous one. Runs in this process with a progress bar."""

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
                        help="run on the workers as a job (reclean, migrate): prints the job id")
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

    if args.mode == "rollback":
        print("pagesift reindex: --rollback is quick and runs here; drop --job", file=sys.stderr)
        return 2
    settings = config.load()
    store = job_store(settings)
    job = submit.reindex(submit.producer(settings), store, args.mode)
    print(job.id, flush=True)
    return follow(store, job.id) if args.wait else 0


def run(args: argparse.Namespace) -> int:
    if args.job:
        return run_as_job(args)
    from indexer import config
    from indexer.es import make_client
    from indexer.index import reindex
    from indexer.index.locking import ReindexBusy
    from worker import redis_dbs

    settings = config.load()
    client = make_client(settings)
    # The jobs database: the same lock the console's and the workers' reindex jobs take.
    redis = redis_dbs.client(settings.redis_url, redis_dbs.JOBS)
    bar = _Bar(args.mode) if args.mode != "rollback" else None
    try:
        if args.mode == "rollback":
            result = reindex.rollback(client, redis, settings, wait=args.wait)
        else:
            rebuild = reindex.reclean if args.mode == "reclean" else reindex.migrate
            result = rebuild(client, redis, settings, wait=args.wait, progress=bar)
    except (ReindexBusy, reindex.ReindexError) as exc:
        print(f"pagesift reindex: {exc}", file=sys.stderr)
        return 2
    finally:
        if bar is not None:
            bar.close()
    print(json.dumps(result.summary(), indent=2))
    if not result.swapped:
        print(f"pagesift reindex: not swapped: {result.refused}", file=sys.stderr)
        return 1
    return 0
