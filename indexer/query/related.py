"""Bodies for "related articles": nearest by vector, and ``more_like_this`` by shared words.

Both sides exclude what readers must never be shown beside an article: the article itself
and its original when it is a duplicate, every duplicate and listing page (the search's own
:func:`~indexer.query.builder.hidden_clauses`), and, when asked, articles of other categories.
The two rankings are fused by :mod:`indexer.query.fusion` (``indexer/related.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from indexer.query import fields as f
from indexer.query.builder import hidden_clauses

Body = dict[str, Any]

DEFAULT_SIZE = 5
MAX_SIZE = 20
# Each side ranks this many times the answer's size, so fusion has overlap to work with.
DEPTH_FACTOR = 4
NUM_CANDIDATES = 100
# more_like_this: the article's most telling words, and only words that say something.
MLT_MAX_TERMS = 25
MLT_MIN_DOC_FREQ = 2
RRF_K = 60.0
CATEGORIES = "categories"


def _filters(exclude_ids: Sequence[str], categories: Sequence[str]) -> Body:
    must_not = [*hidden_clauses(), {"ids": {"values": list(exclude_ids)}}]
    required = [{"terms": {CATEGORIES: list(categories)}}] if categories else []
    return {"bool": {"filter": required, "must_not": must_not}}


def build_nearest(vector: list[float], exclude_ids: Sequence[str], categories: Sequence[str],
                  depth: int) -> Body:
    return {"knn": {"field": f.EMBEDDING, "query_vector": vector, "k": depth,
                    "num_candidates": max(NUM_CANDIDATES, depth),
                    "filter": _filters(exclude_ids, categories)},
            "size": depth, "_source": list(f.SOURCE_FIELDS), "track_total_hits": False}


def build_more_like_this(index: str, doc_id: str, exclude_ids: Sequence[str], categories: Sequence[str],
                         depth: int) -> Body:
    like = {"more_like_this": {"fields": [f.TITLE, f.CONTENT], "like": [{"_index": index, "_id": doc_id}],
                               "min_term_freq": 1, "min_doc_freq": MLT_MIN_DOC_FREQ,
                               "max_query_terms": MLT_MAX_TERMS}}
    return {"query": {"bool": {"must": [like], **_filters(exclude_ids, categories)["bool"]}},
            "size": depth, "_source": list(f.SOURCE_FIELDS), "track_total_hits": False}
