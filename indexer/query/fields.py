"""Index field names, boosts and facet definitions the reader queries rely on.

Names follow ``mappings/pages.json`` (see ``docs/schema.md``); keeping them here means a
mapping rename is a one-line change and the builder never spells a field inline.
"""

from __future__ import annotations

from dataclasses import dataclass

TITLE = "title"
CONTENT = "content"
# Subfields: `.exact` is unstemmed (standard analyzer), `.fa` is the persian analyzer.
EXACT = "exact"
PERSIAN = "fa"
TITLE_SUGGEST = "title.suggest"

URL = "url"
IMAGE = "image"
DESCRIPTION = "description"
PUBLISHED = "published"
KIND = "kind"
DUPLICATE_OF = "duplicate_of"
LISTING_KIND = "listing"

# Fields the reader may search, by the `in` parameter's values.
SEARCHABLE = (TITLE, CONTENT)

# The phrase suggester reads unstemmed word shingles of the body: a suggestion must be a real
# spelling, and shingles let it prefer word pairs that actually occur together.
SUGGEST_FIELD = f"{CONTENT}.shingle"

# Only what the results list shows; `content` stays on the node (the highlighter reads it).
SOURCE_FIELDS = (URL, TITLE, "categories", "tags", "authors", PUBLISHED, "language", "type", IMAGE,
                 DESCRIPTION)


@dataclass(frozen=True)
class Facet:
    name: str  # the filter parameter and the facet key in the API
    field: str
    size: int
    by_year: bool = False


FACETS: tuple[Facet, ...] = (
    Facet("category", "categories", 100),
    Facet("tag", "tags", 20),
    Facet("author", "authors", 20),
    Facet("type", "type", 20),
    Facet("language", "language", 20),
    Facet("year", PUBLISHED, 20, by_year=True),
)
FACET_NAMES = tuple(f.name for f in FACETS)
