"""The search page's layout and controls in headless chromium at phone (360/390 px) and desktop
(1280 px) widths, with and without JavaScript, on the GARDEN corpus (tests/web/browser/conftest.py).
Every expectation is computed from the corpus; Elasticsearch is the real one."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE, DESKTOP = 390, 1280
SIZES = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def count_text(n: int) -> str:
    return f"{n} result" if n == 1 else f"{n} results"


def with_word(garden: list[dict[str, Any]], word: str) -> list[dict[str, Any]]:
    return [p for p in garden if word in (p["title"] + " " + p["content"]).lower()]


def params(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query, keep_blank_values=True)


def assert_clean(url: str) -> None:
    """No empty parameter and no default spelled out: one URL per state."""
    pairs = params(url)
    assert all(value for _, value in pairs), url
    assert ("page", "1") not in pairs and ("sort", "relevance") not in pairs, url


def assert_no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    sizes = page.evaluate(SIZES)
    assert sizes[0] <= sizes[1], f"the page is {sizes[0]} px wide in a {sizes[1]} px window"


def ready(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """Go to ``url`` and wait for the page's script: controls apply on change only once it runs."""
    page.goto(url)
    page.wait_for_load_state("load")


@pytest.mark.parametrize("width", [360, PHONE, DESKTOP])
def test_no_sideways_scroll_on_results(open_page, garden_url, width: int) -> None:
    page = open_page(width)
    # Long labels on purpose: chips for several filters, the Persian language, a date.
    ready(page, f"{garden_url}/?q=garden&category=Orchards&category=Compost&type=post&from=2012-01-01"
                f"&language=en")
    expect(page.locator(".hit").first).to_be_visible()
    assert_no_sideways_scroll(page)
    page.goto(f"{garden_url}/")  # browsing everything: every facet, the year chart, Persian hits
    assert_no_sideways_scroll(page)
    if width < 600:
        page.click("a.filters-toggle")
        expect(page.locator("#filters")).to_be_visible()
        assert_no_sideways_scroll(page)


def test_phone_results_come_first_and_filters_are_a_drawer(open_page, garden_url, garden) -> None:
    page = open_page(PHONE)
    ready(page, f"{garden_url}/?q=garden")
    viewport = page.viewport_size
    assert viewport is not None
    # The options and facets wait in the drawer: the first result is on the first screen.
    expect(page.locator("#filters")).to_be_hidden()
    first = page.locator(".hit").first.bounding_box()
    assert first is not None and first["y"] < viewport["height"] - 60
    page.click("a.filters-toggle")
    drawer = page.locator("#filters")
    expect(drawer).to_be_visible()
    box = drawer.bounding_box()
    assert box is not None and box["width"] == viewport["width"]  # it covers the page
    # A tick applies at once and the drawer stays open, its counts updated.
    page.check("#facet-category input[value='Bees']")
    page.wait_for_url(re.compile(r"category=Bees.*#filters$"))
    expect(drawer).to_be_visible()
    bees = [p for p in with_word(garden, "garden") if "Bees" in p["categories"]]
    expect(page.locator("a.show-results")).to_have_text(f"Show {count_text(len(bees))}")
    page.click("a.show-results")
    expect(drawer).to_be_hidden()
    # What filters the results is in sight once the drawer is closed.
    expect(page.locator(".chips .chip")).to_have_count(1)
    expect(page.locator(".chips .chip")).to_contain_text("Bees")
    expect(page.locator("a.filters-toggle .badge")).to_have_text("1")
    expect(page.locator("#result-count")).to_have_text(count_text(len(bees)))
    assert page.watch.errors == []


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_chips_remove_their_filter_and_clear_all_removes_every_one(open_page, garden_url, width: int) -> None:
    page = open_page(width)
    ready(page, f"{garden_url}/?q=garden&category=Bees&category=Soil&language=en&exact=1&in=title"
                f"&to=2021-12-31&sort=newest")
    chips = page.locator(".chips .chip")
    expect(chips).to_have_count(6)
    expect(chips).to_have_text([re.compile(r"Category\s+Bees"), re.compile(r"Category\s+Soil"),
                                re.compile(r"Language\s+English"), re.compile(r"To\s+Dec 31, 2021"),
                                re.compile(r"Match\s+Exact matches only"),
                                re.compile(r"Search in\s+Titles only")])
    chips.filter(has_text="Soil").click()
    page.wait_for_url(lambda url: "Soil" not in url)
    assert params(page.url) == [("q", "garden"), ("category", "Bees"), ("language", "en"), ("exact", "1"),
                                ("in", "title"), ("to", "2021-12-31"), ("sort", "newest")]
    expect(page.locator("#facet-category input:checked")).to_have_count(1)  # Bees, still ticked
    expect(page.locator("#facet-category input[value='Bees']")).to_be_checked()
    chips.filter(has_text="Exact").click()
    page.wait_for_url(lambda url: "exact" not in url)
    expect(page.locator("input[name=exact]")).not_to_be_checked()
    page.click(".chips .clear-all")
    page.wait_for_url(lambda url: "category" not in url)
    assert params(page.url) == [("q", "garden"), ("sort", "newest")]
    expect(page.locator(".chips")).to_have_count(0)
    expect(page.locator("input[name=in][value=content]")).to_be_checked()


