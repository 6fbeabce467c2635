"""What one metadata source says about a page; every field is optional."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass
class Facts:
    title: str | None = None
    description: str | None = None
    image: str | None = None
    url: str | None = None
    site_name: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    type: str | None = None
    # "article" or "listing" when the source says which it is.
    kind: str | None = None
    language: str | None = None


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
