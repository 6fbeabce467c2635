"""Pure Elasticsearch query building for reader search: no client, no I/O.

A request travels ``parse_search_args`` → :class:`SearchRequest` → ``build_search`` (the
Elasticsearch body) and the answer ``shape_search`` → the API's JSON. When
``wants_suggestion`` (few hits), a second body from ``build_suggestion`` asks for "did you
mean", read by ``shape_suggestion``. Autocomplete has its own small builder and shaper.
"""

from indexer.query.autocomplete import build_autocomplete, shape_autocomplete
from indexer.query.builder import build_search, build_suggestion, wants_suggestion
from indexer.query.request import (
    SearchRequest,
    SearchRequestError,
    parse_search_args,
    parse_suggest_args,
)
from indexer.query.shaper import shape_search, shape_suggestion

__all__ = [
    "SearchRequest",
    "SearchRequestError",
    "build_autocomplete",
    "build_search",
    "build_suggestion",
    "parse_search_args",
    "parse_suggest_args",
    "shape_autocomplete",
    "shape_search",
    "shape_suggestion",
    "wants_suggestion",
]
