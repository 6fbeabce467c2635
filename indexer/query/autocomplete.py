"""Title autocomplete: a prefix-as-you-type query on the edge n-gram title subfield."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from indexer.curation.expansion import NOT_CURATED, Curated
from indexer.query import fields as f
from indexer.query.builder import DEFAULT_TIMEOUT_S, hidden_clauses
from indexer.query.shaper import safe_url

MAX_SUGGESTIONS = 10


def build_autocomplete(prefix: str, *, size: int = MAX_SUGGESTIONS, timeout_s: float = DEFAULT_TIMEOUT_S,
                       curated: Curated = NOT_CURATED) -> dict[str, Any]:
    """``curated``: what the editors' best bets hide for the typed text (``Curation.hiding``)."""
    # `title.suggest` is indexed as edge n-grams and searched with the standard analyzer, so a
    # plain AND match makes every typed word, including the unfinished last one, a prefix.
    return {
        "query": {"bool": {
            "must": [{"match": {f.TITLE_SUGGEST: {"query": prefix, "operator": "and"}}}],
            "must_not": hidden_clauses(curated),
        }},
        # Several URLs can share one title; ask for spares so that ten distinct ones remain.
        "size": min(size, MAX_SUGGESTIONS) * 2,
        "_source": [f.TITLE, f.URL],
        "timeout": f"{int(timeout_s * 1000)}ms",
    }


def shape_autocomplete(resp: Mapping[str, Any], *, size: int = MAX_SUGGESTIONS) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for hit in resp["hits"]["hits"]:
        title = hit.get("_source", {}).get(f.TITLE)
        if not isinstance(title, str) or not title or title.casefold() in seen:
            continue
        seen.add(title.casefold())
        out.append({"title": title, "url": safe_url(hit["_source"].get(f.URL))})
        if len(out) >= min(size, MAX_SUGGESTIONS):
            break
    return out


def merge_suggestions(past_queries: list[str], titles: list[dict[str, Any]], *,
                      size: int = MAX_SUGGESTIONS) -> list[dict[str, Any]]:
    """Past queries first (what readers typed before, found something with; no URL: choosing
    one searches for it), then the article titles, at most ``size`` in all; a title that
    is also one of the queries is kept once, as the article."""
    titled = {s["title"].casefold() for s in titles}
    queries = [{"title": q, "url": None} for q in past_queries if q.casefold() not in titled]
    return [*queries, *titles][:min(size, MAX_SUGGESTIONS)]
