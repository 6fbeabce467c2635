"""The page's derived URLs, pagination and year bars (no services)."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from indexer.query import SearchRequest
from web.search.links import Links, pagination, text_direction, year_bars

pytestmark = pytest.mark.unit


def test_changing_anything_but_the_page_goes_back_to_page_one() -> None:
    links = Links(MultiDict([("q", "a b"), ("category", "News"), ("page", "3")]))
    assert links.with_(sort="newest") == "?q=a+b&category=News&sort=newest"
    assert links.with_(page=4) == "?q=a+b&category=News&page=4"


def test_toggling_a_facet_value() -> None:
    links = Links(MultiDict([("category", "News"), ("category", "Events")]))
    assert links.toggled("category", "News") == "?category=Events"
    assert links.toggled("year", 2020) == "?category=News&category=Events&year=2020"


def test_pagination_window_with_gaps_and_the_result_window() -> None:
    pages = pagination(SearchRequest(page=10, size=10), total=1000)
    numbers = [p.number if p else None for p in pages]
    assert numbers == [1, None, 8, 9, 10, 11, 12, None, 100]
    assert [p.number for p in pages if p and p.current] == [10]
    deep = pagination(SearchRequest(page=1, size=50), total=1_000_000)
    assert deep[-1] is not None and deep[-1].number == 200
    assert pagination(SearchRequest(), total=7) == []


def test_year_bars_scale_to_the_busiest_year_in_order() -> None:
    bars = year_bars([{"value": 2021, "count": 10, "selected": False},
                      {"value": 2019, "count": 5, "selected": True}])
    assert [(b.year, b.height, b.selected) for b in bars] == [(2019, 10, True), (2021, 20, False)]


@pytest.mark.parametrize(("language", "direction"), [("fa", "rtl"), ("ar-EG", "rtl"), ("en", "ltr"),
                                                     (None, "auto")])
def test_text_direction(language, direction: str) -> None:
    assert text_direction(language) == direction
