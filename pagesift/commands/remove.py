"""`pagesift remove URL... --reason TEXT`: take pages down from search and the raw store, and
keep them out (the takedown list); `--reinstate` takes them off the list again."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "remove", help="take pages down: out of every index and the raw store, the reason logged")
    parser.add_argument("urls", nargs="+", metavar="URL")
    parser.add_argument("--reason", default="", help="why (kept in the takedown log the console shows)")
    parser.add_argument("--reinstate", action="store_true",
                        help="take the URLs off the takedown list: their next ingest indexes them again")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from indexer import config
    from indexer.es import make_client
    from indexer.index.documents import DocumentError
    from indexer.index.names import IndexNames
    from indexer.index.takedown_list import TakedownIncomplete, reinstate, remove
    from worker import redis_dbs

    settings = config.load()
    store = redis_dbs.client(settings.redis.url, redis_dbs.JOBS)
    if args.reinstate:
        try:
            listed = [url for url in args.urls if reinstate(store, settings.redis.namespace, url)]
        except DocumentError as exc:
            print(f"pagesift remove: {exc}", file=sys.stderr)
            return 2
        for url in args.urls:
            print(f"{url}: {'off the takedown list' if url in listed else 'was not on the takedown list'}")
        return 0 if len(listed) == len(args.urls) else 1
    if not args.reason.strip():
        print("pagesift remove: --reason must say why", file=sys.stderr)
        return 2
    es = make_client(settings.es, retries=1)
    names = IndexNames.from_settings(settings.index)
    missing = 0
    for url in args.urls:
        try:
            record = remove(es, names, store, settings.redis.namespace, url, args.reason.strip(),
                            by=f"cli:{getpass.getuser()}")
        except DocumentError as exc:
            print(f"pagesift remove: {exc}", file=sys.stderr)
            return 2
        except TakedownIncomplete as exc:
            print(f"pagesift remove: {exc}", file=sys.stderr)
            return 1
        where = ", ".join(record.indices + (["raw store"] if record.raw else [])) or "nowhere: not found"
        missing += not record.found
        print(f"{record.url}: removed from {where}")
        for copy in record.copies:
            print(f"  and its copy {copy}")
    return 1 if missing else 0
