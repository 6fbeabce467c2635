"""Saved HTML on disk: which files count, and the URL each page is indexed under."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

SUFFIXES = (".html", ".htm", ".gz")
# The canonical link sits in <head>; this much of a file is enough to find it.
HEAD_BYTES = 256 * 1024


def html_files(root: Path) -> Iterator[Path]:
    """``root`` itself when a file, else its HTML files in sorted order, recursively."""
    if root.is_file():
        yield root
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name.lower().endswith(SUFFIXES):
            yield path


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The file's HTML, gunzipped for ``.gz``; at most ``limit`` bytes when given."""
    if path.name.lower().endswith(".gz"):
        with gzip.open(path, "rb") as stream:
            return stream.read(-1 if limit is None else limit)
    with path.open("rb") as stream:
        return stream.read(-1 if limit is None else limit)


class _Canonical(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.href: str | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "link" and self.href is None:
            values = dict(attrs)
            rels = (values.get("rel") or "").lower().split()
            if "canonical" in rels and values.get("href"):
                self.href = (values["href"] or "").strip()
        if tag == "body":
            self.done = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.done = True


def canonical_url(head: bytes) -> str | None:
    """The absolute http(s) canonical link of a page, if it declares one."""
    parser = _Canonical()
    text = head.decode("utf-8", "replace")
    for start in range(0, len(text), 8192):
        parser.feed(text[start:start + 8192])
        if parser.done or parser.href:
            break
    href = parser.href
    if href and urlsplit(href).scheme in ("http", "https") and urlsplit(href).netloc:
        return href
    return None


def page_url(path: Path, root: Path, base_url: str | None) -> str:
    """Canonical link, else ``base_url`` + the path relative to ``root``, else a ``file:`` URI."""
    found = canonical_url(read_bytes(path, HEAD_BYTES))
    if found:
        return found
    if base_url:
        relative = path.relative_to(root).as_posix() if root.is_dir() else path.name
        if relative.lower().endswith(".gz"):
            relative = relative[:-3]
        return urljoin(base_url.rstrip("/") + "/", quote(relative))
    return path.resolve().as_uri()
