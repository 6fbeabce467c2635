"""A :class:`~indexer.curation.Curation` applied to one reader search.

:func:`plan` decides (pure rules) and fetches the pinned articles that may show: those that
exist (a taken-down article is gone from the index, so it is skipped) and pass the reader's
filters, facets and dates (a reader who ticked "Sport" sees no pinned article outside it).
:func:`around_pins` runs the organic search around them and puts them in the page.
Pins apply to the relevance order only: sorted by date, the reader asked for the calendar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from elasticsearch import Elasticsearch

from indexer.curation import pinning
from indexer.curation.best_bets import NOTHING, Decision, Pin, hidden_clause
from indexer.curation.expansion import Curated, Expansion
from indexer.curation.model import NO_CURATION, Curation
from indexer.query import SearchRequest, build_search, shape_search
from indexer.query.builder import DEFAULT_TIMEOUT_S, exclusions

Body = dict[str, Any]


@dataclass(frozen=True)
class Plan:
    decision: Decision = NOTHING
    expansions: tuple[Expansion, ...] = ()
    pins: tuple[Pin, ...] = ()  # those that show, by position
    pinned_hits: tuple[dict[str, Any], ...] = ()  # shaped, in the order of ``pins``

    @property
    def curated(self) -> Curated:
        """For the organic search: hidden articles out, and the pinned ones (shown apart)."""
        kept_out = self.decision.hidden | {p.doc_id for p in self.pins}
        return Curated(tuple(hidden_clause(kept_out)), self.expansions)


NO_PLAN = Plan()

# One organic search (the lexical or hybrid path, whichever the site runs) for a request.
Search = Callable[[SearchRequest, Curated], dict[str, Any]]


def plan(client: Elasticsearch, index: str, req: SearchRequest, curation: Curation = NO_CURATION, *,
         timeout_s: float = DEFAULT_TIMEOUT_S, now: datetime | None = None) -> Plan:
    if curation is NO_CURATION or not req.q:
        return NO_PLAN
    decision = curation.decide(req.query, now)
    expansions = curation.expansions(req.query, req.exact)
    pins = decision.pins if req.effective_sort == "relevance" else ()
    found = _fetch_pinned(client, index, req, pins, decision, expansions, timeout_s) if pins else {}
    showing = tuple(p for p in pins if p.doc_id in found)
    return Plan(decision, expansions, showing, tuple(found[p.doc_id] for p in showing))


def around_pins(search: Search, req: SearchRequest, plan: Plan) -> dict[str, Any]:
    """The page of ``req``: organic hits from ``search``, pinned articles at their places.

    The organic hits this page needs start earlier by the pins before it, and are fewer by
    the pins on it (:func:`pinning.window`); they are asked for as the ordinary pages of the
    same size that hold them (one, or two when the window straddles a page boundary), so any
    search path serves them unchanged. Facets and the total come from the first."""
    if not plan.pins:
        return search(req, plan.curated)
    wanted = [p.position for p in plan.pins]
    start, count = pinning.window(wanted, req.offset, req.size)
    first = start // req.size + 1
    last = max(first, (start + count - 1) // req.size + 1)
    pages = [search(replace(req, page=n), plan.curated) for n in range(first, last + 1)]
    organic = [hit for page in pages for hit in page["hits"]]
    skip = start - (first - 1) * req.size
    shaped = {**pages[0], "page": req.page}
    shaped["hits"] = pinning.merge(organic[skip:skip + count], plan.pinned_hits, wanted,
                                   pages[0]["total"], req.offset, req.size)
    shaped["total"] = pages[0]["total"] + len(plan.pins)
    return shaped


def _fetch_pinned(client: Elasticsearch, index: str, req: SearchRequest, pins: tuple[Pin, ...],
                  decision: Decision, expansions: tuple[Expansion, ...],
                  timeout_s: float) -> dict[str, dict[str, Any]]:
    """The pinned articles that pass the reader's filters, shaped as hits, by id. Built from
    the browsing request (no words: a pin need not contain them) with the same filters and
    the reader's exclusions (a pin never holds a ``-word``); the reader's words only mark the
    snippet."""
    browse = replace(req, q="", page=1, size=len(pins))
    body = build_search(browse, timeout_s=timeout_s,
                        curated=Curated(tuple(hidden_clause(decision.hidden))))
    body["query"]["bool"]["filter"] += [{"ids": {"values": [p.doc_id for p in pins]}}, *exclusions(req)]
    body.pop("aggs", None)
    body["highlight"]["highlight_query"] = build_search(
        req, timeout_s=timeout_s, curated=Curated(expansions=expansions))["query"]
    shaped = shape_search(client.search(index=index, body=body).body, browse)
    return {hit["id"]: hit for hit in shaped["hits"]}
