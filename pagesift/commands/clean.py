"""`pagesift clean`: clean HTML files and print one JSON object per file (JSON Lines)."""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_SUFFIXES = (".html", ".htm", ".gz")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "clean", help="extract title, main content and facets from HTML files (JSON Lines)")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="an .html/.htm/.gz file, a directory (walked recursively), or -")
    parser.add_argument("--url", help="the page's URL (only with a single input file)")
    parser.add_argument("--rules", help="per-site rules file (TOML; default from configuration)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from indexer import config
    from indexer.clean import CleanError, Rules, clean, keep_models_in, load_rules

    sources = list(_sources(args.paths))
    if args.url and len(sources) != 1:
        print("pagesift clean: --url goes with a single input file", file=sys.stderr)
        return 2
    settings = config.load()
    keep_models_in(settings.cache_dir)
    rules_file = args.rules or settings.clean.rules_file
    try:
        rules: Rules | None = load_rules(rules_file) if rules_file else None
    except CleanError as exc:
        print(f"pagesift clean: {exc}", file=sys.stderr)
        return 2
    failed = False
    for source in sources:
        try:
            raw = _read(source, settings.clean.max_bytes)
            page = clean(raw, url=args.url, rules=rules, max_bytes=settings.clean.max_bytes,
                         time_budget=settings.clean.time_budget)
            record: dict[str, Any] = {"source": source, **page.to_dict()}
        except CleanError as exc:
            failed, record = True, {"source": source, "error": str(exc)}
        except OSError as exc:
            failed, record = True, {"source": source, "error": f"io_error: {exc}"}
        print(json.dumps(record, ensure_ascii=False), flush=True)
    return 1 if failed else 0


def _sources(paths: list[str]) -> Iterator[str]:
    """Inputs in the order given; a directory's HTML files in sorted order, recursively."""
    for path in paths:
        if path != "-" and Path(path).is_dir():
            found = (p for p in sorted(Path(path).rglob("*")) if p.is_file())
            yield from (str(p) for p in found if p.name.lower().endswith(_SUFFIXES))
        else:
            yield path


def _read(source: str, max_bytes: int) -> bytes:
    # Read one byte past the cap so the cleaner reports the page as too large, while a
    # gzip bomb or a huge file never lands in memory whole.
    limit = max_bytes + 1
    if source == "-":
        return sys.stdin.buffer.read(limit)
    if source.lower().endswith(".gz"):
        try:
            with gzip.open(source, "rb") as stream:
                return stream.read(limit)
        except (gzip.BadGzipFile, EOFError) as exc:
            raise OSError(f"{source}: not valid gzip data ({exc})") from exc
    with open(source, "rb") as stream:
        return stream.read(limit)
