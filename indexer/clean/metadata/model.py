"""What one metadata source says about a page; every field is optional."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class Facts:
    title: str | None = None
    description: str | None = None
    image: str | None = None
    url: str | None = None
    site_name: str | None = None
    categories: list[str] = field(default_factory=list)
    # Categories with their ancestors: each a chain of names from the root down (see
    # indexer/category_paths.py); a source that knows no hierarchy leaves it empty.
    category_paths: list[tuple[str, ...]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    type: str | None = None
    # "article" or "listing" when the source says which it is.
    kind: str | None = None
    language: str | None = None


_TEXT_FIELDS = ("title", "description", "image", "url", "site_name", "published", "modified", "type",
                "kind", "language")
_LIST_FIELDS = ("categories", "tags", "authors")


def supplied(data: Mapping[str, Any]) -> Facts:
    """Facts a publisher states about its own page (a CMS pushing a post): strings and lists of
    strings under the field names; anything else is left out, never guessed at."""
    facts = Facts()
    for name in _TEXT_FIELDS:
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            setattr(facts, name, " ".join(value.split()))
    for name in _LIST_FIELDS:
        values = data.get(name)
        if isinstance(values, list):
            setattr(facts, name, unique([v for v in values if isinstance(v, str)]))
    facts.category_paths = _chains(data.get("category_paths"))
    return facts


def _chains(value: Any) -> list[tuple[str, ...]]:
    """``[["World", "Europe"], ...]``: lists of names, root first; anything else is left out."""
    if not isinstance(value, list):
        return []
    return [tuple(chain) for chain in value if isinstance(chain, list) and chain
            and all(isinstance(name, str) and name.strip() for name in chain)]


def merge(ordered: list[Facts]) -> Facts:
    """Per field, the first source (most trusted first) that has a value wins."""
    merged = Facts()
    for name in (f.name for f in fields(Facts)):
        for facts in ordered:
            value = getattr(facts, name)
            if value:
                setattr(merged, name, value)
                break
    return merged


def unique(values: list[str]) -> list[str]:
    """Stripped, non-empty values without duplicates (case-insensitive), order kept."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        cleaned = " ".join(value.split())
        if cleaned and cleaned.lower() not in seen:
            seen.add(cleaned.lower())
            out.append(cleaned)
    return out
