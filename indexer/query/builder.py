"""A :class:`SearchRequest` → the Elasticsearch search body.

Facet selections go into ``post_filter`` so that the hits honour all of them while each
facet's aggregation applies every selection except its own: a facet in use keeps showing
its other values with the counts they would have if ticked (OR within a facet, AND across).
"""

from __future__ import annotations

from typing import Any

from indexer.query import fields as f
from indexer.query.request import SearchRequest
from indexer.query.text import FLAGS, as_exact, to_simple_query

DEFAULT_TIMEOUT_S = 2.0
FRAGMENT_CHARS = 180
SNIPPET_FRAGMENTS = 2
HIGHLIGHT_TAGS = {"pre_tags": ["<mark>"], "post_tags": ["</mark>"]}
# A reader gets a suggestion only when the search found almost nothing.
FEW_HITS = 3

Body = dict[str, Any]


def build_search(req: SearchRequest, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> Body:
    body: Body = {
        "query": {"bool": {"must": [_text_query(req)], "filter": _base_filters(req),
                           "must_not": hidden_clauses()}},
        "aggs": _facet_aggs(req),
        "sort": _sort(req),
        "from": req.offset,
        "size": req.size,
        "track_total_hits": True,
        "timeout": f"{int(timeout_s * 1000)}ms",
        "_source": list(f.SOURCE_FIELDS),
    }
    post_filter = _facet_filters(req)
    if post_filter:
        body["post_filter"] = {"bool": {"filter": post_filter}}
    body["highlight"] = _highlight(req)
    return body


def wants_suggestion(req: SearchRequest, total: int) -> bool:
    """Whether to ask for "did you mean": only when the reader's words found almost nothing."""
    return bool(req.q) and total < FEW_HITS


def build_suggestion(q: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> Body:
    """A second, hit-less request for the phrase suggester. Asked only when
    :func:`wants_suggestion` says so, it costs nothing on the searches that found enough."""
    return {"size": 0, "track_total_hits": False, "timeout": f"{int(timeout_s * 1000)}ms",
            "suggest": did_you_mean(q)}


def searched_fields(req: SearchRequest) -> list[str]:
    """Every (sub)field the text query reads, boosted, in the order of ``req.fields``."""
    out: list[str] = []
    for name in req.fields:
        base = f.FIELD_BOOST[name]
        out.append(f"{name}.{f.EXACT}^{base * f.EXACT_BOOST:g}")
        if not req.exact:
            out.append(f"{name}^{base * f.STEMMED_BOOST:g}")
            out.append(f"{name}.{f.PERSIAN}^{base * f.PERSIAN_BOOST:g}")
    return out


def did_you_mean(q: str) -> Body:
    return {"text": q, "did_you_mean": {"phrase": {
        "field": f.SUGGEST_FIELD, "size": 1, "max_errors": 2, "confidence": 1.0,
        "direct_generator": [{"field": f.SUGGEST_FIELD, "suggest_mode": "popular"}],
    }}}


def hidden_clauses() -> list[Body]:
    """Documents readers never see: duplicates of another URL, and listing pages."""
    return [{"exists": {"field": f.DUPLICATE_OF}}, {"term": {f.KIND: f.LISTING_KIND}}]



def _text_query(req: SearchRequest) -> Body:
    if not req.q:
        return {"match_all": {}}
    return {"simple_query_string": {
        "query": as_exact(req.q) if req.exact else to_simple_query(req.q),
        "fields": searched_fields(req),
        "default_operator": "and",
        "flags": FLAGS,
        "lenient": True,
    }}


def _base_filters(req: SearchRequest) -> list[Body]:
    if not (req.date_from or req.date_to):
        return []
    bounds: dict[str, str] = {}
    if req.date_from:
        bounds["gte"] = req.date_from.isoformat()
    if req.date_to:
        # Rounded up to the end of that day: the range is inclusive for the reader.
        bounds["lte"] = f"{req.date_to.isoformat()}||/d"
    return [{"range": {f.PUBLISHED: {**bounds, "format": "strict_date"}}}]


def _facet_filter(facet: f.Facet, values: tuple[str, ...]) -> Body:
    if facet.by_year:
        return {"bool": {"should": [
            {"range": {facet.field: {"gte": y, "lt": str(int(y) + 1), "format": "yyyy"}}}
            for y in values], "minimum_should_match": 1}}
    return {"terms": {facet.field: list(values)}}


def _facet_filters(req: SearchRequest, *, skip: str | None = None) -> list[Body]:
    return [_facet_filter(facet, req.selected(facet.name)) for facet in f.FACETS
            if facet.name != skip and req.selected(facet.name)]


def _facet_aggs(req: SearchRequest) -> Body:
    aggs: Body = {}
    for facet in f.FACETS:
        inner = _year_histogram(facet) if facet.by_year else {
            "terms": {"field": facet.field, "size": facet.size}}
        others = _facet_filters(req, skip=facet.name)
        aggs[facet.name] = {"filter": {"bool": {"filter": others}} if others else {"match_all": {}},
                            "aggs": {"values": inner}}
    return aggs


def _year_histogram(facet: f.Facet) -> Body:
    return {"date_histogram": {"field": facet.field, "calendar_interval": "year", "format": "yyyy",
                               "min_doc_count": 1, "order": {"_key": "desc"}}}


def _sort(req: SearchRequest) -> list[Any]:
    newest = {f.PUBLISHED: {"order": "desc", "missing": "_last"}}
    oldest = {f.PUBLISHED: {"order": "asc", "missing": "_last"}}
    return {"relevance": ["_score", newest], "newest": [newest, "_score"],
            "oldest": [oldest, "_score"]}[req.effective_sort]


def _highlight(req: SearchRequest) -> Body:
    suffixes = (f".{f.EXACT}",) if req.exact else ("", f".{f.EXACT}", f".{f.PERSIAN}")
    options = {
        f.TITLE: {"number_of_fragments": 0},
        # With nothing matched in the body (a title-only hit, browsing), the article's opening.
        f.CONTENT: {"fragment_size": FRAGMENT_CHARS, "number_of_fragments": SNIPPET_FRAGMENTS,
                    "no_match_size": FRAGMENT_CHARS},
    }
    fields: Body = {}
    for name, opts in options.items():
        analysed = [f"{name}{suffix}" for suffix in suffixes]
        # One pass per field marks what any of its analyses matched (stemmed, exact, Persian):
        # the subfields share the field's text and, for the body, its indexed offsets.
        fields[analysed[0]] = {**opts, "type": "unified", "matched_fields": analysed}
    return {"encoder": "html", **HIGHLIGHT_TAGS, "require_field_match": True, "fields": fields}
