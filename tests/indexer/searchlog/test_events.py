"""The two events: what a search and a click record, and that nothing about the reader is."""

from __future__ import annotations

import datetime as dt

import pytest

from indexer.query import SearchRequest
from indexer.searchlog.events import ClickEvent, filter_terms, search_event

pytestmark = pytest.mark.unit

RESULT = {"total": 42, "hits": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}


def test_a_search_records_query_filters_and_what_was_shown_at_which_position() -> None:
    req = SearchRequest(q="solar panels", filters={"year": ("2021", "2022"), "category": ("Energy",)},
                        date_from=dt.date(2020, 1, 1), page=3, size=10)
    event = search_event(req, RESULT, mode="hybrid", latency_ms=12, visit_id="v" * 32)
    doc = event.to_doc()
    assert doc["event"] == "search" and doc["query"] == "solar panels" and doc["mode"] == "hybrid"
    assert doc["filters"] == ["category:Energy", "year:2021", "year:2022"]
    # Page 3 of ten a page: the first result shown is the 21st.
    assert doc["results"] == [{"id": "a", "position": 21}, {"id": "b", "position": 22},
                              {"id": "c", "position": 23}]
    assert doc["total"] == 42 and doc["latency_ms"] == 12 and doc["page"] == 3
    assert doc["date_from"] == "2020-01-01" and "date_to" not in doc
    assert doc["search_id"] == event.event_id and len(event.search_id) == 32


def test_no_address_or_agent_is_ever_a_field() -> None:
    search = search_event(SearchRequest(q="x"), RESULT, mode="lexical", latency_ms=1, visit_id=None).to_doc()
    click = ClickEvent("s", "x", 1, "a", "https://example.org/a").to_doc()
    for doc in (search, click):
        assert not {"ip", "client", "address", "user_agent", "remote_addr"} & set(doc)
        # No visit id (cookie off, or the browser asked not to be tracked): no field at all.
        assert "visit_id" not in doc


def test_a_click_names_its_search_position_and_article() -> None:
    at = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)
    click = ClickEvent("s1", "solar", 2, "doc-b", "https://example.org/b", visit_id="v1", at=at)
    assert click.to_doc() == {"event": "click", "at": "2026-01-02T03:04:00+00:00", "search_id": "s1",
                              "query": "solar", "position": 2, "doc_id": "doc-b",
                              "url": "https://example.org/b", "visit_id": "v1"}


def test_a_click_reported_again_is_the_same_click_filed_in_the_day_its_results_were_shown() -> None:
    shown = dt.datetime(2026, 1, 1, 23, 59, tzinfo=dt.UTC)
    first = ClickEvent("s1", "solar", 2, "doc-b", "https://example.org/b", shown_at=shown,
                       at=shown + dt.timedelta(minutes=1))
    # A replayed token, hours later (past midnight): same id, same day's index, so one click.
    replay = ClickEvent("s1", "solar", 2, "doc-b", "https://example.org/b", shown_at=shown,
                        at=shown + dt.timedelta(hours=5))
    assert first.event_id == replay.event_id and first.filed_at == replay.filed_at == shown
    assert first.event_id != ClickEvent("s1", "solar", 3, "doc-c", "https://example.org/c").event_id
    assert first.event_id != ClickEvent("s2", "solar", 2, "doc-b", "https://example.org/b").event_id
    # Without the moment it was shown (a test, an old token), its own day.
    assert ClickEvent("s1", "solar", 2, "doc-b", "u", at=shown).filed_at == shown


def test_a_search_logs_its_query_in_normal_form() -> None:
    event = search_event(SearchRequest(q="  Solar\tFARM  "), RESULT, mode="lexical", latency_ms=1,
                         visit_id=None)
    assert event.to_doc()["query"] == "solar farm"


def test_filter_terms_are_one_keyword_per_value() -> None:
    assert filter_terms({}) == ()
    assert filter_terms({"tag": ("a b", "c")}) == ("tag:a b", "tag:c")