def test_every_control_applies_on_change_with_javascript(open_page, garden_url, garden) -> None:
    page = open_page(DESKTOP)
    ready(page, f"{garden_url}/?q=garden")
    expect(page.locator("button.apply")).to_be_hidden()  # nothing to press with JavaScript
    steps: list[tuple[str, Any, str]] = [
        ("check", "input[name=exact]", "exact=1"),
        ("uncheck", "input[name=exact]", "!exact"),
        ("uncheck", "input[name=in][value=content]", "in=title"),
        ("check", "input[name=in][value=content]", "!in="),
        ("fill", ("input[name=from]", "2014-01-01"), "from=2014-01-01"),
        ("fill", ("input[name=to]", "2018-12-31"), "to=2018-12-31"),
        ("select", ("select[name=sort]", "oldest"), "sort=oldest"),
        ("check", "#facet-type input[value='post']", "type=post"),
        ("check", "#facet-year input[value='2017']", "year=2017"),
    ]
    for action, target, expected in steps:
        before = page.url
        if action == "check":
            page.check(target)
        elif action == "uncheck":
            page.uncheck(target)
        elif action == "fill":
            page.fill(*target)
        else:
            page.select_option(*target)
        page.wait_for_url(lambda url, before=before: url != before, timeout=5_000)
        page.wait_for_load_state("load")
        if expected.startswith("!"):
            assert expected[1:] not in page.url, (action, target, page.url)
        else:
            assert expected in page.url, (action, target, page.url)
        assert_clean(page.url)
    expected_hits = [p for p in with_word(garden, "garden") if p["type"] == "post"
                     and p["published"].startswith("2017")]
    expect(page.locator("#result-count")).to_have_text(count_text(len(expected_hits)))
    assert page.watch.errors == []  # no script error, no CSP violation on the way
    # The reload that applied the last change left the focus on the box that was ticked.
    focused = page.evaluate("() => [document.activeElement.name, document.activeElement.value]")
    assert focused == ["year", "2017"]


def test_title_and_content_cannot_both_be_unticked(open_page, garden_url) -> None:
    page = open_page(DESKTOP)
    ready(page, f"{garden_url}/?q=garden&in=title")
    title = page.locator("input[name=in][value=title]")
    url = page.url
    title.click()  # not .uncheck(): the box is meant to refuse
    page.wait_for_timeout(400)
    expect(title).to_be_checked()  # the last one stays ticked...
    expect(page.locator("#fields-note")).to_contain_text("one of them stays ticked")  # ...and says why
    assert page.url == url  # and nothing was searched


