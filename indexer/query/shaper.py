"""An Elasticsearch search response → the JSON the API answers and the page renders.

Every string that becomes markup is either escaped here or is a highlight fragment that
Elasticsearch html-encoded; a fragment holding any tag other than ``<mark>`` is distrusted and
escaped whole, so a mapping or highlighter change can never open a hole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from markupsafe import escape

from indexer import article_fields, category_paths
from indexer.query import fields as f
from indexer.query.request import SearchRequest

ELLIPSIS = " … "
_MARK = re.compile(r"</?mark>")
# The title falls back to the URL, and both lead the hit, before the highlighted title.
_PLAIN_HIT_FIELDS = tuple(field for field in article_fields.hit_fields()
                          if field.name not in (f.URL, f.TITLE))


def shape_search(resp: Mapping[str, Any], req: SearchRequest) -> dict[str, Any]:
    total = resp["hits"]["total"]["value"]
    return {
        "total": total,
        "took_ms": resp.get("took", 0),
        "page": req.page,
        "hits": [_hit(h) for h in resp["hits"]["hits"]],
        "facets": {facet.name: _facet(resp.get("aggregations", {}), facet, req) for facet in f.FACETS},
        # Filled in by the caller from a second request when wants_suggestion() says so.
        "suggestion": None,
        # What the results are for, and the words as typed when they were corrected
        # (indexer.searching, indexer.query.spelling): filled in by the caller.
        "q": req.q,
        "corrected_from": None,
        # Filled in by the caller: the site's names the words name (indexer.query.sitewords).
        "site_words": [],
    }


def safe_url(value: Any) -> str | None:
    """Only http(s) URLs reach an href or src; anything else (``javascript:``...) is dropped."""
    if not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme in {"http", "https"} and parts.netloc else None


def trusted_fragment(fragment: str) -> str:
    if "<" in _MARK.sub("", fragment) or ">" in _MARK.sub("", fragment):
        return str(escape(_MARK.sub("", fragment)))
    return fragment


def _hit(hit: Mapping[str, Any]) -> dict[str, Any]:
    src = hit.get("_source", {})
    highlight = hit.get("highlight", {})
    title = _text(src.get(f.TITLE)) or _text(src.get(f.URL))
    return {
        "id": hit["_id"],
        "url": safe_url(src.get(f.URL)),
        "title": title,
        "title_html": _best(highlight, f.TITLE) or str(escape(title)),
        "snippet_html": _best(highlight, f.CONTENT, join=True) or str(escape(_text(src.get(f.DESCRIPTION)))),
        **{field.name: _shaped(field.kind, src.get(field.name)) for field in _PLAIN_HIT_FIELDS},
    }


def _shaped(kind: article_fields.Kind, value: Any) -> Any:
    shape = _BY_KIND.get(kind)
    return shape(value) if shape else value or None


def _best(highlight: Mapping[str, list[str]], field: str, *, join: bool = False) -> str:
    """The highlight of ``field`` or one of its subfields, preferring one that marks a match."""
    candidates = [frags for name, frags in highlight.items() if name.split(".", 1)[0] == field and frags]
    candidates.sort(key=lambda frags: not any("<mark>" in frag for frag in frags))
    if not candidates:
        return ""
    frags = [trusted_fragment(frag) for frag in candidates[0]]
    return ELLIPSIS.join(frags) if join else frags[0]


def _facet(aggs: Mapping[str, Any], facet: f.Facet, req: SearchRequest) -> list[dict[str, Any]]:
    buckets = aggs.get(facet.name, {}).get("values", {}).get("buckets", [])[:facet.size]
    selected = set(req.selected(facet.name))
    values = [_bucket_value(b, facet) for b in buckets]
    out = [{"value": value, "count": b["doc_count"], "selected": str(value) in selected}
           for value, b in zip(values, buckets, strict=True)]
    # A ticked value with no hits left still appears, so the reader can untick it.
    shown = {str(v) for v in values}
    for missing in sorted(selected - shown):
        out.append({"value": int(missing) if facet.by_year else missing, "count": 0, "selected": True})
    return _as_tree(out) if facet.hierarchy else out


def _as_tree(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Children right under their parent (siblings by count), each value with its own name,
    its parent's path and its depth under the ancestors shown."""
    by_path = {str(v["value"]): v for v in values}
    return [{**by_path[path], "label": category_paths.label(path),
             "parent": category_paths.parent(path), "depth": depth}
            for path, depth in category_paths.tree_order(list(by_path))]


def _bucket_value(bucket: Mapping[str, Any], facet: f.Facet) -> Any:
    return int(bucket["key_as_string"]) if facet.by_year else bucket["key"]


def shape_suggestion(resp: Mapping[str, Any], q: str) -> str | None:
    """The phrase suggester's best correction of ``q``, if it differs from what was typed."""
    for entry in resp.get("suggest", {}).get("did_you_mean", []):
        for option in entry.get("options", []):
            text = option.get("text", "")
            if text and text.casefold() != q.casefold():
                return str(text)
    return None


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return value if isinstance(value, str) else ""


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v) for v in items if v not in (None, "")]


# Any other kind reaches the reader as it is stored, or null when missing or empty.
_BY_KIND: dict[article_fields.Kind, Callable[[Any], Any]] = {
    article_fields.URL: safe_url, article_fields.KEYWORDS: _strings, article_fields.TEXT: _text,
}
