"""One reader search, start to end: the path the search page, the API and ``pagesift eval``
share, so that what is measured is what readers get.

The builder and shaper stay pure (:mod:`indexer.query`); this module makes their requests:
the search and, when the words found almost nothing, a "did you mean" that is offered only if
it finds something itself.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from elasticsearch import Elasticsearch

from indexer.query import (
    SearchRequest,
    build_search,
    build_suggestion,
    shape_search,
    shape_suggestion,
    wants_suggestion,
)
from indexer.query.builder import DEFAULT_TIMEOUT_S, build_hit_check
from indexer.query.ranking import DEFAULT, Ranking


def search(client: Elasticsearch, index: str, req: SearchRequest, *,
           timeout_s: float = DEFAULT_TIMEOUT_S, ranking: Ranking = DEFAULT) -> dict[str, Any]:
    body = build_search(req, timeout_s=timeout_s, ranking=ranking)
    shaped = shape_search(client.search(index=index, body=body).body, req)
    if wants_suggestion(req, shaped["total"]):
        shaped["suggestion"] = suggestion(client, index, req, timeout_s)
    return shaped


def suggestion(client: Elasticsearch, index: str, req: SearchRequest, timeout_s: float) -> str | None:
    """The phrase suggester's correction of ``req.q``, if searching for it finds something."""
    answer = client.search(index=index, body=build_suggestion(req.q, timeout_s=timeout_s))
    offered = shape_suggestion(answer.body, req.q)
    if offered is None:
        return None
    check = client.search(index=index, body=build_hit_check(replace(req, q=offered), timeout_s=timeout_s))
    return offered if check.body["hits"]["total"]["value"] > 0 else None
