"""The search page in headless chromium: with JavaScript, without it, RTL, and no script injection."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"


def count_text(n: int) -> str:
    return f"{n} result" if n == 1 else f"{n} results"


def energy(readable: list[dict]) -> list[dict]:
    return [p for p in readable if "energy" in (p["title"] + " " + p["content"]).lower().split()
            or "energy" in p["title"].lower()]


def facet_count(page, name: str, value: str) -> str:
    label = page.locator(f"#facet-{name} label").filter(has=page.locator(f"input[value='{value}']"))
    return label.locator(".count").inner_text()


def test_type_query_tick_category_counts_change(page, live_url, readable) -> None:
    pages = energy(readable)
    page.goto(live_url)
    page.fill("#q", "energy")
    page.press("#q", "Enter")
    expect(page.locator("#result-count")).to_have_text(count_text(len(pages)))
    types_before = facet_count(page, "type", "post")
    # With JavaScript, ticking a facet applies at once: no button press (once the script loaded).
    page.wait_for_load_state("load")
    page.check("#facet-category input[value='Events']")
    events = [p for p in pages if "Events" in p["categories"]]
    expect(page.locator("#result-count")).to_have_text(count_text(len(events)))
    assert "category=Events" in page.url
    assert facet_count(page, "type", "post") == str(sum(p["type"] == "post" for p in events))
    assert facet_count(page, "type", "post") != types_before
    expect(page.locator("#facet-category input[value='Events']")).to_be_checked()


def test_paging_and_sorting(page, live_url, readable) -> None:
    pages = energy(readable)
    page.goto(f"{live_url}/?q=energy")
    page.click("nav.pages >> text=Next")
    expect(page.locator("nav.pages [aria-current=page]")).to_have_text("2")
    assert "page=2" in page.url
    # The sort applies on change through the page's script: let it load before changing.
    page.wait_for_load_state("load")
    page.select_option("select[name=sort]", "oldest")
    page.wait_for_url(re.compile(r"sort=oldest"))
    assert "page=" not in page.url  # a new order starts from the first page
    oldest = min(pages, key=lambda p: p["published"])
    expect(page.locator(".hit .title").first).to_have_text(oldest["title"])


def test_exact_and_title_only(page, live_url) -> None:
    page.goto(f"{live_url}/?q=run")
    expect(page.locator(".hit .title")).to_contain_text(["Community running club"])
    page.check("input[name=exact]")
    page.click("button[type=submit] >> nth=0")
    expect(page.locator("#result-count")).to_have_text("0 results")
    page.goto(f"{live_url}/?q=harvest")
    expect(page.locator("#result-count")).to_have_text("2 results")
    page.uncheck("input[name=in][value=content]")
    page.click("button[type=submit] >> nth=0")
    expect(page.locator("#result-count")).to_have_text("1 result")
    expect(page.locator(".hit .title")).to_have_text(["Harvest festival in the valley"])


def test_autocomplete_offers_articles_and_keyboard_opens_one(page, live_url) -> None:
    page.goto(live_url)
    page.locator("#q").press_sequentially("harv fes", delay=30)
    option = page.locator("#suggestions [role=option]")
    expect(option.locator(".s-title")).to_have_text(["Harvest festival in the valley"])
    expect(option.first.locator("mark")).to_have_text(["Harv", "fes"])
    expect(page.locator("#q")).to_have_attribute("aria-expanded", "true")
    page.press("#q", "ArrowDown")
    page.press("#q", "Enter")
    # The article itself (answered by the browser context, see conftest.route_sites), not a search.
    page.wait_for_url("https://news.example.org/31")


def test_everything_works_without_javascript(page_nojs, live_url, readable) -> None:
    page = page_nojs
    pages = energy(readable)
    page.goto(live_url)
    page.fill("#q", "energy")
    page.click("button[type=submit] >> nth=0")
    expect(page.locator("#result-count")).to_have_text(count_text(len(pages)))
    page.check("#facet-category input[value='Opinion']")
    page.click("button.apply")
    opinion = [p for p in pages if "Opinion" in p["categories"]]
    expect(page.locator("#result-count")).to_have_text(count_text(len(opinion)))
    page.select_option("select[name=sort]", "newest")
    page.click("button[type=submit] >> nth=0")
    newest = max(opinion, key=lambda p: p["published"])
    expect(page.locator(".hit .title").first).to_have_text(newest["title"])
    if len(opinion) > 10:
        page.click("nav.pages >> text=Next")
        expect(page.locator("nav.pages [aria-current=page]")).to_have_text("2")
    assert "category=Opinion" in page.url and "sort=newest" in page.url


def test_persian_result_is_shown_right_to_left(page, live_url) -> None:
    page.goto(f"{live_url}/?q={quote('کتاب')}")
    hit = page.locator(".hit").first
    expect(hit).to_have_attribute("dir", "rtl")
    expect(hit).to_have_attribute("lang", "fa")
    assert hit.evaluate("el => getComputedStyle(el).direction") == "rtl"


@pytest.mark.parametrize("query", ["xssword", "<svg onload=alert(1)>", '"><img src=x onerror=alert(1)>'])
def test_no_script_from_pages_or_the_query_ever_runs(page, live_url, query: str) -> None:
    page.goto(f"{live_url}/?q={quote(query)}")
    if query == "xssword":
        expect(page.locator(".hit .title").first).to_contain_text("<script>alert('title')</script>")
    # Autocomplete renders titles too, and the results as typed are swapped in from /search/results.
    page.fill("#q", "")
    page.locator("#q").press_sequentially(query, delay=20)
    page.wait_for_function("q => new URLSearchParams(location.search).get('q') === q", arg=query)
    page.wait_for_timeout(300)
    assert page.watch.dialogs == []
    assert page.locator(".results svg, .results img[src='x'], .results script").count() == 0
    if query == "xssword":
        expect(page.locator(".hit .title").first).to_contain_text("<script>alert('title')</script>")


def test_keyboard_focus_is_visible(page, live_url) -> None:
    page.goto(f"{live_url}/?q=energy")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    focused = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert focused == "solid"


def test_phone_layout_has_no_sideways_scroll(browser, live_url) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    phone = context.new_page()
    phone.goto(f"{live_url}/?q=energy")
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "phone.png"), full_page=True)
    context.close()
    assert width <= 375


def test_related_articles_open_under_their_result_and_close_again(page, live_url) -> None:
    page.goto(f"{live_url}/?q=energy")
    page.wait_for_load_state("load")
    first = page.locator(".hit").first
    link = first.locator("a.related-link")
    link.click()
    # In place: the same page, a list under the result, the link saying it is open.
    shown = first.locator("ol.related-inline li a")
    expect(shown.first).to_be_visible()
    assert "/related" not in page.url and shown.count() >= 1
    expect(link).to_have_attribute("aria-expanded", "true")
    own = first.locator(".title a").get_attribute("href")
    assert own not in shown.evaluate_all("links => links.map(a => a.href)")
    link.click()
    expect(first.locator("ol.related-inline")).to_have_count(0)
    expect(link).to_have_attribute("aria-expanded", "false")
    assert not page.watch.errors


def test_related_articles_without_javascript_are_a_page_of_their_own(page_nojs, live_url) -> None:
    page = page_nojs
    page.goto(f"{live_url}/?q=energy")
    own = page.locator(".hit .title a").first.get_attribute("href")
    page.locator("a.related-link").first.click()
    page.wait_for_url(re.compile(r"/related\?url="))
    expect(page.locator("h1")).to_have_text("Related articles")
    titles = page.locator("ol.related li a")
    expect(titles.first).to_be_visible()
    assert own not in titles.evaluate_all("links => links.map(a => a.href)")
