"""The console's job pages fit a phone: no sideways scroll at 360/390 px, the tables still
read at 1280 px. Jobs are real records in the test Redis (no worker needed to show them)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.browser

NO_SIDEWAYS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
LONG_URL = "https://news.example.org/2024/03/a-rather-long-article-slug-that-never-breaks-on-its-own/?utm_source=x"


@pytest.fixture(scope="module")
def console(admin_kit, kit, redis_client) -> Iterator[SimpleNamespace]:  # type: ignore[no-untyped-def]
    from werkzeug.serving import make_server

    from web import settings_of
    from web.admin import services

    namespace = f"test-{uuid.uuid4().hex[:10]}"
    app = admin_kit.make_app(redis_namespace=namespace, index_prefix=namespace)
    store = services.jobs(app)
    running = store.records.create("ingest", {"sources": [{"location": LONG_URL}]})
    store.ledger.add_pages(running.id, [{"url": f"{LONG_URL}&n={n}"} for n in range(4)])
    store.ledger.finish_page(running.id, f"{LONG_URL}&n=0", "indexed")
    reason = "fetch: connection refused by the server after three attempts with exponential backoff"
    store.ledger.finish_page(running.id, f"{LONG_URL}&n=1", "failed", reason, "fetch")
    finished = store.records.create("reindex", {"mode": "reclean"})
    store.counts.expect(finished.id, 120_000)
    store.counts.add(finished.id, indexed=119_876, failed=124)
    store.records.close(finished.id, "succeeded")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", running=running, kit=admin_kit)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        kit.cleanup(settings_of(app))


def sign_in(page, console) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{console.url}/admin/sign-in")
    page.fill("#secret", console.kit.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{console.url}/admin/")


@pytest.mark.parametrize("width", [360, 390, 1280])
def test_jobs_and_job_pages_have_no_sideways_scroll(open_page, console, width: int) -> None:
    page = open_page(width)
    sign_in(page, console)
    for path in ("/admin/jobs", f"/admin/jobs/{console.running.id}", "/admin/"):
        page.goto(f"{console.url}{path}")
        scroll, client = page.evaluate(NO_SIDEWAYS)
        assert scroll <= client, f"{path} is {scroll} px wide in a {client} px window"
    page.goto(f"{console.url}/admin/jobs")
    rows = page.locator("table.jobs tbody tr")
    assert rows.count() == 2
    # Each cell still says what it is: on a phone a row is a card, its cells labelled.
    indexed = rows.first.locator("[data-field=indexed]")
    label = indexed.evaluate("td => getComputedStyle(td, '::before').content")
    if width < 600:
        assert label == '"Indexed"'
    else:
        assert label in ("none", "normal")
        header = page.locator("table.jobs thead th").nth(4)
        assert abs(header.bounding_box()["x"] - indexed.bounding_box()["x"]) < 1  # type: ignore[index]


STYLE = """() => { const s = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
  const root = getComputedStyle(document.documentElement);
  return [s("header", "backgroundColor"), s("body", "fontFamily"), s("body", "color"),
          ...["--accent", "--focus", "--mark", "--radius"].map((v) => root.getPropertyValue(v).trim())]; }"""
BUTTON = """() => { const b = getComputedStyle(document.querySelector("main button[type=submit]"));
  return [b.backgroundColor, b.borderRadius]; }"""


def test_the_console_looks_like_the_reader_page(open_page, console) -> None:  # type: ignore[no-untyped-def]
    """One design: the header band, the type, the ink and the primary button are the reader
    page's (design.css), not a second palette."""
    page = open_page(1280)
    page.goto(f"{console.url}/related?url=https://news.example.org/none")  # a reader's page (a 404)
    reader = page.evaluate(STYLE)
    sign_in(page, console)
    page.goto(f"{console.url}/admin/submit")
    assert page.evaluate(STYLE) == reader
    assert page.evaluate(BUTTON) == ["rgb(59, 63, 182)", "9.6px"]  # design.css: --accent, .6rem
    # The menu says where the page is; a page under a section marks the section.
    page.goto(f"{console.url}/admin/jobs/{console.running.id}")
    assert page.locator("header nav a[aria-current=page]").text_content() == "Jobs"
    assert page.request.get(f"{console.url}/favicon.ico").ok
