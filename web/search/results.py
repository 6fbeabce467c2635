"""The one path from a parsed request to shaped results, shared by the page and the API."""

from __future__ import annotations

from typing import Any

from flask import current_app

from indexer import searching
from indexer.query import SearchRequest, build_autocomplete, shape_autocomplete
from web import es, settings_of

MIN_SUGGEST_CHARS = 2


def search(req: SearchRequest) -> dict[str, Any]:
    settings = settings_of(current_app)
    return searching.search(es.client(), settings.index.prefix, req, timeout_s=settings.web.search_timeout)


def suggest(prefix: str) -> list[dict[str, Any]]:
    if len(prefix) < MIN_SUGGEST_CHARS:
        return []
    settings = settings_of(current_app)
    resp = es.client().search(index=settings.index.prefix,
                              body=build_autocomplete(prefix, timeout_s=settings.web.search_timeout))
    return shape_autocomplete(resp.body)
