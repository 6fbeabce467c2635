"""Analytics as Elasticsearch aggregations: pure bodies and the shapers of their answers.

Definitions (docs/analytics.md says the same to editors):

* a *search* is one results page shown for a non-empty query (page 2 is a second search:
  its clicks belong to it);
* *click-through rate* is the share of searches with at least one click;
* *mean reciprocal rank* is the mean of 1/position over every click (1.0 when every click
  is on the first result);
* a query's *trend* is its searches in the window against the window of the same length
  just before.

Only aggregations of the server's core are used (terms, filter, cardinality, max,
date_histogram): the embedded node lacks the pipeline aggregations (bucket_selector...), so
filtering buckets ("queries no one clicked") is done here, on the shaped rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from indexer.searchlog.events import CLICK, SEARCH
from indexer.searchlog.periods import Window

Body = dict[str, Any]
# Cardinality is exact below its precision threshold (40,000 is the most Elasticsearch allows).
EXACT_UP_TO = 40_000
MAX_QUERIES = 1000
MAX_POSITION = 100


def _range(window: Window) -> Body:
    return {"range": {"at": {"gte": window.start.isoformat(), "lt": window.end.isoformat()}}}


def _is(event: str) -> Body:
    return {"term": {"event": event}}


def _zero() -> Body:
    return {"bool": {"filter": [_is(SEARCH), {"term": {"total": 0}}]}}


def _with_query(window: Window, *extra: Body) -> Body:
    return {"bool": {"filter": [_range(window), *extra], "must_not": [{"term": {"query": ""}}]}}


def _events() -> Body:
    """Searches with their zero-result share, clicks with the searches they came from."""
    return {
        "searches": {"filter": _is(SEARCH), "aggs": {
            "zero": {"filter": {"term": {"total": 0}}},
            "last": {"max": {"field": "at"}}}},
        "clicks": {"filter": _is(CLICK), "aggs": {
            "clicked": {"cardinality": {"field": "search_id", "precision_threshold": EXACT_UP_TO}}}},
    }


# --- the overview: totals, clicks by position, searches per day --------------------------------

def build_summary(window: Window) -> Body:
    return {
        "size": 0,
        "track_total_hits": False,
        "query": _with_query(window),
        "aggs": {
            **_events(),
            "visits": {"cardinality": {"field": "visit_id", "precision_threshold": EXACT_UP_TO}},
            "positions": {"filter": _is(CLICK), "aggs": {"by": {
                "terms": {"field": "position", "size": MAX_POSITION, "order": {"_key": "asc"}}}}},
            "per_day": {
                "date_histogram": {"field": "at", "calendar_interval": "day", "min_doc_count": 0,
                                   "extended_bounds": {"min": window.start.isoformat()[:10],
                                                       "max": window.end.isoformat()[:10]},
                                   "format": "yyyy-MM-dd"},
                "aggs": {"searches": {"filter": _is(SEARCH)}, "zero": {"filter": _zero()},
                         "clicks": {"filter": _is(CLICK)}}},
        },
    }


@dataclass(frozen=True)
class Day:
    day: str
    searches: int
    zero_results: int
    clicks: int


@dataclass(frozen=True)
class Summary:
    searches: int
    visits: int
    zero_results: int
    clicks: int
    clicked_searches: int
    clicks_by_position: dict[int, int]
    per_day: list[Day]

    @property
    def click_through_rate(self) -> float:
        return _share(self.clicked_searches, self.searches)

    @property
    def zero_result_rate(self) -> float:
        return _share(self.zero_results, self.searches)

    @property
    def mean_reciprocal_rank(self) -> float:
        clicks = sum(self.clicks_by_position.values())
        return _share(sum(n / p for p, n in self.clicks_by_position.items()), clicks)

    def to_dict(self) -> dict[str, Any]:
        return {"searches": self.searches, "visits": self.visits, "zero_results": self.zero_results,
                "zero_result_rate": round(self.zero_result_rate, 4), "clicks": self.clicks,
                "clicked_searches": self.clicked_searches,
                "click_through_rate": round(self.click_through_rate, 4),
                "mean_reciprocal_rank": round(self.mean_reciprocal_rank, 4),
                "clicks_by_position": {str(p): n for p, n in self.clicks_by_position.items()},
                "per_day": [vars(d) for d in self.per_day]}


def shape_summary(resp: Mapping[str, Any]) -> Summary:
    aggs = resp.get("aggregations") or {}
    searches, clicks = aggs.get("searches", {}), aggs.get("clicks", {})
    positions = aggs.get("positions", {}).get("by", {}).get("buckets", [])
    days = aggs.get("per_day", {}).get("buckets", [])
    return Summary(
        searches=_count(searches), visits=_value(aggs.get("visits")),
        zero_results=_count(searches.get("zero")), clicks=_count(clicks),
        clicked_searches=_value(clicks.get("clicked")),
        clicks_by_position={int(b["key"]): int(b["doc_count"]) for b in positions},
        per_day=[Day(b["key_as_string"], _count(b.get("searches")), _count(b.get("zero")),
                     _count(b.get("clicks"))) for b in days])


# --- per query: top, zero-result, no-click ----------------------------------------------------

def build_queries(window: Window, *, zero_only: bool = False, size: int = MAX_QUERIES) -> Body:
    """Queries by how often they were searched, each with its zero-result searches, clicks
    and clicked searches; ``zero_only`` counts only the searches that found nothing (so the
    tail of rare failing queries is not cut off by the popular ones)."""
    extra = [_zero()] if zero_only else []
    return {
        "size": 0,
        "track_total_hits": False,
        "query": _with_query(window, *extra),
        "aggs": {"queries": {
            "terms": {"field": "query", "size": min(size, MAX_QUERIES),
                      "order": [{"searches": "desc"}, {"_key": "asc"}]},
            "aggs": _events()}},
    }


@dataclass(frozen=True)
class QueryRow:
    query: str
    searches: int
    zero_results: int
    clicks: int
    clicked_searches: int
    last_seen: str | None

    @property
    def click_through_rate(self) -> float:
        return _share(self.clicked_searches, self.searches)

    def to_dict(self) -> dict[str, Any]:
        return {**vars(self), "click_through_rate": round(self.click_through_rate, 4)}


def shape_queries(resp: Mapping[str, Any]) -> list[QueryRow]:
    buckets = (resp.get("aggregations") or {}).get("queries", {}).get("buckets", [])
    rows = []
    for b in buckets:
        searches, clicks = b.get("searches", {}), b.get("clicks", {})
        rows.append(QueryRow(str(b["key"]), _count(searches), _count(searches.get("zero")),
                             _count(clicks), _value(clicks.get("clicked")),
                             searches.get("last", {}).get("value_as_string")))
    # A query only clicked in this window (searched just before it) is not a searched query.
    return [row for row in rows if row.searches]


def without_clicks(rows: list[QueryRow]) -> list[QueryRow]:
    """Queries that found results and that no reader clicked: what readers found useless."""
    return [row for row in rows if row.clicks == 0 and row.zero_results < row.searches]


# --- trending: growth against the window before -------------------------------------------------

def build_trending(window: Window, size: int = MAX_QUERIES) -> Body:
    both = Window(window.previous.start, window.end)
    return {
        "size": 0,
        "track_total_hits": False,
        "query": _with_query(both, _is(SEARCH)),
        "aggs": {"queries": {
            "terms": {"field": "query", "size": min(size, MAX_QUERIES),
                      "order": [{"current": "desc"}, {"_key": "asc"}]},
            "aggs": {"current": {"filter": _range(window)},
                     "previous": {"filter": _range(window.previous)}}}},
    }


@dataclass(frozen=True)
class Trend:
    query: str
    current: int
    previous: int

    @property
    def growth(self) -> float | None:
        """Relative change; None for a query new in this window."""
        return (self.current - self.previous) / self.previous if self.previous else None

    def to_dict(self) -> dict[str, Any]:
        growth = self.growth
        return {**vars(self), "growth": None if growth is None else round(growth, 4)}


def shape_trending(resp: Mapping[str, Any], limit: int = 50) -> list[Trend]:
    """Queries searched more than in the window before, the largest gain first."""
    buckets = (resp.get("aggregations") or {}).get("queries", {}).get("buckets", [])
    trends = [Trend(str(b["key"]), _count(b.get("current")), _count(b.get("previous"))) for b in buckets]
    rising = [t for t in trends if t.current > t.previous]
    rising.sort(key=lambda t: (-(t.current - t.previous), -t.current, t.query))
    return rising[:limit]


# --- helpers ----------------------------------------------------------------------------------

def _count(agg: Mapping[str, Any] | None) -> int:
    return int((agg or {}).get("doc_count", 0))


def _value(agg: Mapping[str, Any] | None) -> int:
    return int((agg or {}).get("value") or 0)


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0
