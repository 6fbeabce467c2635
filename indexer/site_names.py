"""The index's category, tag and author names with their counts, read in one request.

One terms aggregation per named facet over the articles readers can find (no duplicates or
listings: the count is what the facet's filter then lists), the most used names first, at most
:data:`MAX_NAMES_PER_FACET` of each. Callers keep the result a while (the web app:
``PAGESIFT_SITE_WORDS_CACHE_SECONDS``, :mod:`web.site_names`); searches never scan for names.
"""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from indexer.query import fields
from indexer.query.builder import hidden_clauses
from indexer.query.sitewords import NAMED_FACETS, SiteName, SiteNames

# Past this many names a facet's least used are not looked for in queries (a name on one or two
# articles of a large site): the aggregation and the lookup tables stay small.
MAX_NAMES_PER_FACET = 10_000


def names_request() -> dict[str, Any]:
    facets = {facet.name: facet.field for facet in fields.FACETS if facet.name in NAMED_FACETS}
    return {"size": 0, "track_total_hits": False, "query": {"bool": {"must_not": hidden_clauses()}},
            "aggs": {name: {"terms": {"field": field, "size": MAX_NAMES_PER_FACET}}
                     for name, field in facets.items()}}


def load(client: Elasticsearch, index: str) -> SiteNames:
    answer = client.search(index=index, body=names_request()).body
    return SiteNames.of(SiteName(facet, bucket["key"], bucket["doc_count"])
                        for facet, agg in answer.get("aggregations", {}).items()
                        for bucket in agg["buckets"])
