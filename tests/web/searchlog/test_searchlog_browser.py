"""In Debian's chromium: a click on a result is counted with JavaScript on (beacon) and off
(the link's ping), opening the article straight away either way; the console's analytics
page draws its charts from its tables."""

from __future__ import annotations

import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from .conftest import READER

pytestmark = pytest.mark.browser

PASSWORD = "analytics browser password"
ARTICLES = "https://log.example.org"


@pytest.fixture(scope="module")
def served(es, log_corpus: str, make_app) -> Iterator[SimpleNamespace]:  # type: ignore[no-untyped-def]
    import threading

    from werkzeug.serving import make_server

    from web.admin import auth

    from .conftest import delete_log

    delete_log(es, log_corpus)
    app = make_app(log_corpus, search_mode="lexical", searchlog_flush_seconds=0.05,
                   SECRET_KEY="browser-secret", admin_password_hash=auth.hash_password(PASSWORD))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(app=app, url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        delete_log(es, log_corpus)


@pytest.fixture
def reader(browser, served) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """``reader(javascript=...)``: a page in a browser that says it is Firefox (Playwright's own
    user agent names HeadlessChrome, which is rightly not counted as a reader)."""
    contexts: list[Any] = []

    def open_(javascript: bool) -> Any:
        context = browser.new_context(java_script_enabled=javascript, user_agent=READER,
                                      viewport={"width": 1200, "height": 900})
        article = "<!doctype html><title>Article</title><h1>Article</h1>"
        context.route(f"{ARTICLES}/**",
                      lambda route: route.fulfill(status=200, content_type="text/html", body=article))
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_
    for context in contexts:
        context.close()


def _clicks(es, served, settle, wanted: int) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The logged clicks, once ``wanted`` have arrived (a ping or a beacon is sent in the
    background, after the navigation has begun)."""
    from indexer.searchlog.names import SearchLogNames

    pattern = SearchLogNames(served.app.extensions["pagesift_settings"].index.prefix).pattern
    deadline = time.monotonic() + 10
    while True:
        settle(served.app)
        hits = es.search(index=pattern, query={"term": {"event": "click"}}, sort=[{"at": "asc"}],
                         ignore_unavailable=True, allow_no_indices=True).body["hits"]["hits"]
        if len(hits) >= wanted or time.monotonic() > deadline:
            return [hit["_source"] for hit in hits]
        time.sleep(0.2)


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_a_click_is_counted_and_opens_the_article(reader, served, es, settle, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    before = len(_clicks(es, served, settle, 0))
    page = reader(javascript)
    page.goto(f"{served.url}/?q=solar+farm")
    first = page.locator("ol.hits h2.title a").nth(1)
    target = first.get_attribute("href")
    assert target and target.startswith(ARTICLES)
    # With the script on, the ping became a beacon (so a click is reported once, not twice).
    assert (first.get_attribute("ping") is None) == javascript
    first.click()
    page.wait_for_url(target)  # the article itself: no redirect through the app
    clicks = _clicks(es, served, settle, before + 1)
    time.sleep(0.5)
    assert len(_clicks(es, served, settle, before + 1)) == before + 1, "one click, counted once"
    assert (clicks[-1]["position"], clicks[-1]["url"], clicks[-1]["query"]) == (2, target, "solar farm")


def test_the_analytics_page_draws_its_charts(browser, reader, served, es, settle) -> None:  # type: ignore[no-untyped-def]
    page = reader(True)
    for q in ("solar", "grid", "nothing at all here"):
        page.goto(f"{served.url}/?q={q}")
    settle(served.app)
    page.goto(f"{served.url}/admin/analytics?since=7d")
    page.fill("#secret", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{served.url}/admin/analytics?since=7d")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.reload()
    page.wait_for_selector("canvas[data-chart=days][data-drawn]")
    assert page.get_attribute("canvas[data-chart=days]", "data-drawn") == "3"  # searches, zero-result, clicks
    box = page.locator("canvas[data-chart=days]").bounding_box()
    assert box and box["width"] > 200 and box["height"] > 50
    assert "nothing at all here" in page.text_content("#zero-result-queries")
    assert errors == []  # the CSP let our own Chart.js run: nothing refused
    page.screenshot(path=_artifact("analytics.png"), full_page=True)


def _artifact(name: str) -> str:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "artifacts" / "searchlog"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / name)
