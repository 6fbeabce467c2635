"""The writer and the analytics on the real Elasticsearch: events land in their day's index
with the template's mapping, the analytics count them, retention deletes old days, and a
log index that refuses writes costs nothing but the count of failed events."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest

from indexer.searchlog import retention
from indexer.searchlog.analytics import Analytics
from indexer.searchlog.events import ClickEvent, SearchEvent
from indexer.searchlog.names import SearchLogNames
from indexer.searchlog.periods import Window
from indexer.searchlog.writer import LogWriter, WriterOptions
from tests.indexer.searchlog.conftest import UNWRITABLE, delete_log, logged_search, unwritable

pytestmark = pytest.mark.integration

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def names(es, unique_name: str) -> Iterator[SearchLogNames]:  # type: ignore[no-untyped-def]
    names = SearchLogNames(unique_name)
    yield names
    delete_log(es, unique_name)


def _writer(es, names: SearchLogNames, tally: Counter[str]) -> LogWriter:  # type: ignore[no-untyped-def]
    return LogWriter(lambda: es, names, WriterOptions(flush_seconds=0.05, retention_days=30),
                     lambda outcome, n: tally.update({outcome: n}))


def _search(q: str, total: int, at: dt.datetime = NOW) -> SearchEvent:
    return logged_search(q, total, at, visit_id="v" * 32)


def _settle(es, writer: LogWriter, names: SearchLogNames) -> None:  # type: ignore[no-untyped-def]
    assert writer.flush(10)
    es.indices.refresh(index=names.pattern)


def test_searches_and_clicks_land_in_the_log_and_the_analytics_count_them(es, names) -> None:  # type: ignore[no-untyped-def]
    tally: Counter[str] = Counter()
    writer = _writer(es, names, tally)
    solar = [_search("Solar", 12) for _ in range(3)]
    events = [*solar, _search("solar", 12), _search("harvset", 0), _search("wind", 4), _search("wind", 4),
              ClickEvent(solar[0].search_id, "Solar", 1, "doc-Solar-0", "https://example.org/0", at=NOW),
              ClickEvent(solar[0].search_id, "Solar", 3, "doc-Solar-2", "https://example.org/2", at=NOW),
              ClickEvent(solar[1].search_id, "Solar", 2, "doc-Solar-1", "https://example.org/1", at=NOW)]
    for event in events:
        assert writer.submit(event)
    _settle(es, writer, names)
    assert tally == {"written": len(events)}
    assert list(es.indices.get_alias(name=names.alias).body) == [names.daily(NOW)]

    analytics, window = Analytics(es, names), Window.since("1d")
    s = analytics.summary(window)
    assert (s.searches, s.zero_results, s.clicks, s.clicked_searches, s.visits) == (7, 1, 3, 2, 1)
    assert s.click_through_rate == pytest.approx(2 / 7)
    assert s.clicks_by_position == {1: 1, 2: 1, 3: 1}
    assert s.mean_reciprocal_rank == pytest.approx((1 + 1 / 2 + 1 / 3) / 3)
    assert s.per_day[-1].day == NOW.date().isoformat() and s.per_day[-1].searches == 7

    top = analytics.top(window)
    # "Solar" and "solar" are one query: the keyword is lower-cased.
    assert [(r.query, r.searches, r.clicks, r.clicked_searches) for r in top] == [
        ("solar", 4, 3, 2), ("wind", 2, 0, 0), ("harvset", 1, 0, 0)]
    assert [(r.query, r.zero_results) for r in analytics.zero_results(window)] == [("harvset", 1)]
    assert [r.query for r in analytics.no_clicks(window)] == ["wind"]


def test_trending_compares_with_the_window_before(es, names) -> None:  # type: ignore[no-untyped-def]
    writer = _writer(es, names, Counter())
    before = NOW - dt.timedelta(days=1, hours=2)
    for q, now_count, before_count in (("rising", 4, 1), ("falling", 1, 3), ("brand new", 2, 0)):
        for _ in range(now_count):
            writer.submit(_search(q, 5))
        for _ in range(before_count):
            writer.submit(_search(q, 5, at=before))
    _settle(es, writer, names)
    trends = Analytics(es, names).trending(Window.since("1d"))
    assert [(t.query, t.current, t.previous) for t in trends] == [("rising", 4, 1), ("brand new", 2, 0)]


def test_retention_deletes_the_days_past_the_setting(es, names) -> None:  # type: ignore[no-untyped-def]
    writer = _writer(es, names, Counter())
    old, kept = NOW - dt.timedelta(days=40), NOW - dt.timedelta(days=2)
    for at in (old, kept):
        writer.submit(_search("archive", 1, at=at))
    _settle(es, writer, names)
    # The writer's first batch ran retention before the old day existed: run it as the CLI does.
    deleted = retention.prune(es, names, NOW.date(), keep_days=30)
    assert deleted == [names.daily(old)]
    assert sorted(es.indices.get(index=names.pattern).body) == [names.daily(kept)]


@pytest.mark.parametrize("how", UNWRITABLE)
def test_an_unwritable_log_counts_failures_and_raises_nothing(es, names, how: str) -> None:  # type: ignore[no-untyped-def]
    tally: Counter[str] = Counter()
    writer = _writer(es, names, tally)
    writer.submit(_search("first", 1))
    _settle(es, writer, names)
    with unwritable(es, names.daily(NOW), how):
        for _ in range(3):
            assert writer.submit(_search("refused", 1))
        assert writer.flush(10)
        assert tally == {"written": 1, "failed": 3}


def test_a_day_made_by_an_older_mapping_takes_the_fields_added_since(es, names) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from indexer.index import mapping

    # Today's index as the previous release made it: the strict mapping without `reader`.
    spec = mapping.load("searchlog")
    older = {k: v for k, v in spec.mappings["properties"].items() if k != "reader"}
    today = names.daily(NOW)
    es.indices.create(index=today, settings=spec.settings, mappings={**spec.mappings, "properties": older})
    tally: Counter[str] = Counter()
    writer = _writer(es, names, tally)
    writer.submit(replace(_search("solar", 3), reader="r" * 32))
    _settle(es, writer, names)
    assert tally == Counter({"written": 1})
    assert es.search(index=today, query={"term": {"reader": "r" * 32}})["hits"]["total"]["value"] == 1
