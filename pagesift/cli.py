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
    "analytics",
    "admin",
)


# Commands a module registers under another name than its own.
OTHER_NAMES: dict[str, str] = {"up": "stack", "down": "stack", "status": "stack", "beat": "worker"}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of ``command`` alone: importing all the command
    modules costs about 70 ms, which a `pagesift clean` of one page would pay for nothing."""
    parser = argparse.ArgumentParser(
        prog="pagesift",
        description="Full-text search for a website's articles, backed by Elasticsearch.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    module = OTHER_NAMES.get(command or "", command)
    for name in (module,) if module in COMMAND_MODULES else COMMAND_MODULES:
        importlib.import_module(f"pagesift.commands.{name}").register(subparsers)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The command named first, when it is the first argument (options before it need the
    whole parser)."""
    return argv[0] if argv and not argv[0].startswith("-") else None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(_command(arguments))
    args = parser.parse_args(arguments)
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
