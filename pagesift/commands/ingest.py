"""`pagesift ingest SOURCE...`: a job that fetches, cleans and indexes pages."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from worker.jobs import Job, JobStore


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "ingest", help="ingest a sitemap, URLs, a URL list (.txt), saved HTML or a WARC as a job",
        description="Prints the job id on its first line. Sources: an http(s) URL (a sitemap when it "
                    "answers <urlset>/<sitemapindex>; a site's root: its WordPress REST API when it "
                    "has one, else the sitemaps its robots.txt lists; else a page), a .txt file of URLs, "
                    "a .warc(.gz), or HTML files and folders (.html, .htm, .gz).")
    parser.add_argument("sources", nargs="+", metavar="SOURCE")
    parser.add_argument("--base-url",
                        help="URL of the folder of saved pages, for pages without a canonical link")
    parser.add_argument("--wordpress", action="store_true",
                        help="the URLs are pages of WordPress sites: read each site through its REST API "
                             "(a sync: only what changed since the last one), crawled if the API is closed")
    parser.add_argument("--wait", action="store_true",
                        help="follow the job; exit 0 all indexed or skipped, 3 finished with some "
                             "failures, 1 every page failed, 2 could not run")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import redis

    from indexer import config
    from pagesift import report
    from worker import submit
    from worker.context import job_store
    from worker.redis_dbs import redacted
    from worker.sources import SourceError

    settings = config.load()
    store = job_store(settings)
    try:
        job = submit.ingest(submit.producer(settings), store.records, args.sources, args.base_url,
                            wordpress=args.wordpress)
    except SourceError as exc:
        print(f"pagesift ingest: {exc}", file=sys.stderr)
        return report.EXIT_NOT_RUN
    except redis.exceptions.ConnectionError as exc:
        print(f"pagesift ingest: Redis at {redacted(settings.redis.url)} is not reachable: {exc}",
              file=sys.stderr)
        return report.EXIT_NOT_RUN
    print(job.id, flush=True)
    if not args.wait:
        return report.EXIT_OK
    return follow(store, job.id)


def follow(store: JobStore, job_id: str, *, as_json: bool = False) -> int:
    """Watch a job to its end, print its summary and failures (or, ``as_json``, the job as the
    admin API has it); the exit status says how it went."""
    import json

    from pagesift import report, watch

    try:
        job = watch.until_done(store.records, job_id, sys.stderr, sys.stderr.isatty())
    except watch.NotTaken as exc:
        print(f"pagesift: {exc}", file=sys.stderr)
        return report.EXIT_NOT_RUN
    job = _searchable(store, job)
    if as_json:
        print(json.dumps(job.to_dict(), ensure_ascii=False, indent=2))
    else:
        for line in report.summary(job, store.ledger.pages(job_id)):
            print(line)
    return report.exit_status(job)


def _searchable(store: JobStore, job: Job) -> Job:
    """The job once a search sent the moment this command returns finds its pages."""
    from indexer import config
    from indexer.es import make_client
    from indexer.index.names import IndexNames
    from worker.jobs.searchable import settle

    settings = config.load()
    alias = IndexNames.from_settings(settings.index).write_alias
    return settle(store.records, make_client(settings.es), alias, job)
