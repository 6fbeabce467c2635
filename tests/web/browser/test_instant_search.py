"""Results as the reader types and ticks, in Debian's chromium: the page's regions swapped in
from /search/results, the address and history kept in step (back, forward, reload), and a
page dense enough for three results on a desktop's first screen and two on a phone's."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

from tests.web.browser.conftest import GARDEN_SITE, _serve

pytestmark = pytest.mark.browser

PHONE, DESKTOP = 390, 1280
# Articles as long as real ones: their snippets would run ten lines if nothing kept them short.
PARAGRAPH = ("The allotment society met on a wet evening to talk about compost, water butts and the "
             "shared shed, and the compost heaps behind the orchard were turned again by volunteers. ")
LONG = [{"url": f"{GARDEN_SITE}/long/{n}/", "title": f"Compost notes from the allotment, part {n}",
         "content": PARAGRAPH * 12 + f"Part {n} of the series.", "categories": ["Compost"], "tags": [],
         "authors": ["Gardener"], "language": "en", "type": "post", "kind": "article",
         "published": f"20{10 + n}-05-0{1 + n % 9}T08:00:00Z", "content_hash": f"long-{n}"}
        for n in range(12)]


@pytest.fixture(scope="module")
def long_url(index_corpus, make_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    for prefix in index_corpus(LONG, "instant-long"):
        yield from _serve(make_app(prefix))


def query(page: Any) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(page.url).query)


def documents(page: Any) -> list[str]:
    loads: list[str] = []
    page.on("request", lambda r: loads.append(r.url) if r.resource_type == "document" else None)
    return loads


def count_text(n: int) -> str:
    return f"{n} result" if n == 1 else f"{n} results"


def test_results_follow_the_typing_and_the_address_follows_the_results(open_page, garden_url, garden) -> None:
    page = open_page(DESKTOP)
    page.goto(garden_url)
    loads = documents(page)
    box = page.locator("#q")
    box.click()
    # A key every 170 ms: past the page's pause, so each key may send a search; the last one shows.
    box.press_sequentially("compost", delay=170)
    compost = [p for p in garden if "compost" in (p["title"] + " " + p["content"]).lower()]
    expect(page.locator("#result-count")).to_have_text(count_text(len(compost)))
    page.wait_for_url(re.compile(r"\?q=compost$"))
    expect(page).to_have_title(re.compile("^compost – Search"))
    assert loads == []  # not one page load
    # A tick applies too, as a new history entry.
    page.check("#facet-type input[value='post']")
    page.wait_for_url(re.compile(r"\?q=compost&type=post$"))
    posts = [p for p in compost if p["type"] == "post"]
    expect(page.locator("#result-count")).to_have_text(count_text(len(posts)))
    expect(page.locator(".chips .chip")).to_have_count(1)
    # The focus stays on the box just ticked, though the facets were swapped.
    assert page.evaluate("[document.activeElement.name, document.activeElement.value]") == ["type", "post"]
    # Back: the typed search (the keys were one entry, not seven), then the page before it.
    page.go_back()
    page.wait_for_url(re.compile(r"\?q=compost$"))
    expect(page.locator("#result-count")).to_have_text(count_text(len(compost)))
    expect(page.locator("#facet-type input[value='post']")).not_to_be_checked()
    page.go_back()
    page.wait_for_url(garden_url + "/")
    expect(box).to_have_value("")
    expect(page.locator("#result-count")).to_have_text(count_text(len(garden)))
    page.go_forward()
    page.wait_for_url(re.compile(r"\?q=compost$"))
    expect(box).to_have_value("compost")
    assert loads == []
    # Reload and a shared link give the same page, from the server.
    page.go_forward()
    # A history step within the page lands when its popstate has run, not when go_forward returns.
    page.wait_for_url(re.compile(r"\?q=compost&type=post$"))
    page.reload()
    expect(page.locator("#result-count")).to_have_text(count_text(len(posts)))
    expect(page.locator("#facet-type input[value='post']")).to_be_checked()
    assert page.watch.errors == []


def test_the_regions_links_are_searches_too(open_page, garden_url, garden) -> None:
    page = open_page(DESKTOP)
    page.goto(f"{garden_url}/?q=garden&category=Bees")
    loads = documents(page)
    page.locator(".chips .chip").first.click()  # removes Bees
    page.wait_for_url(re.compile(r"\?q=garden$"))
    everything = [p for p in garden if "garden" in (p["title"] + " " + p["content"]).lower()]
    expect(page.locator("#result-count")).to_have_text(count_text(len(everything)))
    page.locator("nav.pages a[rel=next]").click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(page.locator("nav.pages [aria-current=page]")).to_have_text("2")
    assert loads == []
    # Opening an article is still a plain link.
    first = page.locator(".hit .title a").first
    href = first.get_attribute("href")
    first.click()
    page.wait_for_url(href)


def late_answers(ms: int, ending: str = "") -> str:
    """A script making the page's answers (those whose URL ends with ``ending``) come ``ms``
    late, as on a slow connection; ``window.__aborted`` counts those typed over meanwhile."""
    return """
