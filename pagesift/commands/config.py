"""`pagesift config`: show the effective configuration or its reference table."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("config", help="show the effective configuration")
    parser.add_argument("--markdown", action="store_true",
                        help="print the reference table of PAGESIFT_* variables")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from indexer import config

    if args.markdown:
        print(config.markdown_table(), end="")
        return 0
    for line in config.effective_lines(config.load()):
        print(line)
    return 0
