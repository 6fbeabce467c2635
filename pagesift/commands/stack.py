"""`pagesift up`, `down`, `status`: the local stack."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    up = subparsers.add_parser("up", help="start the local services in the background")
    down = subparsers.add_parser("down", help="stop the local services")
    status = subparsers.add_parser("status", help="show each service (exit 3 unless all are up)")
    for parser in (up, down, status):
        parser.add_argument("--only", action="append", metavar="SERVICE",
                            help="limit to this service (repeatable)")
    up.set_defaults(func=run_up)
    down.set_defaults(func=run_down)
    status.set_defaults(func=run_status)


def run_up(args: argparse.Namespace) -> int:
    from indexer import config
    from pagesift.stack import services
    from pagesift.stack.process import ServiceError

    settings = config.load()
    try:
        services.up(settings, args.only)
    except ServiceError as exc:
        print(f"pagesift up: {exc}", file=sys.stderr)
        return 1
    print(f"search page: http://{settings.web.host}:{settings.web.port}/")
    return 0


def run_down(args: argparse.Namespace) -> int:
    from indexer import config
    from pagesift.stack import services

    services.down(config.load(), args.only)
    return 0


def run_status(args: argparse.Namespace) -> int:
    from indexer import config
    from pagesift.stack import services

    return 0 if services.status(config.load(), args.only) else 3
