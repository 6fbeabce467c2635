"""Reader input → SearchRequest: defaults, every limit, every bad value."""

from __future__ import annotations

import datetime as dt

import pytest
from werkzeug.datastructures import MultiDict

from indexer.query import SearchRequestError, parse_search_args, parse_suggest_args
from indexer.query.request import MAX_PAGE_SIZE, MAX_QUERY_CHARS, MAX_RESULT_WINDOW

pytestmark = pytest.mark.unit


def parse(*pairs: tuple[str, str]):
    return parse_search_args(MultiDict(list(pairs)))


def test_defaults_browse_everything_newest_first() -> None:
    req = parse()
    assert (req.q, req.page, req.size, req.exact) == ("", 1, 10, False)
    assert req.fields == ("title", "content")
    assert req.sort == "relevance" and req.effective_sort == "newest"


def test_query_whitespace_is_collapsed() -> None:
    assert parse(("q", "  climate \n  change ")).q == "climate change"


def test_repeatable_filters_keep_order_and_drop_blanks_and_repeats() -> None:
    req = parse(("category", "News"), ("category", ""), ("category", "Events"), ("category", "News"),
                ("year", "2021"))
    assert req.selected("category") == ("News", "Events")
    assert req.selected("year") == ("2021",)
    assert req.selected("tag") == ()


def test_in_chooses_fields_and_none_means_both() -> None:
    assert parse(("in", "title")).fields == ("title",)
    assert parse(("in", "content"), ("in", "title")).fields == ("title", "content")
    # A blank `in` (`?in=`) restricts nothing, like no `in` at all.
    assert parse(("in", "")).fields == ("title", "content") == parse(("in", " "), ("in", "")).fields
    assert parse(("in", ""), ("in", "title")).fields == ("title",)


def test_exact_accepts_checkbox_values() -> None:
    assert parse(("exact", "1")).exact and parse(("exact", "on")).exact
    assert not parse(("exact", "0")).exact


def test_dates_are_inclusive_iso_days() -> None:
    req = parse(("from", "2020-01-01"), ("to", "2020-12-31"))
    assert (req.date_from, req.date_to) == (dt.date(2020, 1, 1), dt.date(2020, 12, 31))


@pytest.mark.parametrize(("pairs", "param", "code"), [
    ((("size", str(MAX_PAGE_SIZE + 1)),), "size", "invalid_parameter"),
    ((("size", "0"),), "size", "invalid_parameter"),
    ((("page", "0"),), "page", "invalid_parameter"),
    ((("page", "two"),), "page", "invalid_parameter"),
    ((("page", str(MAX_RESULT_WINDOW // 10 + 1)),), "page", "too_deep"),
    ((("page", "201"), ("size", "50")), "page", "too_deep"),
    ((("sort", "random"),), "sort", "invalid_parameter"),
    ((("in", "comments"),), "in", "invalid_parameter"),
    ((("exact", "maybe"),), "exact", "invalid_parameter"),
    ((("from", "2020-13-01"),), "from", "invalid_parameter"),
    ((("from", "2021-01-01"), ("to", "2020-01-01")), "from", "invalid_parameter"),
    ((("year", "20x1"),), "year", "invalid_parameter"),
    ((("q", "x" * (MAX_QUERY_CHARS + 1)),), "q", "invalid_parameter"),
    ((("category", "c" * 201),), "category", "invalid_parameter"),
    (tuple(("tag", f"t{i}") for i in range(21)), "tag", "invalid_parameter"),
])
def test_bad_input_raises_a_typed_error_with_a_message(pairs, param: str, code: str) -> None:
    with pytest.raises(SearchRequestError) as info:
        parse(*pairs)
    assert info.value.param == param and info.value.code == code
    assert info.value.message and info.value.message == str(info.value)


def test_the_last_reachable_page_is_accepted() -> None:
    req = parse(("page", "200"), ("size", "50"))
    assert req.offset + req.size == MAX_RESULT_WINDOW


def test_suggest_text_is_limited() -> None:
    assert parse_suggest_args(MultiDict([("q", " clim ")])) == "clim"
    with pytest.raises(SearchRequestError):
        parse_suggest_args(MultiDict([("q", "y" * 101)]))


def test_a_pasted_question_of_five_hundred_characters_is_taken() -> None:
    question = " ".join(["what is known about shape recognition by computer"] * 12)
    assert 500 < len(question) <= MAX_QUERY_CHARS
    assert parse_search_args(MultiDict({"q": question})).q == question
