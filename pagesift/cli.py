"""`pagesift` command line: one entry point, one module per command group.

Each module in :mod:`pagesift.commands` exposes ``register(subparsers)``; handlers import
their heavy dependencies lazily so that ``pagesift --help`` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Order is the order of `pagesift --help`.
COMMAND_MODULES: tuple[str, ...] = (
    "stack",
    "demo",
    "es",
    "config",
    "clean",
    "serve",
    "sample",
    "ingest",
    "jobs",
    "remove",
    "worker",
    "index",
    "reindex",
    "eval",
    "admin",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pagesift",
        description="Full-text search for a website's articles, backed by Elasticsearch.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"pagesift.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "func", None)
    if handler is None:
        parser.print_help()
        return 0 if args.command is None else 2
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