def test_unticking_both_without_javascript_says_both_were_searched(open_page, garden_url, garden) -> None:
    page = open_page(DESKTOP, javascript=False)
    page.goto(f"{garden_url}/?q=garden")
    page.uncheck("input[name=in][value=title]")
    page.uncheck("input[name=in][value=content]")
    page.click("button.apply")
    expect(page.locator("#fields-note")).to_have_text(
        "Neither title nor content was ticked, so both were searched.")
    expect(page.locator("input[name=in][value=title]")).to_be_checked()
    expect(page.locator("input[name=in][value=content]")).to_be_checked()
    expect(page.locator("#result-count")).to_have_text(count_text(len(with_word(garden, "garden"))))
    # The page's own links never carry the empty field list.
    for href in page.locator("nav.pages a, .bars a").evaluate_all("links => links.map(a => a.href)"):
        assert_clean(href)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_form_works_without_javascript(open_page, garden_url, garden, width: int) -> None:
    page = open_page(width, javascript=False)
    page.goto(garden_url)
    page.fill("#q", "garden")
    page.press("#q", "Enter")
    found = with_word(garden, "garden")
    expect(page.locator("#result-count")).to_have_text(count_text(len(found)))
    assert_clean(page.url)
    if width < 600:
        page.click("a.filters-toggle")  # the drawer opens without script (:target)
        expect(page.locator("#filters")).to_be_visible()
    # A category behind "Show more" (the first 8 are in sight), through the disclosure.
    later = GARDEN_LATER_CATEGORY
    page.locator("#facet-category details.more summary").click()
    page.check(f"#facet-category input[value='{later}']")
    page.check("input[name=exact]")
    page.fill("input[name=from]", "2012-01-01")
    page.click("button.apply")
    chosen = [p for p in found if later in p["categories"]]
    expect(page.locator("#result-count")).to_have_text(count_text(len(chosen)))
    # Redirected to the one clean spelling of the state: no from=&to=, no in=, no defaults.
    assert params(page.url) == [("q", "garden"), ("exact", "1"), ("from", "2012-01-01"), ("category", later)]
    expect(page.locator(".chips .chip")).to_have_count(3)
    expect(page.locator("#facet-category details.more")).to_have_attribute("open", "")  # kept in sight
    page.select_option("select[name=sort]", "oldest")
    page.click("button.apply-sort")
    expect(page.locator(".hit .title").first).to_have_text(min(chosen, key=lambda p: p["published"])["title"])
    assert ("sort", "oldest") in params(page.url)
    page.locator(".chips .chip").filter(has_text=later).click()
    expect(page.locator("#result-count")).to_have_text(count_text(len(found)))


GARDEN_LATER_CATEGORY = "Vegetables"


def test_show_more_holds_the_values_past_the_first_eight(open_page, garden_url, garden) -> None:
    page = open_page(DESKTOP, javascript=False)
    page.goto(garden_url)
    facet = page.locator("#facet-category")
    counts = Counter(c for p in garden for c in p["categories"])
    expect(page.locator("#facet-category > ul > li")).to_have_count(8)
    summary = facet.locator("details.more summary")
    expect(summary).to_have_text(f"Show {len(counts) - 8} more", use_inner_text=True)
    expect(facet.locator("details.more li").first).to_be_hidden()
    summary.click()
    expect(facet.locator("details.more li")).to_have_count(len(counts) - 8)
    expect(summary).to_have_text("Show fewer", use_inner_text=True)
    shown = facet.locator("li label").evaluate_all(
        "ls => ls.map(l => [l.querySelector('.value').textContent.trim(),"
        "                   l.querySelector('.count').textContent])")
    assert {value: int(count) for value, count in shown} == dict(counts)
    # The counts line up in one column.
    rights = facet.locator(".count").evaluate_all(
        "cs => cs.map(c => Math.round(c.getBoundingClientRect().right))")
    assert len(set(rights)) == 1


