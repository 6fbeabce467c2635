"""A ``.txt`` source: one URL a line; blank lines and ``#`` comments are ignored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path


def read(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            url = line.strip()
            if url and not url.startswith("#"):
                yield url
