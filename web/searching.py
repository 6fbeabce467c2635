"""The one path from a parsed request to shaped results, shared by the page and the API."""

from __future__ import annotations

from typing import Any

from flask import current_app

from indexer.query import (
    SearchRequest,
    build_autocomplete,
    build_search,
    build_suggestion,
    shape_autocomplete,
    shape_search,
    shape_suggestion,
    wants_suggestion,
)
from web import es, settings_of

MIN_SUGGEST_CHARS = 2


def search(req: SearchRequest) -> dict[str, Any]:
    settings = settings_of(current_app)
    client = es.client()
    body = build_search(req, timeout_s=settings.search_timeout)
    shaped = shape_search(client.search(index=settings.index_prefix, body=body).body, req)
    if wants_suggestion(req, shaped["total"]):
        body = build_suggestion(req.q, timeout_s=settings.search_timeout)
        shaped["suggestion"] = shape_suggestion(client.search(index=settings.index_prefix, body=body).body,
                                                req.q)
    return shaped


def suggest(prefix: str) -> list[dict[str, Any]]:
    if len(prefix) < MIN_SUGGEST_CHARS:
        return []
    settings = settings_of(current_app)
    resp = es.client().search(index=settings.index_prefix,
                              body=build_autocomplete(prefix, timeout_s=settings.search_timeout))
    return shape_autocomplete(resp.body)
