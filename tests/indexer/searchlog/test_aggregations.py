"""The analytics bodies ask only for core aggregations, and their answers shape into the
figures the docs define (CTR, MRR, zero-result share, trends)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from indexer.searchlog import aggregations as agg
from indexer.searchlog.periods import Window

pytestmark = pytest.mark.unit

WINDOW = Window.since("7d", dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
# What the embedded node lacks (modules missing from the Maven distribution).
PIPELINE = ("bucket_selector", "bucket_sort", "bucket_script", "derivative", "moving_fn")


@pytest.mark.parametrize("body", [agg.build_summary(WINDOW), agg.build_queries(WINDOW),
                                  agg.build_queries(WINDOW, zero_only=True), agg.build_trending(WINDOW)])
def test_bodies_use_core_aggregations_only_and_skip_empty_queries(body: dict) -> None:
    text = json.dumps(body)
    assert not any(name in text for name in PIPELINE)
    assert body["size"] == 0
    assert {"term": {"query": ""}} in body["query"]["bool"]["must_not"]


def test_summary_figures() -> None:
    resp = {"aggregations": {
        "searches": {"doc_count": 10, "zero": {"doc_count": 2}},
        "clicks": {"doc_count": 6, "clicked": {"value": 4}},
        "visits": {"value": 3},
        "positions": {"by": {"buckets": [{"key": 1, "doc_count": 3}, {"key": 2, "doc_count": 2},
                                         {"key": 4, "doc_count": 1}]}},
        "per_day": {"buckets": [{"key_as_string": "2026-03-09", "searches": {"doc_count": 10},
                                 "zero": {"doc_count": 2}, "clicks": {"doc_count": 6}}]}}}
    s = agg.shape_summary(resp)
    assert (s.searches, s.visits, s.zero_results, s.clicks, s.clicked_searches) == (10, 3, 2, 6, 4)
    assert s.click_through_rate == pytest.approx(0.4)
    assert s.zero_result_rate == pytest.approx(0.2)
    assert s.mean_reciprocal_rank == pytest.approx((3 / 1 + 2 / 2 + 1 / 4) / 6)
    assert s.to_dict()["clicks_by_position"] == {"1": 3, "2": 2, "4": 1}
    assert s.per_day[0] == agg.Day("2026-03-09", 10, 2, 6)


def test_an_empty_log_is_all_zeros_not_a_division_by_zero() -> None:
    s = agg.shape_summary({"hits": {"hits": []}})
    assert (s.searches, s.click_through_rate, s.mean_reciprocal_rank, s.per_day) == (0, 0.0, 0.0, [])
    assert agg.shape_queries({}) == [] and agg.shape_trending({}) == []


def _bucket(query: str, searches: int, zero: int, clicks: int, clicked: int) -> dict:
    return {"key": query, "searches": {"doc_count": searches, "zero": {"doc_count": zero},
                                       "last": {"value_as_string": "2026-03-09T10:00:00.000Z"}},
            "clicks": {"doc_count": clicks, "clicked": {"value": clicked}}}


def test_query_rows_and_the_unclicked_ones() -> None:
    resp = {"aggregations": {"queries": {"buckets": [
        _bucket("solar", 5, 0, 3, 2), _bucket("nothing here", 4, 4, 0, 0), _bucket("wind", 3, 1, 0, 0),
        _bucket("clicked only", 0, 0, 1, 1)]}}}
    rows = agg.shape_queries(resp)
    assert [r.query for r in rows] == ["solar", "nothing here", "wind"]
    assert rows[0].click_through_rate == pytest.approx(0.4)
    # "nothing here" found nothing (a zero-result query, not an unclicked one); "wind" found
    # results twice and no one clicked.
    assert [r.query for r in agg.without_clicks(rows)] == ["wind"]


def test_trending_is_the_largest_gain_first_and_new_queries_have_no_ratio() -> None:
    def b(q: str, now: int, before: int) -> dict:
        return {"key": q, "current": {"doc_count": now}, "previous": {"doc_count": before}}

    resp = {"aggregations": {"queries": {"buckets": [b("steady", 9, 9), b("up", 8, 2), b("new", 5, 0),
                                                     b("down", 1, 7)]}}}
    trends = agg.shape_trending(resp)
    assert [t.query for t in trends] == ["up", "new"]
    assert trends[0].growth == pytest.approx(3.0) and trends[1].growth is None
    assert trends[1].to_dict() == {"query": "new", "current": 5, "previous": 0, "growth": None}