def test_language_and_type_read_as_words(open_page, garden_url, garden) -> None:
    page = open_page(DESKTOP)
    ready(page, garden_url)
    language = page.locator("#facet-language .value")
    expect(language).to_have_text(["English", re.compile(r"Persian\s*فارسی")])
    expect(page.locator("#facet-language .autonym")).to_have_attribute("lang", "fa")
    types = Counter(p["type"] for p in garden)
    names = {"post": "Article", "page": "Page", "video": "Video"}
    by_count = sorted(types, key=lambda t: (-types[t], t))  # Elasticsearch's order: count, then value
    expect(page.locator("#facet-type .value")).to_have_text([names[t] for t in by_count])
    page.check("#facet-language input[value='fa']")
    page.wait_for_url(re.compile("language=fa"))
    expect(page.locator(".chips .chip")).to_have_text([re.compile(r"Language\s+Persian")])
    expect(page.locator(".hit .meta .lang").first).to_have_text("Persian")


def test_a_page_past_the_last_says_so_and_links_to_the_last(open_page, garden_url, garden) -> None:
    page = open_page(DESKTOP)
    found = with_word(garden, "garden")
    last = -(-len(found) // 10)
    page.goto(f"{garden_url}/?q=garden&page={last + 5}")
    expect(page.locator("#result-count")).to_have_text(count_text(len(found)))
    expect(page.locator("#past-end h2")).to_have_text(f"There is no page {last + 5}")
    expect(page.locator(".hit")).to_have_count(0)
    page.click("#last-page")
    expect(page.locator("nav.pages [aria-current=page]")).to_have_text(str(last))
    expect(page.locator(".hit")).to_have_count(len(found) - 10 * (last - 1))


def test_years_without_results_are_empty_bars(open_page, garden_url, garden) -> None:
    page = open_page(DESKTOP)
    page.goto(garden_url)
    years = sorted({int(p["published"][:4]) for p in garden})
    every_year = list(range(years[0], years[-1] + 1))
    bars = page.locator(".years .bars > li")
    expect(bars.locator(".year")).to_have_text([str(y) for y in every_year])
    empty = page.locator(".years .bars > li.no-results")
    expect(empty.locator(".year")).to_have_text([str(y) for y in every_year if y not in years])
    style = empty.first.locator(".bar").evaluate(
        "b => [getComputedStyle(b).borderTopStyle, b.getBoundingClientRect().width]")
    assert style[0] == "dashed" and style[1] > 10  # drawn, as a baseline: not a gap in the row
    expect(empty.first.get_by_role("img")).to_have_accessible_name(f"{every_year[1]}: no results")
    # The years are evenly spaced: each bar as wide as the next.
    widths = bars.evaluate_all("items => items.map(i => Math.round(i.getBoundingClientRect().width))")
    assert len(set(widths)) == 1


def test_autocomplete_marks_the_prefix_and_opens_the_article(open_page, garden_url, garden) -> None:
    page = open_page(DESKTOP)
    ready(page, garden_url)
    target = next(p for p in garden if p["title"] == "Orchard pruning for old apple trees")
    page.locator("#q").press_sequentially("orch pru", delay=30)
    options = page.locator("#suggestions [role=option]")
    expect(options.first.locator(".s-title")).to_have_text(target["title"])
    expect(options.first.locator("mark")).to_have_text(["Orch", "pru"])
    expect(options.last).to_have_text("Search for “orch pru”")
    combo = page.locator("#q")
    expect(combo).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(combo).to_have_attribute("aria-activedescendant", "suggestion-0")
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    page.wait_for_url(target["url"])
    expect(page.locator("h1")).to_contain_text(target["url"])
    # By mouse too; and Escape closes the list without searching.
    ready(page, garden_url)
    page.locator("#q").press_sequentially("seed", delay=30)
    expect(options.first).to_contain_text("seed", ignore_case=True)
    page.keyboard.press("Escape")
    expect(page.locator("#suggestions")).to_be_hidden()
    expect(combo).to_have_attribute("aria-expanded", "false")
    page.fill("#q", "")
    page.locator("#q").press_sequentially("seed sw", delay=30)
    swaps = next(p for p in garden if p["title"] == "Seed swaps and community libraries")
    options.filter(has_text=swaps["title"]).click()
    page.wait_for_url(swaps["url"])


def test_autocomplete_last_option_searches(open_page, garden_url) -> None:
    page = open_page(PHONE)
    ready(page, garden_url)
    page.locator("#q").press_sequentially("compost", delay=30)
    options = page.locator("#suggestions [role=option]")
    expect(options.last).to_have_text("Search for “compost”")
    page.keyboard.press("ArrowUp")  # from the top, up wraps to the last option
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?q=compost$"))
    assert_no_sideways_scroll(page)


def test_thumbnails_are_the_articles_images_and_nothing_stands_in(open_page, garden_url, garden) -> None:
    page = open_page(DESKTOP)
    page.goto(f"{garden_url}/?sort=oldest&size=50")
    hits = page.locator(".hit")
    expect(hits).to_have_count(len(garden))
    oldest = sorted(garden, key=lambda p: p["published"])
    with_image = [i for i, p in enumerate(oldest) if p.get("image")]
    assert with_image and len(with_image) < len(oldest)
    for i, p in enumerate(oldest):
        thumb = hits.nth(i).locator("img.thumb")
        if p.get("image"):
            assert thumb.get_attribute("src") == p["image"]
            thumb.scroll_into_view_if_needed()  # they load lazily
            page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=thumb.element_handle())
        else:
            expect(thumb).to_have_count(0)


