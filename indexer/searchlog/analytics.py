"""The thin runner: each view's body (:mod:`indexer.searchlog.aggregations`) sent to the
log's daily indices, the answer shaped. The console, the CLI and tests share it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch

from indexer.searchlog import aggregations as agg
from indexer.searchlog.aggregations import QueryRow, Summary, Trend
from indexer.searchlog.names import SearchLogNames
from indexer.searchlog.periods import Window

# The query lists an editor picks from.
TOP, ZERO_RESULTS, NO_CLICKS, TRENDING = "top", "zero-results", "no-clicks", "trending"
KINDS = (TOP, ZERO_RESULTS, NO_CLICKS, TRENDING)


@dataclass(frozen=True)
class Report:
    """Everything the console's page shows for one window."""

    window: Window
    summary: Summary
    top: list[QueryRow]
    trending: list[Trend]
    zero_results: list[QueryRow]
    no_clicks: list[QueryRow]

    def to_dict(self) -> dict[str, Any]:
        return {"since": self.window.label, "start": self.window.start.isoformat(),
                "end": self.window.end.isoformat(), "summary": self.summary.to_dict(),
                "top": [r.to_dict() for r in self.top], "trending": [t.to_dict() for t in self.trending],
                "zero_results": [r.to_dict() for r in self.zero_results],
                "no_clicks": [r.to_dict() for r in self.no_clicks]}


class Analytics:
    def __init__(self, client: Elasticsearch, names: SearchLogNames) -> None:
        self._client = client
        self._names = names

    def _run(self, body: dict[str, Any]) -> dict[str, Any]:
        # No log yet (nothing searched, or every day expired) is an empty report, not an error;
        # a closed day (an operator archiving it) is left out rather than failing the view.
        answer = self._client.search(index=self._names.pattern, body=body, ignore_unavailable=True,
                                     allow_no_indices=True)
        return dict(answer.body)

    def summary(self, window: Window) -> Summary:
        return agg.shape_summary(self._run(agg.build_summary(window)))

    def top(self, window: Window, limit: int = 50) -> list[QueryRow]:
        return agg.shape_queries(self._run(agg.build_queries(window, size=limit)))

    def zero_results(self, window: Window, limit: int = 50) -> list[QueryRow]:
        return agg.shape_queries(self._run(agg.build_queries(window, zero_only=True, size=limit)))

    def no_clicks(self, window: Window, limit: int = 50) -> list[QueryRow]:
        # Among the most searched queries: the ones that matter, and a bounded request.
        rows = agg.shape_queries(self._run(agg.build_queries(window, size=agg.MAX_QUERIES)))
        return agg.without_clicks(rows)[:limit]

    def trending(self, window: Window, limit: int = 50) -> list[Trend]:
        return agg.shape_trending(self._run(agg.build_trending(window)), limit)

    def queries(self, kind: str, window: Window, limit: int = 50) -> list[QueryRow] | list[Trend]:
        if kind == TRENDING:
            return self.trending(window, limit)
        rows: dict[str, Callable[[Window, int], list[QueryRow]]] = {
            TOP: self.top, ZERO_RESULTS: self.zero_results, NO_CLICKS: self.no_clicks}
        if kind not in rows:
            raise ValueError(f"not a query list: {kind!r} (one of {', '.join(KINDS)})")
        return rows[kind](window, limit)

    def report(self, window: Window, limit: int = 50) -> Report:
        return Report(window, self.summary(window), self.top(window, limit), self.trending(window, limit),
                      self.zero_results(window, limit), self.no_clicks(window, limit))
