"""`pagesift jobs`: list jobs, show one, retry its failed pages, cancel it."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from worker.jobs import Job, JobStore


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("jobs", help="list ingest and reindex jobs; show, retry or cancel one")
    parser.add_argument("--limit", type=int, default=20, help="how many recent jobs to list")
    parser.set_defaults(func=run_list)
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    show = actions.add_parser("show", help="a job's details, skip reasons and failures")
    show.add_argument("job_id", metavar="ID")
    show.add_argument("--pages", choices=("all", "failed", "skipped", "indexed", "queued", "running"),
                      help="list the job's pages in this state (JSON Lines)")
    show.add_argument("--json", action="store_true",
                      help="the job as one JSON object, as the admin API returns it (for scripts)")
    show.set_defaults(func=run_show)
    retry = actions.add_parser("retry", help="re-enqueue the job's failed pages alone")
    retry.add_argument("job_id", metavar="ID")
    retry.add_argument("--wait", action="store_true", help="follow the job to its end")
    retry.set_defaults(func=run_retry)
    cancel = actions.add_parser("cancel", help="stop a queued or running job")
    cancel.add_argument("job_id", metavar="ID")
    cancel.set_defaults(func=run_cancel)


def _store() -> JobStore:
    from indexer import config
    from worker.context import job_store

    return job_store(config.load())


def run_list(args: argparse.Namespace) -> int:
    from pagesift import report

    for line in report.table(_store().records.recent(args.limit)):
        print(line)
    return 0


def _job(store: JobStore, job_id: str) -> Job | None:
    job = store.records.get(job_id)
    if job is None:
        print(f"pagesift jobs: no job {job_id!r} (finished jobs expire after 30 days)", file=sys.stderr)
    return job


def run_show(args: argparse.Namespace) -> int:
    from pagesift import report

    store = _store()
    job = _job(store, args.job_id)
    if job is None:
        return 2
    pages = store.ledger.pages(job.id)
    if args.pages:
        for page in pages:
            if args.pages in ("all", page.state):
                print(json.dumps(page.__dict__, ensure_ascii=False))
        return 0
    if args.json:
        print(json.dumps(job.to_dict(), ensure_ascii=False, indent=2))
        return 0
    for line in report.details(job, pages):
        print(line)
    return 0


def run_retry(args: argparse.Namespace) -> int:
    from indexer import config
    from pagesift.commands.ingest import follow
    from worker import submit

    settings = config.load()
    store = _store()
    job = _job(store, args.job_id)
    if job is None:
        return 2
    count = submit.retry(submit.producer(settings), store.ledger, job.id, settings.worker.ingest_batch_size)
    print(f"{job.id}: {count} failed page(s) re-enqueued")
    return follow(store, job.id) if args.wait and count else 0


def run_cancel(args: argparse.Namespace) -> int:
    store = _store()
    job = _job(store, args.job_id)
    if job is None:
        return 2
    if not store.records.cancel(job.id):
        print(f"pagesift jobs: job {job.id} is {job.status}; only queued or running jobs can be cancelled",
              file=sys.stderr)
        return 1
    print(f"{job.id}: cancelled")
    return 0
