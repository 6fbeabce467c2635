"""Past queries offered in autocomplete: what many readers searched, that found something.

A past query is offered only when, within the log's window, it

* starts with what the reader is typing,
* was searched with results by at least ``min_visits`` different readers (and so at least that
  many times): one reader repeating a query, however often, under however many visit cookies,
  never makes it public. Readers are told apart by a daily keyed hash of their network and
  user agent (:mod:`indexer.searchlog.readers`), never by the visit cookie, which any client
  can mint. Searches without a reader key (Do Not Track) may all be one reader's, so together
  they count as one;
* never showed a page now on the takedown list (its results are logged, so this is checked
  against the list at every keystroke: a takedown hides its queries at once),
* contains no words editors blocked (:mod:`indexer.searchlog.blocklist`).

Queries are compared in their normal form (:func:`indexer.query.text.normal_form`), the form
the log stores them in. One small aggregation on the log, then two Redis reads (the takedown
list, the blocklist).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import redis
from elasticsearch import Elasticsearch

from indexer.index import takedown_list
from indexer.query.text import normal_form
from indexer.searchlog import blocklist
from indexer.searchlog.events import SEARCH
from indexer.searchlog.names import SearchLogNames

# Distinct results looked at per query; a query shown more than this many different pages is
# not offered, since it could not be proved free of taken-down ones.
MAX_SHOWN = 1000
# Distinct visits are counted exactly up to here (cardinality's precision threshold); the
# minimum is far below it, so the count that decides is exact.
EXACT_VISITS = 200


@dataclass(frozen=True)
class Candidate:
    query: str
    searches: int
    shown: frozenset[str]
    visits: int


def build_past_queries(typed: str, since: datetime, min_visits: int, size: int,
                       timeout_ms: int) -> dict[str, Any]:
    return {
        "size": 0,
        "track_total_hits": False,
        "timeout": f"{timeout_ms}ms",
        "query": {"bool": {"filter": [
            {"term": {"event": SEARCH}},
            {"range": {"total": {"gt": 0}}},
            {"range": {"at": {"gte": since.isoformat()}}},
            {"prefix": {"query": normal_form(typed)}},
        ]}},
        "aggs": {"queries": {
            # Spares: some candidates may be blocked or tainted. A query has at least as many
            # searches as visits, so min_doc_count already drops what cannot qualify; the most
            # visited come first, so one reader's flood of searches takes no place.
            "terms": {"field": "query", "size": size * 4, "min_doc_count": max(min_visits, 1),
                      "order": [{"visits": "desc"}, {"_count": "desc"}, {"_key": "asc"}]},
            "aggs": {
                "visits": {"cardinality": {"field": "reader",
                                           "precision_threshold": max(EXACT_VISITS, min_visits)}},
                "anonymous": {"missing": {"field": "reader"}},
                "shown": {"terms": {"field": "results.id", "size": MAX_SHOWN}}}}},
    }


def visits(bucket: Mapping[str, Any]) -> int:
    """Distinct readers (see indexer.searchlog.readers), plus one for all the searches without
    a reader key together (Do Not Track, or Redis away when they were logged)."""
    anonymous = int(bucket.get("anonymous", {}).get("doc_count", 0))
    return int(bucket.get("visits", {}).get("value") or 0) + (1 if anonymous else 0)


def shape_candidates(resp: Mapping[str, Any], typed: str, min_visits: int = 1) -> list[Candidate]:
    out = []
    for bucket in (resp.get("aggregations") or {}).get("queries", {}).get("buckets", []):
        shown = bucket.get("shown", {})
        query = str(bucket["key"])
        # The reader's own text is no suggestion; a truncated list of results proves nothing.
        if query == normal_form(typed) or shown.get("sum_other_doc_count", 0):
            continue
        if visits(bucket) < min_visits:
            continue
        out.append(Candidate(query, int(bucket["doc_count"]),
                             frozenset(str(b["key"]) for b in shown.get("buckets", [])), visits(bucket)))
    return out


def choose(candidates: Iterable[Candidate], blocked_ids: set[str], blocked_words: Iterable[str],
           size: int) -> list[str]:
    words = list(blocked_words)
    kept = [c.query for c in candidates
            if not (c.shown & blocked_ids) and not blocklist.blocks(words, c.query)]
    return kept[:size]


def past_queries(client: Elasticsearch, names: SearchLogNames, store: redis.Redis, namespace: str,
                 typed: str, *, since: datetime, min_visits: int, size: int,
                 timeout_ms: int = 500) -> list[str]:
    if size <= 0:
        return []
    body = build_past_queries(typed, since, min_visits, size, timeout_ms)
    answer = client.search(index=names.pattern, body=body, ignore_unavailable=True, allow_no_indices=True)
    candidates = shape_candidates(answer.body, typed, min_visits)
    if not candidates:
        return []
    shown = set().union(*(c.shown for c in candidates))
    taken_down = takedown_list.blocked(store, namespace, shown)
    return choose(candidates, taken_down, (e.words for e in blocklist.entries(store, namespace)), size)
