"""The console in headless Chromium with a real Celery worker, Redis, Elasticsearch and a
local site: sign in, submit a sitemap, watch it reach 100%, see a failure and its reason,
retry it once the page is fixed, cancel a running job, reindex and roll back."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "admin"
# A page the cleaner refuses for good (nested far too deep): a failure, not a retryable error.
BROKEN = b"<!doctype html><html><head><title>Draft</title></head><body>" + b"<div>" * 300 + b"</body></html>"
SLOW_PAGES = 30


@pytest.fixture(scope="module")
def stack(kit, make_site, admin_kit, es, redis_client, tmp_path_factory) -> Iterator[SimpleNamespace]:  # type: ignore[no-untyped-def]
    from werkzeug.serving import make_server

    from indexer.config import flat

    site, slow = make_site(), make_site()
    namespace = f"test-{uuid.uuid4().hex[:10]}"
    # `site` goes at full speed; `slow` keeps the politeness delay, so a job on it runs long
    # enough to be cancelled.
    settings = kit.settings(namespace, [site.port], fetch_delay=0.5,
                            fetch_allowlist=(f"127.0.0.1:{site.port}", f"127.0.0.1:{slow.port}"),
                            home=tmp_path_factory.mktemp("home"))
    # The worker's settings, for the app too; the console's credentials are the test's own.
    app = admin_kit.make_app(**{name: value for name, value in flat(settings).items()
                                if not name.startswith("admin_")})
    worker = kit.Worker(settings, tmp_path_factory.mktemp("worker") / "worker.log").start()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(site=site, slow=slow, settings=settings, app=app, worker=worker,
                              url=f"http://127.0.0.1:{server.server_port}", kit=admin_kit)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        worker.stop()
        kit.cleanup(settings)


def sign_in(page, stack) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{stack.url}/admin/")
    assert page.url.startswith(f"{stack.url}/admin/sign-in")
    page.fill("#secret", stack.kit.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{stack.url}/admin/")


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def field(page, name: str) -> str:  # type: ignore[no-untyped-def]
    return str(page.text_content(f'[data-field="{name}"]')).strip()


def wait_status(page, statuses: tuple[str, ...], timeout_ms: int = 60_000) -> None:  # type: ignore[no-untyped-def]
    # No reloads from the test: the page's own polling must bring the news.
    page.wait_for_function(
        "(wanted) => wanted.includes(document.querySelector('[data-field=status]').dataset.status)",
        arg=list(statuses), timeout=timeout_ms)


def test_sign_in_is_required_and_the_dashboard_shows_the_services(page, stack) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{stack.url}/admin/jobs")
    assert "/admin/sign-in" in page.url
    page.fill("#secret", "wrong")
    page.click("button[type=submit]")
    assert "not right" in page.text_content("main")
    sign_in(page, stack)
    assert "up" in page.text_content("#es-health") and "up" in page.text_content("#redis-health")
    assert "1 answering" in page.text_content("#workers")
    shot(page, "dashboard")


def test_sitemap_progress_failure_and_retry(page, kit, stack) -> None:  # type: ignore[no-untyped-def]
    site = stack.site
    urls = site.articles("/news/", 6)
    site.html("/news/draft/", BROKEN)
    site.raw("/sitemap.xml", 200, {"Content-Type": "application/xml"},
             kit.urlset([*urls, site.url("/news/draft/")]))

    sign_in(page, stack)
    page.click("text=Submit")
    page.fill("#sitemap", site.url("/sitemap.xml"))
    page.click("text=Start ingest")
    page.wait_for_url(f"{stack.url}/admin/jobs/*")
    job_url = page.url
    wait_status(page, ("partial", "failed", "succeeded"))
    assert field(page, "status") == "finished with 1 failure"
    page.wait_for_selector("table.failures")
    assert page.eval_on_selector("progress", "p => p.value") == 100
    assert field(page, "indexed") == "6" and field(page, "failed") == "1"
    failure = page.text_content("table.failures tbody tr")
    assert site.url("/news/draft/") in failure and "too_deep" in failure
    shot(page, "job-with-a-failure")

    # The jobs list shows it at 100% too.
    page.goto(f"{stack.url}/admin/jobs")
    row = f'tr[data-job="{job_url.rsplit("/", 1)[1]}"]'
    assert page.eval_on_selector(f"{row} progress", "p => p.value") == 100

    # The author fixes the page; the operator retries the failed page alone.
    before = len(site.hits_on("/news/0/"))
    site.html("/news/draft/", kit.article(site.url("/news/draft/"), 99))
    page.goto(job_url)
    page.click("#retry")
    wait_status(page, ("succeeded",))
    # Functions, not expressions: the console's CSP forbids eval, which expressions need.
    page.wait_for_function("() => document.querySelector('[data-field=failed]').textContent.trim() === '0'")
    assert field(page, "indexed") == "7"
    assert "None." in page.text_content("main")
    assert len(site.hits_on("/news/0/")) == before  # only the failed page was fetched again
    # The retry is a run of its own; the first keeps its figures (the page reloads when the job ends).
    page.wait_for_function("() => document.querySelectorAll('tr[data-run]').length === 2")
    first = page.text_content('tr[data-run="1"]') or ""
    assert "finished with 1 failure" in first and "7" in first, first
    shot(page, "job-retried")


def test_cancel_a_running_job(page, kit, stack) -> None:  # type: ignore[no-untyped-def]
    slow = stack.slow
    urls = slow.articles("/slow/", SLOW_PAGES)
    slow.raw("/sitemap.xml", 200, {"Content-Type": "application/xml"}, kit.urlset(urls))
    sign_in(page, stack)
    page.goto(f"{stack.url}/admin/submit")
    page.fill("#sitemap", slow.url("/sitemap.xml"))
    page.click("text=Start ingest")
    page.wait_for_url(f"{stack.url}/admin/jobs/*")
    page.wait_for_function("() => Number(document.querySelector('[data-field=done]').textContent) >= 2",
                           timeout=30_000)
    page.click("#cancel")
    assert "Job cancelled." in page.text_content(".flashes")
    assert field(page, "status") == "cancelled"
    done = int(field(page, "done"))
    # Batches already taken by the worker's processes may finish fetching; no new one starts.
    in_flight = stack.settings.worker.concurrency * stack.settings.worker.ingest_batch_size
    time.sleep(in_flight * 0.5 + 2)
    page.reload()
    assert field(page, "status") == "cancelled" and int(field(page, "done")) == done
    assert len(slow.hits_on("/slow/")) <= done + in_flight < SLOW_PAGES
    assert not page.query_selector("#cancel")
    shot(page, "job-cancelled")


def test_reindex_then_roll_back(page, stack, es) -> None:  # type: ignore[no-untyped-def]
    from indexer.index import lifecycle
    from indexer.index.names import IndexNames

    names = IndexNames.from_settings(stack.settings.index)
    before = lifecycle.current_index(es, names)
    assert before is not None
    sign_in(page, stack)
    page.click("text=Reindex")
    page.check("input[value=reclean]")
    page.click("text=Continue")
    assert "Start a reclean?" in page.text_content("h1")
    page.click("#confirm")
    page.wait_for_url(f"{stack.url}/admin/jobs/*")
    wait_status(page, ("succeeded", "failed"), timeout_ms=90_000)
    assert field(page, "status") == "succeeded", page.text_content("main")
    rebuilt = lifecycle.current_index(es, names)
    assert rebuilt not in (None, before)
    page.goto(f"{stack.url}/admin/")
    assert rebuilt in page.text_content("#live-index")
    shot(page, "dashboard-after-reindex")

    # A rollback swaps the aliases and copies recent writes back: slow on a busy test machine.
    page.set_default_timeout(60_000)
    page.click("text=Reindex")
    page.click("#rollback")
    assert "Roll back?" in page.text_content("h1")
    page.click("#confirm")
    page.wait_for_url(f"{stack.url}/admin/")
    assert before in page.text_content("#live-index")
    assert lifecycle.current_index(es, names) == before
    shot(page, "dashboard-after-rollback")


SCRIPTED = b"""<!doctype html><html><head><title>Scripted page</title>
<script>alert("ran in the console")</script></head><body><article><h1>Scripted page</h1>
<p>This article carries a script that must never run inside the operator console, whatever it does.</p>
<img src="x" onerror="alert('onerror ran')"></article></body></html>"""


def test_preview_shows_the_page_without_running_it(page, stack) -> None:  # type: ignore[no-untyped-def]
    stack.site.html("/scripted/", SCRIPTED)
    sign_in(page, stack)
    page.click("text=Rules")
    page.fill("#preview-url", stack.site.url("/scripted/"))
    page.click("#preview")
    page.wait_for_selector("iframe[sandbox]")
    assert page.get_attribute("iframe", "sandbox") == ""
    fields = page.text_content("dl.fields")
    assert "Scripted page" in fields and "must never run" in fields
    frame = page.frame_locator("iframe")
    assert "must never run" in frame.locator("article").text_content()
    page.wait_for_timeout(500)
    assert page.watch.dialogs == []
    shot(page, "rules-preview")
    page.locator("iframe").screenshot(path=str(ARTIFACTS / "rules-preview-frame.png"))
