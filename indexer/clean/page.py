"""The cleaned page record handed to the indexer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Page:
    url: str | None
    title: str | None
    content: str
    description: str | None = None
    image: str | None = None
    categories: list[str] = field(default_factory=list)
    # Each category's path and its ancestors' ("World", "World > Europe"): indexer/category_paths.py.
    category_paths: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    type: str = "page"
    site_name: str | None = None
    kind: str = "article"
    noindex: bool = False
    nofollow: bool = False
    content_hash: str = ""
    word_count: int = 0
    # Which source decided the encoding, which extraction path ran, and so on.
    diagnostics: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable fields, in declaration order."""
        return asdict(self)
