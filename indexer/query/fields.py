"""Index field names, boosts and facet definitions the reader queries rely on.

Names follow ``mappings/pages.json`` (see ``docs/schema.md``); keeping them here means a
mapping rename is a one-line change and the builder never spells a field inline. What is
returned and faceted comes from the declaration in :mod:`indexer.article_fields`.
"""

from __future__ import annotations

from indexer import article_fields
from indexer.article_fields import Facet as Facet  # re-exported: the builder names `fields.Facet`

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
# The article's vector (indexer/embedding.py computes it), for hybrid search and related articles.
EMBEDDING = "embedding"
LISTING_KIND = "listing"

# Fields the reader may search, by the `in` parameter's values.
SEARCHABLE = (TITLE, CONTENT)

# The phrase suggester reads unstemmed word shingles of the body: a suggestion must be a real
# spelling, and shingles let it prefer word pairs that actually occur together.
SUGGEST_FIELD = f"{CONTENT}.shingle"

# Only what the results list shows; `content` stays on the node (the highlighter reads it).
SOURCE_FIELDS = article_fields.returned()

FACETS: tuple[Facet, ...] = article_fields.facets()
FACET_NAMES = tuple(f.name for f in FACETS)
