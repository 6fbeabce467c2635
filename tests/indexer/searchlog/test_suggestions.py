"""Past-query suggestions, without services: which candidates survive the takedown list and
the blocklist, and how they are merged with article titles."""

from __future__ import annotations

import datetime as dt

import pytest

from indexer.query.autocomplete import merge_suggestions
from indexer.searchlog import blocklist
from indexer.searchlog.suggestions import Candidate, build_past_queries, choose, shape_candidates

pytestmark = pytest.mark.unit


def test_the_body_asks_for_frequent_queries_that_found_something_starting_with_the_typed_text() -> None:
    body = build_past_queries("Solar Fa", dt.datetime(2026, 1, 1, tzinfo=dt.UTC), min_count=5, size=3,
                              timeout_ms=300)
    filters = body["query"]["bool"]["filter"]
    assert {"prefix": {"query": "solar fa"}} in filters and {"range": {"total": {"gt": 0}}} in filters
    terms = body["aggs"]["queries"]["terms"]
    assert terms["min_doc_count"] == 5 and terms["size"] == 12


def test_candidates_leave_out_the_typed_text_and_queries_with_too_many_results_to_check() -> None:
    resp = {"aggregations": {"queries": {"buckets": [
        {"key": "solar", "doc_count": 9, "shown": {"buckets": [{"key": "a"}], "sum_other_doc_count": 0}},
        {"key": "solar farm", "doc_count": 7, "shown": {"buckets": [{"key": "a"}, {"key": "b"}],
                                                        "sum_other_doc_count": 0}},
        {"key": "solar power", "doc_count": 6, "shown": {"buckets": [{"key": "c"}],
                                                         "sum_other_doc_count": 4}}]}}}
    assert shape_candidates(resp, "Solar") == [Candidate("solar farm", 7, frozenset({"a", "b"}))]


def test_taken_down_pages_and_blocked_words_keep_a_query_out() -> None:
    candidates = [Candidate("solar farm", 9, frozenset({"a"})),
                  Candidate("solar scandal news", 8, frozenset({"b"})),
                  Candidate("solar grants", 7, frozenset({"c", "gone"})),
                  Candidate("solar roofs", 6, frozenset())]
    assert choose(candidates, {"gone"}, ["scandal"], size=5) == ["solar farm", "solar roofs"]
    assert choose(candidates, set(), [], size=2) == ["solar farm", "solar scandal news"]


def test_an_entry_blocks_its_words_in_a_row_only() -> None:
    assert blocklist.normalise("  Bad   WORD ") == "bad word"
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
