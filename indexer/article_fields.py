"""Every field of an article, declared once: what it holds and who gets to see it.

The fields the index document copies, the ``_source`` readers get back, the facets, the API's
``Hit`` and its shaping, the console's preview and the search page's sidebar are all read off
:data:`FIELDS`; unit tests hold the cleaner's ``Page``, the metadata ``Facts`` and
``mappings/pages.json`` to it. Adding a facet is one entry here plus its labels in
``web/search/labels.py`` (see ``docs/schema.md``).

Orders that readers see and that differ from the table's (the facets, the sidebar, the
preview) are positions on the entries, so that no view's order changes when a field is added.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any


# Compared by identity: the kinds are the constants below, and their schemas are not hashable.
@dataclass(frozen=True, eq=False)
class Kind:
    """What a value is: the Python type the cleaner produces, the Elasticsearch type it is
    stored as, and the JSON schema of it in a reader's hit."""

    label: str
    python: type
    # None: the pipeline reads it, the index never stores it.
    mapping: str | None
    schema: Mapping[str, Any]


_NULLABLE_STRING = {"type": ["string", "null"]}

TEXT = Kind("text", str, "text", {"type": "string"})
KEYWORD = Kind("keyword", str, "keyword", _NULLABLE_STRING)
KEYWORDS = Kind("keywords", list, "keyword", {"type": "array", "items": {"type": "string"}})
DATE = Kind("date", str, "date", _NULLABLE_STRING)
# Only http(s) URLs reach a reader (the shaper drops the rest), so a hit may hold none.
URL = Kind("url", str, "keyword", _NULLABLE_STRING)
INTEGER = Kind("integer", int, "integer", {"type": "integer"})
FLAG = Kind("flag", bool, None, {"type": "boolean"})
DETAILS = Kind("details", dict, None, {"type": "object"})


class Origin(Enum):
    PAGE = "page"  # the cleaner finds it, the document stores it as it is
    PAGE_ONLY = "page-only"  # the cleaner finds it for the pipeline; never stored
    DOCUMENT = "document"  # worked out when the document is built, not by the cleaner


@dataclass(frozen=True)
class Facet:
    # The filter parameter, the facet's key in the API and in the page's labels.
    name: str
    size: int
    # Place among the facets of the API, the filter chips and the OpenAPI parameters.
    order: int
    # Place in the search page's sidebar, which keeps the old widget's order.
    sidebar: int
    by_year: bool = False
    # Values are category paths (indexer/category_paths.py): shown as a tree, a parent's value
    # matching its descendants' pages.
    hierarchy: bool = False
    # Left out in the table, where it is the entry's own; :func:`facets` fills it in.
    field: str = ""


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    origin: Origin = Origin.PAGE
    # A metadata source (JSON-LD, OpenGraph, WordPress, microdata) can say it: a Facts field.
    metadata: bool = False
    # In the `_source` a search asks for: what the results list may show.
    returned: bool = False
    # In each hit of the API (and the page), shaped by kind; implies `returned`.
    hit: bool = False
    # Said beside the field in the OpenAPI `Hit` schema; None: its type says enough.
    hit_description: str | None = None
    facet: Facet | None = None
    # Place beside the page in the console's rules preview; None: not shown.
    preview: int | None = None

    @property
    def stored(self) -> bool:
        return self.origin is not Origin.PAGE_ONLY


FIELDS: tuple[Field, ...] = (
    Field("url", URL, metadata=True, returned=True, hit=True, preview=1),
    Field("title", TEXT, metadata=True, returned=True, hit=True, preview=2),
    Field("content", TEXT, preview=16),
    # Returned for the snippet when nothing in the body was highlighted.
    Field("description", TEXT, metadata=True, returned=True, preview=13),
    Field("categories", KEYWORDS, metadata=True, returned=True, hit=True, preview=8),
    # The facet counts and filters paths: ticking a parent takes in its children's pages.
    Field("category_paths", KEYWORDS, metadata=True, returned=True, hit=True, preview=9,
          hit_description="Each category's path with its ancestors' (\"World\", \"World > Europe\").",
          facet=Facet("category", size=100, order=1, sidebar=1, hierarchy=True)),
    Field("tags", KEYWORDS, metadata=True, returned=True, hit=True, preview=10,
          facet=Facet("tag", size=20, order=2, sidebar=3)),
    Field("authors", KEYWORDS, metadata=True, returned=True, hit=True, preview=7,
          facet=Facet("author", size=20, order=3, sidebar=4)),
    Field("published", DATE, metadata=True, returned=True, hit=True, preview=5,
          facet=Facet("year", size=20, order=6, sidebar=6, by_year=True)),
    Field("modified", DATE, metadata=True, preview=6),
    Field("language", KEYWORD, metadata=True, returned=True, hit=True, preview=4,
          facet=Facet("language", size=20, order=5, sidebar=5)),
    Field("type", KEYWORD, metadata=True, returned=True, hit=True, preview=11,
          facet=Facet("type", size=20, order=4, sidebar=2)),
    Field("image", URL, metadata=True, returned=True, hit=True, preview=14),
    Field("site_name", KEYWORD, metadata=True, preview=12),
    # "article" or "listing"; listings are never indexed, so readers need not see it.
    Field("kind", KEYWORD, metadata=True, preview=3),
    Field("content_hash", KEYWORD),
    Field("word_count", INTEGER, preview=15),
    Field("noindex", FLAG, origin=Origin.PAGE_ONLY),
    Field("nofollow", FLAG, origin=Origin.PAGE_ONLY),
    Field("diagnostics", DETAILS, origin=Origin.PAGE_ONLY, preview=17),
    Field("site", KEYWORD, origin=Origin.DOCUMENT),
)

# Properties of the pages mapping that are the index's bookkeeping, not facts about an article.
INTERNAL_FIELDS: Mapping[str, str] = {
    "ingested_at": "the document's external version: when this copy of the page was indexed",
    "duplicate_of": "set by the duplicate pass after indexing, by comparing documents",
    "near_keys": "LSH band keys of the text's MinHash signature, to find near-duplicate candidates",
    "near_signature": "the text's MinHash signature, to judge a near-duplicate candidate",
    "embedding": "the article's vector (indexer/embedding.py), for hybrid search and related articles",
}


def copied() -> tuple[str, ...]:
    return tuple(field.name for field in FIELDS if field.origin is Origin.PAGE)


def returned() -> tuple[str, ...]:
    return tuple(field.name for field in FIELDS if field.returned)


def hit_fields() -> tuple[Field, ...]:
    return tuple(field for field in FIELDS if field.hit)


def facets(*, sidebar: bool = False) -> tuple[Facet, ...]:
    """In the API's order or, with ``sidebar``, the sidebar's."""
    joined = [replace(field.facet, field=field.name) for field in FIELDS if field.facet is not None]
    return tuple(sorted(joined, key=lambda facet: facet.sidebar if sidebar else facet.order))


def previewed() -> tuple[str, ...]:
    shown = [(field.preview, field.name) for field in FIELDS if field.preview is not None]
    return tuple(name for _, name in sorted(shown))
