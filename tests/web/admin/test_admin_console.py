"""The console's pages and forms against the real Redis and Elasticsearch (no worker here)."""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

pytestmark = pytest.mark.integration

PAGE = b"""<!doctype html><html lang="en"><head><title>Ferry returns</title>
<script>document.title = "ran"</script></head><body>
<nav>Home | About</nav><article><h1 class="headline">Ferry service returns</h1>
<div class="entry-content"><p>The river ferry is back after ten years, the council said on Monday.
Residents welcomed the timetable and the new landing stage near the market.</p>
<p>Tickets cost two euros; cyclists travel free during the summer months.</p></div>
<div class="donate-box">Please donate to keep this site running.</div></article></body></html>"""


@pytest.fixture
def console(admin_kit, kit, es, redis_client, tmp_path) -> Iterator[SimpleNamespace]:  # type: ignore[no-untyped-def]
    from indexer.index import lifecycle, mapping, raw_store
    from indexer.index.names import IndexNames
    from web import settings_of

    namespace = f"test-{uuid.uuid4().hex[:10]}"
    rules_file = tmp_path / "rules.toml"
    app = admin_kit.make_app(redis_namespace=namespace, index_prefix=namespace, home=tmp_path,
                             rules_file=str(rules_file), admin_upload_max_bytes=64 * 1024)
    names = IndexNames(namespace)
    lifecycle.ensure_index(es, names, mapping.load())
    raw_store.ensure(es, names)
    client = app.test_client()
    assert admin_kit.sign_in(client).status_code == 302

    def post(url: str, data: dict | None = None, **kwargs):  # type: ignore[no-untyped-def,type-arg]
        page = client.get(kwargs.pop("form_page", url)).get_data(as_text=True)
        fields = {"csrf_token": admin_kit.csrf_token(page), **(data or {})}
        return client.post(url, data=fields, headers={"Origin": admin_kit.origin}, **kwargs)

    try:
        yield SimpleNamespace(app=app, client=client, post=post, names=names, home=tmp_path,
                              rules_file=rules_file)
    finally:
        kit.cleanup(settings_of(app))


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def test_dashboard_shows_the_index_and_the_services(console, es) -> None:  # type: ignore[no-untyped-def]
    from indexer.index import lifecycle

    page = text(console.client.get("/admin/"))
    live = lifecycle.current_index(es, console.names)
    assert live and f"<code>{live}</code>" in page
    assert re.search(r'id="es-health"><span class="state ok">up', page)
    assert re.search(r'id="redis-health"><span class="state ok">up', page)
    # No worker runs for this namespace's queue in this test.
    assert "none answering" in page
    assert re.search(r'id="documents">0<', page)


def test_submit_a_url_list_and_a_sitemap(console) -> None:  # type: ignore[no-untyped-def]
    from web.admin import services

    response = console.post("/admin/submit", {
        "urls": "https://news.example/a\n\n# a comment\nhttps://news.example/b\n",
        "sitemap": "https://news.example/sitemap.xml"}, form_page="/admin/submit")
    assert response.status_code == 302
    job_id = response.location.rsplit("/", 1)[1]
    job = services.jobs(console.app).records.get(job_id)
    assert job is not None
    kinds = [s["kind"] for s in job.params["sources"]]
    assert kinds == ["url_list", "url"]
    listed = Path(job.params["sources"][0]["location"])
    assert listed.is_relative_to(console.home / "uploads")
    assert listed.read_text().split() == ["https://news.example/a", "https://news.example/b"]
    page = text(console.client.get(f"/admin/jobs/{job_id}"))
    assert "queued" in page and "Cancel" in page


def test_submit_pages_and_a_zip_stay_inside_the_upload_folder(console) -> None:  # type: ignore[no-untyped-def]
    from web.admin import services

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("site/2024/ferry.html", PAGE)
        zipped.writestr("../../escape.html", PAGE)
        zipped.writestr("notes.txt", b"not a page")
    archive.seek(0)
    response = console.post("/admin/submit", {"uploads": [(io.BytesIO(PAGE), "ferry.html"),
                                                          (archive, "site.zip")]},
                            form_page="/admin/submit", content_type="multipart/form-data")
    assert response.status_code == 302, text(response)
    job = services.jobs(console.app).records.get(response.location.rsplit("/", 1)[1])
    assert job is not None
    folder = Path(job.params["sources"][0]["location"])
    saved = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.html"))
    assert saved == ["escape.html", "ferry.html", "site/2024/ferry.html"]
    assert not list(console.home.glob("escape.html")) and not list((console.home / "uploads").glob("*.html"))


def test_submit_refuses_other_files_and_too_large_uploads(console) -> None:  # type: ignore[no-untyped-def]
    from web.admin import services

    response = console.post("/admin/submit", {"uploads": [(io.BytesIO(b"MZ..."), "tool.exe")]},
                            form_page="/admin/submit", content_type="multipart/form-data")
    assert response.status_code == 400 and "upload .html" in text(response)
    big = io.BytesIO(b"<p>" + b"x" * (80 * 1024) + b"</p>")
    response = console.post("/admin/submit", {"uploads": [(big, "big.html")]},
                            form_page="/admin/submit", content_type="multipart/form-data")
    assert response.status_code == 413
    bad = console.post("/admin/submit", {"urls": "ftp://news.example/x"}, form_page="/admin/submit")
    assert bad.status_code == 400 and "not an http(s) URL" in text(bad)
    assert services.jobs(console.app).records.recent() == []


