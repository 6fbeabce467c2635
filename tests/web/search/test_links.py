"""The page's derived URLs, pagination and year bars (no services)."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from indexer.query import SearchRequest, parse_search_args
from indexer.query.fields import FACET_NAMES
from web.search import labels
from web.search.links import (
    Links,
    chips,
    clean_args,
    display_url,
    last_page,
    neither_field,
    pagination,
    past_the_end,
    text_direction,
    year_bars,
)

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


def test_year_bars_scale_to_the_busiest_year_in_order_with_empty_years_between() -> None:
    bars = year_bars([{"value": 2021, "count": 10, "selected": False},
                      {"value": 2019, "count": 5, "selected": True},
                      {"value": 2016, "count": 1, "selected": False}])
    assert [(b.year, b.count, b.height, b.selected) for b in bars] == [
        (2016, 1, 2, False), (2017, 0, 0, False), (2018, 0, 0, False), (2019, 5, 10, True),
        (2020, 0, 0, False), (2021, 10, 20, False)]
    assert year_bars([]) == []


def test_ticked_years_without_results_do_not_stretch_the_chart() -> None:
    facet = [{"value": 2021, "count": 3, "selected": False}, {"value": 1000, "count": 0, "selected": True},
             {"value": 9999, "count": 0, "selected": True}]
    assert [b.year for b in year_bars(facet)] == [2021]
    assert year_bars(facet[1:]) == []


def test_clean_args_drop_empty_values_and_defaults_in_order() -> None:
    form = MultiDict([("q", "solar"), ("exact", "0"), ("in", ""), ("in", "title"), ("in", "content"),
                      ("from", ""), ("to", " "), ("sort", "relevance"), ("page", "1"), ("utm_source", "x")])
    assert list(clean_args(form).items(multi=True)) == [("q", "solar"), ("utm_source", "x")]
    kept = MultiDict([("q", "solar"), ("in", ""), ("in", "title"), ("sort", "newest"), ("page", "2")])
    assert list(clean_args(kept).items(multi=True)) == [("q", "solar"), ("in", "title"), ("sort", "newest"),
                                                         ("page", "2")]


def test_neither_field_is_the_forms_empty_in_alone() -> None:
    assert neither_field(MultiDict([("q", "a"), ("in", "")]))
    assert not neither_field(MultiDict([("q", "a"), ("in", ""), ("in", "title")]))
    assert not neither_field(MultiDict([("q", "a")]))  # a link that names no field: both, as always


def test_links_never_carry_empty_or_default_parameters() -> None:
    links = Links(MultiDict([("q", "a"), ("from", ""), ("page", "3")]), path="/search")
    assert links.with_(page=1) == "?q=a"
    assert links.with_(q=None) == "/search"  # not a bare "?"
    everything = Links(MultiDict([("q", "a"), ("category", "News"), ("exact", "1"), ("sort", "oldest")]))
    assert everything.cleared() == "?q=a&sort=oldest"


def test_past_the_last_page() -> None:
    req = SearchRequest(page=20, size=10)
    assert last_page(req, 114) == 12 and past_the_end(req, 114)
    assert not past_the_end(SearchRequest(page=12), 114)
    assert not past_the_end(SearchRequest(page=3), 0)  # nothing found is its own message


def test_display_url() -> None:
    # The date's numbers are left out: the result shows its date on a line of its own.
    assert display_url("https://www.example.org/2024/03/solar/") == "example.org › solar"
    assert display_url("https://example.org/fa/2024/03/solar-3/") == "example.org › fa › solar-3"
    assert display_url("https://example.org/") == "example.org"
    assert display_url(None) == ""


@pytest.mark.parametrize(("language", "direction"), [("fa", "rtl"), ("ar-EG", "rtl"), ("en", "ltr"),
                                                     (None, "auto")])
def test_text_direction(language, direction: str) -> None:
    assert text_direction(language) == direction


@pytest.fixture
def request_context():  # type: ignore[no-untyped-def]
    from web import create_app

    app = create_app({"TESTING": True})
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        yield


def test_chips_one_per_filter_each_link_removes_only_its_own(request_context) -> None:
    args = MultiDict([("q", "sun"), ("category", "News"), ("language", "fa"), ("type", "post"),
                      ("from", "2020-01-31"), ("exact", "1"), ("in", "title")])
    links = Links(args)
    found = {(c.kind, c.label): c.href for c in chips(parse_search_args(args), links)}
    assert found == {
        ("Category", "News"): "?q=sun&language=fa&type=post&from=2020-01-31&exact=1&in=title",
        ("Language", "Persian"): "?q=sun&category=News&type=post&from=2020-01-31&exact=1&in=title",
        ("Type", "Article"): "?q=sun&category=News&language=fa&from=2020-01-31&exact=1&in=title",
        ("From", "Jan 31, 2020"): "?q=sun&category=News&language=fa&type=post&exact=1&in=title",
        ("Match", "Exact matches only"):
            "?q=sun&category=News&language=fa&type=post&from=2020-01-31&in=title",
        ("Search in", "Titles only"): "?q=sun&category=News&language=fa&type=post&from=2020-01-31&exact=1",
    }


def test_every_declared_facet_has_a_sidebar_title_and_a_chip_kind() -> None:
    # Labels are UI strings the catalog extracts, so they cannot live in indexer/article_fields.py.
    assert set(labels.FACET_TITLES) == set(labels.CHIP_KINDS) == set(FACET_NAMES)


def test_readable_labels_for_codes(request_context) -> None:
    assert labels.facet_label("language", "en") == "English"
    assert labels.facet_label("language", "fa") == "Persian"
    assert labels.language_autonym("fa") == "فارسی"
    assert labels.language_autonym("en") == ""  # the same as its label: not said twice
    assert labels.facet_label("language", "sv") == "Swedish"  # not in the catalog: CLDR's name
    assert labels.facet_label("language", "xx-unknown") == "xx-unknown"
    assert labels.facet_label("type", "post") == "Article"
    assert labels.facet_label("type", "video") == "Video"
    assert labels.facet_label("type", "case_study") == "Case study"
    assert labels.facet_label("category", "en") == "en"  # other facets are shown as they are
