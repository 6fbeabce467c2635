"""The OpenAPI 3.1 document, assembled from what each blueprint contributes.

A blueprint adds its paths and schemas with :func:`contribute` (the API does it when it is
registered; the console can do the same), so the document always matches the routes served.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask.sansio.app import App

from indexer import article_fields, category_paths
from indexer.config import SEARCH_MODES
from indexer.query.fields import FACETS, TITLE, URL, Facet
from indexer.query.related import DEFAULT_SIZE as RELATED_SIZE
from indexer.query.related import MAX_SIZE as RELATED_MAX
from indexer.query.request import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_QUERY_CHARS, SORTS
from indexer.query.sitewords import MAX_OFFERS, NAMED_FACETS

_EXTENSION = "pagesift_openapi"
Schema = dict[str, Any]


def contribute(app: App, paths: Mapping[str, Any], schemas: Mapping[str, Any] | None = None,
               security_schemes: Mapping[str, Any] | None = None) -> None:
    parts = app.extensions.setdefault(_EXTENSION, {"paths": {}, "schemas": dict(READER_SCHEMAS)})
    parts["paths"].update(paths)
    parts["schemas"].update(schemas or {})
    parts.setdefault("securitySchemes", {}).update(security_schemes or {})


def document(app: App) -> dict[str, Any]:
    parts = app.extensions.get(_EXTENSION, {"paths": {}, "schemas": {}})
    components: dict[str, Any] = {"schemas": parts["schemas"]}
    if parts.get("securitySchemes"):
        components["securitySchemes"] = parts["securitySchemes"]
    return {
        "openapi": "3.1.0",
        "info": {"title": "pagesift search API", "version": "1",
                 "description": "Full-text search over the site's articles."},
        "paths": parts["paths"],
        "components": components,
    }


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(description: str, schema: Schema) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def query_param(name: str, schema: Schema, description: str, *, repeatable: bool = False) -> Schema:
    param: Schema = {"name": name, "in": "query", "required": False, "description": description,
                     "schema": {"type": "array", "items": schema} if repeatable else schema}
    if repeatable:
        param.update(style="form", explode=True)
    return param


ERRORS = {
    "400": json_response("A parameter is invalid or beyond a limit; `message` says which.", ref("Error")),
    "429": json_response("Too many requests from this client; see Retry-After.", ref("Error")),
    "503": json_response("Elasticsearch is unavailable.", ref("Error")),
}

_STRING = {"type": "string"}


def _facet_param_description(facet: Facet) -> str:
    said = f"Only results with this {facet.name}; several values combine with OR."
    if facet.hierarchy:
        said += (f" A value is a path (\"World{category_paths.SEPARATOR}Europe\"), as the facet's"
                 " values give it: a parent takes in its descendants' results.")
    return said


_SEARCH_PARAMS = [
    query_param("q", {"type": "string", "maxLength": MAX_QUERY_CHARS},
                'Words; "quoted phrases", -excluded, a OR b. Empty browses everything, newest first.'),
    *[query_param(facet.name, {"type": "integer"} if facet.by_year else _STRING,
                  _facet_param_description(facet), repeatable=True)
      for facet in FACETS],
    query_param("from", {"type": "string", "format": "date"}, "Published on or after this day."),
    query_param("to", {"type": "string", "format": "date"}, "Published on or before this day."),
    query_param("in", {"enum": ["title", "content"]}, "Fields to search; none means both.",
                repeatable=True),
    query_param("exact", {"enum": [0, 1], "default": 0}, "1: exact words and phrase, no stemming."),
    query_param("sort", {"enum": list(SORTS), "default": "relevance"}, "Result order."),
    query_param("page", {"type": "integer", "minimum": 1, "default": 1},
                "Page number; page × size is at most 10,000."),
    query_param("size", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE,
                         "default": DEFAULT_PAGE_SIZE}, "Results per page."),
    query_param("mode", {"enum": list(SEARCH_MODES)},
                "hybrid: BM25 and nearest articles by meaning, fused by reciprocal rank; lexical: BM25 "
                "only. Default: the site's (PAGESIFT_SEARCH_MODE). Exact and one-field searches are "
                "always lexical; a date order lists the relevance order's results by date. The answer's "
                "`mode` says which ran."),
    query_param("explain", {"enum": [0, 1], "default": 0},
                "1: each hit says the rank each side gave it (`explain`)."),
    query_param("spell", {"enum": [0, 1], "default": 1},
                "1: a misspelt word also matches its closest spelling in the index, and the answer says "
                "so (`q`, `corrected_from`); 0: the words exactly as typed (\"Search instead for\")."),
]
_RELATED_PARAMS = [
    {**query_param("url", {"type": "string", "format": "uri"}, "The article's address."), "required": True},
    query_param("size", {"type": "integer", "minimum": 1, "maximum": RELATED_MAX, "default": RELATED_SIZE},
                "How many related articles."),
    query_param("same_category", {"enum": [0, 1], "default": 0}, "1: only articles sharing a category."),
    query_param("q", {"type": "string", "maxLength": MAX_QUERY_CHARS},
                "The reader's query, when asked from its results: articles the editors' best bets hide "
                "for it are left out too."),
]

READER_PATHS: dict[str, Any] = {
    "/api/search": {"get": {
        "summary": "Search articles, with facet counts and highlighted snippets.",
        "parameters": _SEARCH_PARAMS,
        "responses": {"200": json_response("Results.", ref("SearchResponse")), **ERRORS},
    }},
    "/api/related": {"get": {
        "summary": "Articles related to one article: nearest by vector fused with more_like_this; never "
                   "the article itself, its duplicates, listing pages or taken-down pages.",
        "parameters": _RELATED_PARAMS,
        "responses": {"200": json_response("Related articles.", ref("Related")),
                      "404": json_response("No article with that address is indexed.", ref("Error")),
                      **ERRORS},
    }},
    "/api/suggest": {"get": {
        "summary": "Article titles starting with the typed words (at most 10).",
        "parameters": [query_param("q", {"type": "string", "maxLength": 100}, "What was typed so far.")],
        "responses": {"200": json_response("Suggestions.", ref("Suggestions")), **ERRORS},
    }},
    "/healthz": {"get": {
        "summary": "Whether Elasticsearch and Redis answer.",
        "responses": {"200": json_response("All up.", ref("Health")),
                      "503": json_response("Something is down.", ref("Health"))},
    }},
    "/api/openapi.json": {"get": {"summary": "This document.",
                                  "responses": {"200": {"description": "OpenAPI 3.1 document."}}}},
    "/opensearch.xml": {"get": {"summary": "OpenSearch description, so browsers can add the search.",
                                "responses": {"200": {"description": "OpenSearch XML.", "content": {
                                    "application/opensearchdescription+xml": {}}}}}},
}

_NULLABLE_STRING = {"type": ["string", "null"]}
# What the shaper adds to the article's own fields (indexer/query/shaper.py).
_HIT_MARKUP = {
    "title_html": {"type": "string", "description": "Escaped title with <mark> around matches."},
    "snippet_html": {"type": "string", "description": "Escaped excerpt with <mark> around matches."},
    "explain": {"type": "object", "description": "With explain=1: the hit's rank on each side (null: "
                "that side did not find it), its fused score, BM25 score and cosine similarity.",
                "properties": {name: {"type": ["number", "null"]} for name in (
                    "lexical_rank", "semantic_rank", "fused_score", "lexical_score", "similarity")}},
}


def _field_schema(field: article_fields.Field) -> Schema:
    schema = dict(field.kind.schema)
    if field.hit_description:
        schema["description"] = field.hit_description
    return schema


def _hit_properties() -> Schema:
    """In the order of a shaped hit: the URL and title lead, then their markup, then the rest."""
    declared = {field.name: _field_schema(field) for field in article_fields.hit_fields()}
    leading = {name: declared.pop(name) for name in (URL, TITLE)}
    return {"id": _STRING, **leading, **_HIT_MARKUP, **declared}


READER_SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error", "message"],
              "properties": {"error": _STRING, "message": _STRING}},
    "Hit": {"type": "object", "properties": _hit_properties()},
    "FacetValue": {"type": "object", "properties": {
        "value": {"type": ["string", "integer"]}, "count": {"type": "integer"},
        "selected": {"type": "boolean"}}},
    # A hierarchical facet's values come as a tree flattened: each right after its parent.
    "TreeFacetValue": {"type": "object", "properties": {
        "value": {"type": "string", "description": "The path, ancestors first."},
        "count": {"type": "integer", "description": "Results in it or any of its descendants."},
        "selected": {"type": "boolean"},
        "label": {"type": "string", "description": "Its own name, the path's last."},
        "parent": {**_NULLABLE_STRING, "description": "The parent's path; null at the top."},
        "depth": {"type": "integer", "description": "Levels under the top among the values listed."}}},
    "SearchResponse": {"type": "object", "properties": {
        "total": {"type": "integer"}, "took_ms": {"type": "integer"}, "page": {"type": "integer"},
        "hits": {"type": "array", "items": ref("Hit")},
        "facets": {"type": "object", "properties": {
            facet.name: {"type": "array", "items": ref("TreeFacetValue" if facet.hierarchy else "FacetValue")}
            for facet in FACETS}},
        "suggestion": {"type": ["string", "null"], "description": "\"Did you mean\": a correction "
                       "offered, not searched (few hits and no word corrected, e.g. in exact mode)."},
        "q": {"type": "string", "description": "What the results are for: the words as typed, or "
              "their correction when `corrected_from` is set."},
        "corrected_from": {"type": ["string", "null"], "description": "The words as typed, when a "
                           "misspelt one was searched as its correction (`q`); null otherwise."},
        "site_words": {"type": "array", "maxItems": MAX_OFFERS, "items": ref("SiteWord"),
                       "description": "The site's categories, tags and authors the words name (or nearly: "
                                      "case, plural, word order, one typo in a long word), best first; "
                                      "none with exact=1. Filter on one with `<facet>=<value>`."},
        "mode": {"enum": list(SEARCH_MODES), "description": "The ranking that answered."}}},
    "SiteWord": {"type": "object", "required": ["facet", "value", "count"], "properties": {
        "facet": {"enum": list(NAMED_FACETS), "description": "The filter parameter that selects it."},
        "value": {"type": "string", "description": "The name as the filter takes it."},
        "count": {"type": "integer", "description": "Articles filed under it."}}},
    "Related": {"type": "object", "properties": {
        "url": _STRING, "title": _NULLABLE_STRING, "hits": {"type": "array", "items": ref("Hit")}}},
    "Suggestions": {"type": "object", "properties": {
        "q": _STRING, "suggestions": {"type": "array", "items": {"type": "object", "properties": {
            "title": _STRING, "url": _NULLABLE_STRING}}}}},
    "Health": {"type": "object", "properties": {
        "status": {"enum": ["ok", "unavailable"]},
        "elasticsearch": {"enum": ["ok", "down"]}, "redis": {"enum": ["ok", "down"]}}},
}