def test_rules_are_checked_before_saving(console) -> None:  # type: ignore[no-untyped-def]
    console.rules_file.write_text('[sites."news.example"]\ncontent = "article"\n')
    assert "article" in text(console.client.get("/admin/rules"))
    bad = console.post("/admin/rules", {"rules": '[sites."news.example"]\ncontent = "div[["\n'})
    assert bad.status_code == 400 and "Not saved" in text(bad)
    assert console.rules_file.read_text() == '[sites."news.example"]\ncontent = "article"\n'
    good = '[sites."news.example"]\ncontent = ".entry-content"\ndrop = [".donate-box"]\n'
    assert console.post("/admin/rules", {"rules": good}).status_code == 302
    assert console.rules_file.read_text() == good


def test_preview_shows_the_cleaned_fields_beside_the_page_unrun(console) -> None:  # type: ignore[no-untyped-def]
    rules = '[sites."news.example"]\ncontent = ".entry-content"\ntitle = "h1.headline"\n'
    response = console.post("/admin/rules/preview", {
        "rules": rules, "url": "https://news.example/2024/ferry/", "page": (io.BytesIO(PAGE), "ferry.html")},
        form_page="/admin/rules", content_type="multipart/form-data")
    assert response.status_code == 200, text(response)
    page = text(response)
    assert "<dt>title</dt>" in page and "Ferry service returns" in page
    assert "cyclists travel free" in page and "Please donate" not in page.split("Cleaned fields")[1]
    frame = re.search(r"<iframe ([^>]*)>", page)
    assert frame is not None
    assert 'sandbox=""' in frame.group(1)
    # The page is inside the attribute, escaped: its script is text, not markup of ours.
    assert "&lt;script&gt;document.title" in frame.group(1)
    assert "<script>document.title" not in page
    # Previewing saved nothing.
    assert not console.rules_file.exists()


def test_takedown_from_the_console(console, es) -> None:  # type: ignore[no-untyped-def]
    from indexer.index.bulk import BulkOptions
    from indexer.index.indexing import index_pages

    url = "https://news.example/2024/wrong-name/"
    index_pages(es, console.names.write_alias, [{"url": url, "title": "T", "content": "C", "kind": "article",
                                                 "content_hash": uuid.uuid4().hex}], BulkOptions())
    es.indices.refresh(index=console.names.read_alias)
    response = console.post("/admin/takedowns", {"url": url, "reason": "named a minor"})
    assert response.status_code == 302
    assert es.count(index=console.names.read_alias)["count"] == 0
    page = text(console.client.get("/admin/takedowns"))
    assert url in page and "named a minor" in page and "console" in page


def test_reindex_and_rollback_ask_first(console, es) -> None:  # type: ignore[no-untyped-def]
    from indexer.index import lifecycle, mapping
    from web.admin import services

    confirm = console.post("/admin/reindex", {"mode": "reclean"}, form_page="/admin/reindex")
    assert confirm.status_code == 200 and "Yes, start the reclean" in text(confirm)
    assert services.jobs(console.app).records.recent() == []
    started = console.post("/admin/reindex", {"mode": "reclean", "confirmed": "1"},
                           form_page="/admin/reindex")
    assert started.status_code == 302
    [job] = services.jobs(console.app).records.recent()
    assert job.type == "reindex" and job.params == {"mode": "reclean"}

    first = lifecycle.current_index(es, console.names)
    second = lifecycle.create_index(es, console.names, mapping.load(), building=False)
    lifecycle.swap(es, console.names, second)
    asked = console.post("/admin/rollback", {}, form_page="/admin/reindex")
    assert asked.status_code == 200 and "Yes, roll back" in text(asked)
    assert lifecycle.current_index(es, console.names) == second
    done = console.post("/admin/rollback", {"confirmed": "1"}, form_page="/admin/reindex")
    assert done.status_code == 302
    assert lifecycle.current_index(es, console.names) == first
    back = services.jobs(console.app).records.recent()[0]
    assert (back.type, back.status, back.params["mode"]) == ("reindex", "succeeded", "rollback")
    assert back.params["runner"] == "the console"
    assert back.id in text(console.client.get("/admin/jobs"))


def test_a_job_with_some_failures_reads_as_finished_with_failures(console) -> None:  # type: ignore[no-untyped-def]
    from web.admin import services

    store = services.jobs(console.app)
    job = store.records.create("ingest", {"sources": []})
    store.records.mark_running(job.id)
    urls = [f"https://news.example/{n}" for n in range(3)]
    store.ledger.add_pages(job.id, [{"url": u} for u in urls])
    store.ledger.expansion_done(job.id)
    store.ledger.finish_page(job.id, urls[0], "indexed")
    store.ledger.finish_page(job.id, urls[1], "skipped", "listing")
    store.ledger.finish_page(job.id, urls[2], "failed", "empty: no content", "clean")

    listed = text(console.client.get("/admin/jobs"))
    assert re.search(r'data-status="partial" class="status partial">finished with 1 failure<', listed), listed
    page = text(console.client.get(f"/admin/jobs/{job.id}"))
    assert 'class="status partial">finished with 1 failure<' in page
    assert page.count('<tr data-run="') == 1
    polled = console.client.get(f"/admin/jobs/{job.id}.json").get_json()
    assert polled["status_label"] == "finished with 1 failure"

    console.post(f"/admin/jobs/{job.id}/retry", {}, form_page=f"/admin/jobs/{job.id}")
    store.ledger.finish_page(job.id, urls[2], "failed", "empty: no content", "clean")
    page = text(console.client.get(f"/admin/jobs/{job.id}"))
    assert page.count('<tr data-run="') == 2 and "(retry)" in page
    css = console.client.get("/static/admin/console.css").get_data(as_text=True)
    assert ".status.partial { color: var(--warn)" in css