def test_thumbnail_that_fails_leaves_no_box(open_page, garden_url) -> None:
    page = open_page(DESKTOP)
    page.context.route("https://img.example.org/**", lambda route: route.fulfill(status=404, body=b""))
    ready(page, f"{garden_url}/?sort=oldest&size=50")
    thumbs = page.locator("img.thumb")
    for _ in range(thumbs.count()):  # they load lazily: bring each into view, see it go
        if thumbs.count() == 0:
            break
        thumbs.first.scroll_into_view_if_needed()
        page.wait_for_timeout(150)
    expect(thumbs).to_have_count(0)  # every one failed: no empty boxes stay
    expect(page.locator(".hit")).to_have_count(30)


def test_focus_ring_is_not_an_error_colour_and_has_contrast(open_page, garden_url) -> None:
    page = open_page(DESKTOP)
    ready(page, f"{garden_url}/?q=garden")
    page.focus("#facet-category input >> nth=0")
    page.keyboard.press("Tab")
    ring = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                                    return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }""")
    assert ring[0] == "solid" and float(ring[1].rstrip("px")) >= 2
    red, green, blue = (int(c) for c in re.findall(r"\d+", ring[2])[:3])
    assert not (red > green + 60 and red > blue + 60), f"{ring[2]} reads as an error"
    assert contrast((red, green, blue), (255, 255, 255)) >= 3


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    def luminance(rgb: tuple[int, int, int]) -> float:
        def channel(c: int) -> float:
            s = c / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4
        r, g, b_ = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_search_with_javascript_goes_straight_to_the_clean_url(open_page, garden_url) -> None:
    page = open_page(DESKTOP)
    ready(page, garden_url)
    requests: list[tuple[str, str]] = []
    page.on("request", lambda r: requests.append((r.resource_type, r.url))
            if r.resource_type in ("document", "fetch") and "/api/suggest" not in r.url else None)
    page.fill("#q", "bees")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"\?q=bees$"))
    expect(page.locator("#result-count")).to_have_text(re.compile(r"\d+ results?"))
    # No page load: the results region, asked for at its clean address (no empty parameters).
    assert [url for kind, url in requests if kind == "document"] == []
    assert f"{garden_url}/search/results?q=bees" in [url for _, url in requests]


def test_persian_query_on_a_phone(open_page, garden_url) -> None:
    page = open_page(PHONE)
    page.goto(f"{garden_url}/?q={quote('باغچه')}")
    hit = page.locator(".hit").first
    expect(hit).to_have_attribute("dir", "rtl")
    assert_no_sideways_scroll(page)
