"""Past-query suggestions, without services: which candidates survive the takedown list and
the blocklist, and how they are merged with article titles."""

from __future__ import annotations

import datetime as dt

import pytest

from indexer.query.autocomplete import merge_suggestions
from indexer.query.text import normal_form
from indexer.searchlog import blocklist
from indexer.searchlog.suggestions import Candidate, build_past_queries, choose, shape_candidates

pytestmark = pytest.mark.unit


def test_the_body_asks_for_frequent_queries_that_found_something_starting_with_the_typed_text() -> None:
    body = build_past_queries("Solar  Fa", dt.datetime(2026, 1, 1, tzinfo=dt.UTC), min_visits=5, size=3,
                              timeout_ms=300)
    filters = body["query"]["bool"]["filter"]
    assert {"prefix": {"query": "solar fa"}} in filters and {"range": {"total": {"gt": 0}}} in filters
    terms = body["aggs"]["queries"]["terms"]
    # At least as many searches as visits; the most visited first, not the most repeated.
    assert terms["min_doc_count"] == 5 and terms["size"] == 12
    assert terms["order"][0] == {"visits": "desc"}
    sub = body["aggs"]["queries"]["aggs"]
    assert sub["visits"]["cardinality"]["field"] == "reader"
    assert sub["anonymous"] == {"missing": {"field": "reader"}}


def _bucket(key: str, searches: int, visits: int, anonymous: int = 0, shown: tuple[str, ...] = ("a",),
            more_shown: int = 0) -> dict[str, object]:
    return {"key": key, "doc_count": searches, "visits": {"value": visits},
            "anonymous": {"doc_count": anonymous},
            "shown": {"buckets": [{"key": s} for s in shown], "sum_other_doc_count": more_shown}}


def test_candidates_leave_out_the_typed_text_and_queries_with_too_many_results_to_check() -> None:
    resp = {"aggregations": {"queries": {"buckets": [
        _bucket("solar", 9, 9), _bucket("solar farm", 7, 7, shown=("a", "b")),
        _bucket("solar power", 6, 6, shown=("c",), more_shown=4)]}}}
    assert shape_candidates(resp, "Solar", min_visits=2) == [
        Candidate("solar farm", 7, frozenset({"a", "b"}), visits=7)]


def test_one_visitor_never_makes_a_query_a_suggestion_however_often_they_search_it() -> None:
    resp = {"aggregations": {"queries": {"buckets": [
        _bucket("my own name", 40, 1),  # one visit, forty searches
        _bucket("private matter", 9, 0, anonymous=9),  # no visit ids: maybe one reader
        _bucket("solar farm", 3, 2),
        _bucket("solar roofs", 6, 1, anonymous=5)]}}}  # one visit and the untracked ones: two
    offered = shape_candidates(resp, "x", min_visits=2)
    assert [(c.query, c.visits) for c in offered] == [("solar farm", 2), ("solar roofs", 2)]
    assert [c.query for c in shape_candidates(resp, "x", min_visits=1)] == [
        "my own name", "private matter", "solar farm", "solar roofs"]


def test_taken_down_pages_and_blocked_words_keep_a_query_out() -> None:
    candidates = [Candidate("solar farm", 9, frozenset({"a"}), 9),
                  Candidate("solar scandal news", 8, frozenset({"b"}), 8),
                  Candidate("solar grants", 7, frozenset({"c", "gone"}), 7),
                  Candidate("solar roofs", 6, frozenset(), 6)]
    assert choose(candidates, {"gone"}, ["scandal"], size=5) == ["solar farm", "solar roofs"]
    assert choose(candidates, set(), [], size=2) == ["solar farm", "solar scandal news"]


@pytest.mark.parametrize(("typed", "normal"), [
    ("  Bad   WORD ", "bad word"),
    ("Straße\tNEWS", "straße news"),  # lower-cased as the log's keyword is, not case-folded (strasse)
    ("Cats OR Dogs", "cats or dogs"),
    ("", ""),
])
def test_a_query_has_one_normal_form_the_log_stores_and_the_blocklist_and_suggestions_compare(
        typed: str, normal: str) -> None:
    assert normal_form(typed) == normal
    assert blocklist.blocks([normal_form(typed)], typed) == bool(normal)


def test_an_entry_blocks_its_words_in_a_row_only() -> None:
    assert blocklist.blocks(["bad word"], "the Bad word news")
    assert not blocklist.blocks(["bad word"], "bad news about a word")
    assert not blocklist.blocks(["word"], "wordpress tips")  # words, not substrings
    assert not blocklist.blocks([], "anything")


def test_past_queries_come_first_then_titles_ten_at_most() -> None:
    titles = [{"title": f"Solar report {n}", "url": f"https://example.org/{n}"} for n in range(10)]
    merged = merge_suggestions(["solar farm", "solar report 3"], titles)
    assert merged[0] == {"title": "solar farm", "url": None}
    # "solar report 3" is an article's title as well: offered once, as the article.
    assert [s["title"] for s in merged].count("Solar report 3") == 1 and len(merged) == 10
    assert merge_suggestions([], titles[:2]) == titles[:2]