const realFetch = window.fetch;
window.__aborted = 0;
window.fetch = (url, options = {}) => realFetch(url, options).then((answer) => {
  if (!String(url).endsWith(ENDING)) return answer;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(answer), DELAY);
    if (options.signal) options.signal.addEventListener("abort", () => {
      clearTimeout(timer); window.__aborted += 1; reject(new DOMException("typed over", "AbortError")); });
  });
});
""".replace("ENDING", json.dumps(ending)).replace("DELAY", str(ms))


def test_a_search_typed_over_is_cancelled(open_page, garden_url) -> None:
    page = open_page(DESKTOP)
    # The answer for "bee" comes late: by then the reader has typed "bees".
    page.add_init_script(late_answers(800, ending="q=bee"))
    page.goto(garden_url)
    box = page.locator("#q")
    box.click()
    box.press_sequentially("bee", delay=20)
    page.wait_for_timeout(300)  # past the pause: "bee" is asked for, and answers late
    box.press_sequentially("s", delay=20)
    page.wait_for_url(re.compile(r"\?q=bees$"))
    page.wait_for_timeout(1000)  # long after the late answer would have come
    assert query(page) == [("q", "bees")]  # the late answer was dropped, not shown over "bees"
    assert page.evaluate("window.__aborted") == 1
    expect(page).to_have_title(re.compile("^bees – Search"))


def test_a_slow_typed_search_still_keeps_the_page_the_reader_came_from(open_page, garden_url) -> None:
    """The first key's search, typed over before it answered, started no history entry: the
    search that lands must add one, not replace the page before it (seen under load in CI)."""
    page = open_page(DESKTOP)
    page.add_init_script(late_answers(600))  # each key's search is typed over by the next
    page.goto(garden_url)
    box = page.locator("#q")
    box.click()
    box.press_sequentially("compost", delay=170)
    page.wait_for_url(re.compile(r"\?q=compost$"))
    page.go_back()
    page.wait_for_url(garden_url + "/")
    expect(box).to_have_value("")


@pytest.mark.parametrize(("width", "height", "wanted"), [(DESKTOP, 900, 3), (PHONE, 844, 2)])
def test_several_results_on_the_first_screen(open_page, long_url, width: int, height: int,
                                              wanted: int) -> None:
    page = open_page(width, height)
    page.goto(f"{long_url}/?q=compost+allotment")
    hits = page.locator(".hit")
    expect(hits.first).to_be_visible()
    bottoms = hits.evaluate_all("hs => hs.map(h => h.getBoundingClientRect().bottom)")
    assert sum(b <= height for b in bottoms) >= wanted, bottoms
    # Two lines of snippet on a desktop, three on a phone, however long the article.
    lines = 2 if width > 600 else 3
    shape = page.locator(".hit .snippet").first.evaluate(
        "s => [s.getBoundingClientRect().height, parseFloat(getComputedStyle(s).lineHeight)]")
    assert shape[0] <= lines * shape[1] + 1, shape


def test_the_empty_page_says_newest_first_and_a_query_ranks_by_relevance(open_page, garden_url) -> None:
    page = open_page(DESKTOP)
    page.goto(garden_url)
    expect(page.locator("#sort option:checked")).to_have_text("Newest first")
    page.locator("#q").press_sequentially("garden", delay=20)
    page.wait_for_url(re.compile(r"\?q=garden$"))
    expect(page.locator("#sort option:checked")).to_have_text("Relevance")


def test_advice_fits_what_is_set_and_persian_reads_right_to_left(open_page, garden_url) -> None:
    page = open_page(DESKTOP)
    page.goto(f"{garden_url}/?q=zzyzx")
    tips = page.locator(".empty .tips li")
    expect(tips).to_have_count(1)  # nothing ticked: nothing to untick
    page.goto(f"{garden_url}/?q=zzyzx&exact=1&category=Bees")
    expect(tips).to_have_text([re.compile("spelling"), re.compile("Exact matches only"),
                               re.compile("Remove some filters")])
    box = page.locator("#q")
    box.fill("باغچه")
    assert box.evaluate("b => getComputedStyle(b).direction") == "rtl"
    box.fill("garden")
    assert box.evaluate("b => getComputedStyle(b).direction") == "ltr"
    assert page.request.get(f"{garden_url}/favicon.ico").ok


def test_apply_filters_is_in_sight_without_javascript(open_page, garden_url) -> None:
    page = open_page(DESKTOP, 900, javascript=False)
    page.goto(f"{garden_url}/?q=garden")
    apply = page.locator("button.apply")
    box = apply.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 900, box  # was about 2,150 px down
    page.locator("#facet-category input").first.check()
    apply.click()
    page.wait_for_url(re.compile(r"category="))
