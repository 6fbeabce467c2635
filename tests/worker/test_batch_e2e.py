"""The whole pipeline with real services: a real Celery worker, Redis, Elasticsearch and a
local WordPress-like site. Driven through the `pagesift` command line, as an operator would."""

from __future__ import annotations

import gzip
import itertools
import subprocess
import time
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from indexer.config import replaced
from worker.context import job_store

pytestmark = pytest.mark.integration

SLOW_DELAY = 0.3


@pytest.fixture(scope="module")
def stack(kit, make_site, es, redis_client, tmp_path_factory) -> Iterator[SimpleNamespace]:  # type: ignore[no-untyped-def]
    site, slow = make_site(), make_site()
    namespace = f"test-{uuid.uuid4().hex[:10]}"
    # `slow` has no per-host override, so it gets the default delay; `site` goes at full speed.
    settings = kit.settings(namespace, [site.port], fetch_delay=SLOW_DELAY,
                            fetch_allowlist=(f"127.0.0.1:{site.port}", f"127.0.0.1:{slow.port}"))
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    worker = kit.Worker(settings, log).start()
    try:
        yield SimpleNamespace(site=site, slow=slow, settings=settings, worker=worker, log=log,
                              store=job_store(settings), tmp=tmp_path_factory.mktemp("sources"))
    finally:
        worker.stop()
        kit.cleanup(settings)


def pagesift(kit, stack, *args: str, timeout: float = 90) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run([kit.python, "-m", "pagesift.cli", *args], env=kit.env_for(stack.settings),
                          capture_output=True, text=True, timeout=timeout, cwd=kit.repo)


def _wait(stack: SimpleNamespace, job_id: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = stack.store.records.get(job_id)
        if job is not None and job.finished_status:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {stack.store.records.get(job_id)}")


def test_sitemap_ingest_end_to_end(kit, stack, es) -> None:  # type: ignore[no-untyped-def]
    site = stack.site
    site.raw("/robots.txt", 200, {"Content-Type": "text/plain"},
             f"User-agent: *\nDisallow: /private/\nSitemap: {site.url('/sitemap_index.xml')}\n".encode())
    posts = site.articles("/2024/posts/", 12)
    site.html("/2024/copy/", kit.article(site.url("/2024/copy/"), 0))
    site.html("/category/news/", (kit.fixtures / "listing_category.html").read_bytes())
    site.html("/hidden/", (kit.fixtures / "noindex_page.html").read_bytes())
    site.html("/private/secret/", kit.article(site.url("/private/secret/"), 99))
    site.raw("/gone/", 410, {"Content-Type": "text/html"}, b"gone")
    site.raw("/logo.png", 200, {"Content-Type": "image/png"}, b"\x89PNG....")
    others = [site.url(p) for p in ("/2024/copy/", "/category/news/", "/hidden/", "/private/secret/",
                                    "/gone/", "/logo.png")]
    site.raw("/post-sitemap.xml.gz", 200, {"Content-Type": "application/x-gzip"},
             gzip.compress(kit.urlset(posts + others)))
    site.raw("/sitemap_index.xml", 200, {"Content-Type": "application/xml"},
             f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>'
             f'{site.url("/post-sitemap.xml.gz")}</loc></sitemap></sitemapindex>'.encode())

    # The site root: its sitemaps are found through robots.txt.
    done = pagesift(kit, stack, "ingest", site.url("/"), "--wait")
    assert done.returncode == 0, done.stdout + done.stderr
    job_id = done.stdout.splitlines()[0]
    job = stack.store.records.get(job_id)
    assert (job.status, job.total, job.indexed, job.skipped, job.failed) == ("succeeded", 18, 12, 6, 0)
    reasons = {p.url: p.reason.split(":")[0] for p in stack.store.ledger.pages(job_id, "skipped")}
    # Two workers race on the two copies of article 0: either may be indexed first and kept.
    copies = {posts[0], others[0]}
    duplicates = {url for url, reason in reasons.items() if reason == "duplicate"}
    assert len(duplicates) == 1 and duplicates <= copies
    kept = (copies - duplicates).pop()
    assert {u: r for u, r in reasons.items() if u not in copies} == dict(
        zip(others[1:], ["listing", "noindex", "robots", "gone", "not_html"], strict=True))
    assert f"job {job_id} (ingest) succeeded: 18 pages, indexed 12, skipped 6, failed 0" in done.stdout
    assert not site.hits_on("/private/"), "robots.txt is obeyed"

    alias = stack.settings.index.prefix
    es.indices.refresh(index=alias)
    found = es.search(index=alias, query={"bool": {"must_not": {"exists": {"field": "duplicate_of"}}}},
                      size=50, source=["url"])
    assert sorted(h["_source"]["url"] for h in found["hits"]["hits"]) == sorted([kept, *posts[1:]])
    hit = es.search(index=alias, query={"match": {"title": "Riverside report 7"}}, size=1)["hits"]["hits"][0]
    assert hit["_source"]["url"] == posts[7]

    # A re-crawl: sitemap lastmod is older than what the raw store holds, so no article is fetched.
    before = len(site.hits_on("/2024/posts/"))
    again = pagesift(kit, stack, "ingest", site.url("/sitemap_index.xml"), "--wait")
    assert again.returncode == 0, again.stdout + again.stderr
    second = stack.store.records.get(again.stdout.splitlines()[0])
    assert (second.indexed, second.failed) == (0, 0)
    assert sum(p.reason == "unchanged: sitemap lastmod" for p in stack.store.ledger.pages(second.id)) == 13
    assert len(site.hits_on("/2024/posts/")) == before

    listed = pagesift(kit, stack, "jobs")
    assert listed.returncode == 0 and job_id in listed.stdout and second.id in listed.stdout


def test_failures_are_recorded_and_retried_alone(kit, stack, es) -> None:  # type: ignore[no-untyped-def]
    site = stack.site
    good = site.articles("/retry/ok/", 1, start=100)[0]
    site.html("/retry/forbidden/", b"no", status=403)
    bomb = gzip.compress(b" " * (stack.settings.fetch.max_bytes + 4 * 1024 * 1024))
    site.raw("/retry/bomb/", 200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, bomb)
    urls = stack.tmp / "retry.txt"
    urls.write_text(f"# three pages\n{good}\n{site.url('/retry/forbidden/')}\n{site.url('/retry/bomb/')}\n")

    done = pagesift(kit, stack, "ingest", str(urls), "--wait")
    assert done.returncode == 3, "finished with failures: " + done.stdout + done.stderr
    job_id = done.stdout.splitlines()[0]
    assert f"job {job_id} (ingest) finished with 2 failures" in done.stdout
    failed = {p.url: (p.stage, p.reason.split(":")[0]) for p in stack.store.ledger.pages(job_id, "failed")}
    assert failed == {site.url("/retry/forbidden/"): ("fetch", "http_status"),
                      site.url("/retry/bomb/"): ("fetch", "too_large")}
    assert "failures (2):" in done.stdout and "/retry/bomb/" in done.stdout

    site.html("/retry/forbidden/", kit.article(site.url("/retry/forbidden/"), 501))
    hits_on_good = len(site.hits_on("/retry/ok/"))
    retried = pagesift(kit, stack, "jobs", "retry", job_id, "--wait")
    assert retried.returncode == 3, retried.stdout + retried.stderr
    assert f"{job_id}: 2 failed page(s) re-enqueued" in retried.stdout
    job = stack.store.records.get(job_id)
    assert (job.total, job.indexed, job.skipped, job.failed) == (3, 2, 0, 1)
    assert len(site.hits_on("/retry/ok/")) == hits_on_good, "pages already indexed are not fetched again"
    shown = pagesift(kit, stack, "jobs", "show", job_id)
    assert "too_large" in shown.stdout and "2 attempts" in shown.stdout
    runs = [line for line in shown.stdout.splitlines() if line.startswith("  run ")]
    assert len(runs) == 2 and "3 pages: indexed 1, skipped 0, failed 2" in runs[0], shown.stdout
    assert "2 pages: indexed 1, skipped 0, failed 1" in runs[1], shown.stdout


def test_cancel_stops_a_running_job(kit, stack) -> None:  # type: ignore[no-untyped-def]
    slow = stack.slow
    urls = slow.articles("/cancel/", 30, start=200)
    listing = stack.tmp / "cancel.txt"
    listing.write_text("\n".join(urls) + "\n")
    started = pagesift(kit, stack, "ingest", str(listing))
    job_id = started.stdout.splitlines()[0]
    deadline = time.monotonic() + 30
    while len(slow.hits_on("/cancel/")) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    cancelled = pagesift(kit, stack, "jobs", "cancel", job_id)
    assert cancelled.returncode == 0, cancelled.stderr
    time.sleep(1.0)
    hits = len(slow.hits_on("/cancel/"))
    time.sleep(2 * SLOW_DELAY + 1.0)
    job = stack.store.records.get(job_id)
    assert job.status == "cancelled" and job.done < 30
    assert len(slow.hits_on("/cancel/")) == hits, "no page is fetched after the cancel"
    assert pagesift(kit, stack, "jobs", "cancel", job_id).returncode == 1


def test_politeness_delay_holds_across_worker_processes(kit, stack) -> None:  # type: ignore[no-untyped-def]
    slow = stack.slow
    urls = slow.articles("/polite/", 8, start=300)
    listing = stack.tmp / "polite.txt"
    listing.write_text("\n".join(urls) + "\n")
    # Batches of one page, so both worker processes fetch from the host at the same time.
    job = submit_with_batch(stack, listing, batch_size=1)
    assert _wait(stack, job.id).indexed == 8
    times = sorted(t for t, _ in slow.hits_on("/polite/"))
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # Slots are reserved on Redis's clock; arrival here adds each process's scheduling jitter.
    assert len(times) == 8 and min(gaps) >= SLOW_DELAY - 0.1, gaps
    assert times[-1] - times[0] >= 7 * SLOW_DELAY - 0.1, gaps


def submit_with_batch(stack: SimpleNamespace, source: Any, batch_size: int) -> Any:
    from worker import submit

    app = submit.producer(stack.settings)
    job = stack.store.records.create("ingest", {"sources": [{"kind": "url_list", "location": str(source)}]})
    stack.store.records.mark_running(job.id)
    refs = [{"url": line} for line in source.read_text().split()]
    stack.store.ledger.add_pages(job.id, refs)
    stack.store.ledger.expansion_done(job.id)
    submit.enqueue_pages(app, job.id, refs, batch_size)
    return job


def test_ssrf_forms_are_refused_before_any_connection(kit, stack, make_site) -> None:  # type: ignore[no-untyped-def]
    target = make_site()  # not allowlisted: it stands for an internal service
    target.html("/admin/", b"<html><body>secret</body></html>")
    port = target.port
    forms = ["127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "017700000001", "127.1",
             "0x7f.1", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:127.0.0.1]", "localhost",
             "0.0.0.0", "[::1]", "[::]"]
    urls = [f"http://{form}:{port}/admin/" for form in forms]
    stack.site.raw("/redirect/", 302, {"Location": f"http://127.0.0.1:{port}/admin/"}, b"")
    urls.append(stack.site.url("/redirect/"))
    listing = stack.tmp / "ssrf.txt"
    listing.write_text("\n".join(urls) + "\n")

    done = pagesift(kit, stack, "ingest", str(listing), "--wait")
    assert done.returncode == 1, done.stdout + done.stderr
    pages = stack.store.ledger.pages(done.stdout.splitlines()[0])
    assert len(pages) == len(urls)
    assert all(p.state == "failed" and p.reason.startswith("refused") for p in pages), pages
    assert target.hits == [], "the internal service was never contacted"
    assert stack.site.hits_on("/redirect/"), "the allowlisted site was, and its redirect was refused"


def test_allowlisted_host_reached_from_another_source_is_refused(kit, stack) -> None:  # type: ignore[no-untyped-def]
    site, intranet = stack.site, stack.slow  # both allowlisted; `slow` stands for an intranet host
    own = site.articles("/scope/own/", 1, start=400)[0]
    listed = intranet.articles("/scope/secret/", 1, start=401)[0]
    site.raw("/scope/hop/", 302, {"Location": intranet.url("/scope/secret/401/")}, b"")
    nested = intranet.url("/scope/sitemap.xml")
    intranet.raw("/scope/sitemap.xml", 200, {"Content-Type": "application/xml"}, kit.urlset([listed]))
    site.raw("/scope/sitemap.xml", 200, {"Content-Type": "application/xml"},
             kit.urlset([own, listed, site.url("/scope/hop/")]))
    site.raw("/scope/index.xml", 200, {"Content-Type": "application/xml"},
             ('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
              f'<sitemap><loc>{site.url("/scope/sitemap.xml")}</loc></sitemap>'
              f"<sitemap><loc>{nested}</loc></sitemap></sitemapindex>").encode())

    done = pagesift(kit, stack, "ingest", site.url("/scope/index.xml"), "--wait")
    assert done.returncode == 3, done.stdout + done.stderr
    job_id = done.stdout.splitlines()[0]
    assert [p.url for p in stack.store.ledger.pages(job_id, "indexed")] == [own]
    failed = {p.url: p.reason for p in stack.store.ledger.pages(job_id, "failed")}
    assert set(failed) == {listed, nested, site.url("/scope/hop/")}, failed
    assert all(reason.startswith("refused") for reason in failed.values()), failed
    assert "admitted only for a job whose source is on it" in failed[listed]
    assert not intranet.hits_on("/scope/"), "the intranet host was never contacted from the site"


def test_reindex_runs_as_a_job_and_remove_takes_a_page_down(kit, stack, es) -> None:  # type: ignore[no-untyped-def]
    from indexer.index import raw_store
    from indexer.index.names import IndexNames

    site = stack.site
    urls = site.articles("/reindex/", 3, start=400)
    listing = stack.tmp / "reindex.txt"
    listing.write_text("\n".join(urls) + "\n")
    assert pagesift(kit, stack, "ingest", str(listing), "--wait").returncode == 0

    names = IndexNames.from_settings(stack.settings.index)
    stored = raw_store.count(es, names)
    ran = pagesift(kit, stack, "reindex", "--reclean", "--job", "--wait")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    done = stack.store.records.get(ran.stdout.split()[0])
    assert (done.type, done.status, done.total, done.failed) == ("reindex", "succeeded", stored, 0), done
    assert done.params["result"]["swapped"] is True
    live = es.count(index=stack.settings.index.prefix)["count"]
    # Every raw page counted once; duplicates are written (marked) but counted as skipped.
    assert done.indexed + done.skipped == stored
    duplicates = done.params["result"]["pages"]["reasons"].get("skipped:duplicate", 0)
    assert done.indexed + duplicates == done.params["result"]["count"] == live
    assert sorted(_searchable_urls(es, stack, "/reindex/")) == sorted(urls)

    removed = pagesift(kit, stack, "remove", urls[0], "--reason", "court order 12")
    assert removed.returncode == 0, removed.stderr
    assert "raw store" in removed.stdout
    assert sorted(_searchable_urls(es, stack, "/reindex/")) == sorted(urls[1:])
    assert raw_store.get(es, names, urls[0]) is None
    again = pagesift(kit, stack, "remove", urls[0], "--reason", "court order 12")
    assert again.returncode == 1 and "not found" in again.stdout
    # The site still lists it: an ingest (a recrawl, a retry) leaves it out, unfetched.
    hits = len(site.hits_on("/reindex/400/"))
    back = pagesift(kit, stack, "ingest", str(listing), "--wait")
    assert back.returncode == 0, back.stdout + back.stderr
    reasons = {p.url: p.reason for p in stack.store.ledger.pages(back.stdout.split()[0])}
    assert reasons[urls[0]] == "taken_down"
    assert len(site.hits_on("/reindex/400/")) == hits, "a taken-down page is not even fetched"
    assert sorted(_searchable_urls(es, stack, "/reindex/")) == sorted(urls[1:])
    # Reinstated, its next ingest brings it back.
    reinstated = pagesift(kit, stack, "remove", "--reinstate", urls[0])
    assert reinstated.returncode == 0 and "off the takedown list" in reinstated.stdout
    assert pagesift(kit, stack, "ingest", str(listing), "--wait").returncode == 0
    assert sorted(_searchable_urls(es, stack, "/reindex/")) == sorted(urls)


def test_a_redirected_page_is_indexed_as_where_it_landed(kit, stack, es) -> None:  # type: ignore[no-untyped-def]
    site = stack.site
    target = site.url("/moved/new/")
    body = kit.article(target, 950).replace(b'<link rel="canonical"', b'<link rel="x"')
    site.html("/moved/new/", body)
    site.raw("/moved/old/", 301, {"Location": "/moved/new/", "Content-Type": "text/html"}, b"")
    listing = stack.tmp / "moved.txt"
    listing.write_text(site.url("/moved/old/") + "\n")
    done = pagesift(kit, stack, "ingest", str(listing), "--wait")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _searchable_urls(es, stack, "/moved/") == [target]


def _searchable_urls(es: Any, stack: SimpleNamespace, path: str) -> list[str]:
    es.indices.refresh(index=stack.settings.index.prefix)
    hits = es.search(index=stack.settings.index.prefix, size=100, source=["url"],
                     query={"prefix": {"url": stack.site.url(path)}})["hits"]["hits"]
    return [h["_source"]["url"] for h in hits]


def test_saved_pages_and_web_archives(kit, stack, es) -> None:  # type: ignore[no-untyped-def]
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    folder = stack.tmp / "saved"
    (folder / "news").mkdir(parents=True)
    (folder / "news" / "one.html").write_bytes(kit.article("https://saved.example/one/", 600))
    plain = kit.article("https://unused.example/", 601).replace(b'<link rel="canonical"', b'<link rel="x"')
    (folder / "news" / "two.htm").write_bytes(plain)
    warc = stack.tmp / "crawl.warc.gz"
    with warc.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        archived = kit.article("https://archived.example/a/", 602)
        records = (("https://archived.example/a/", "text/html", archived),
                   ("https://archived.example/logo.png", "image/png", b"\x89PNG"))
        for url, ctype, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    done = pagesift(kit, stack, "ingest", str(folder), str(warc), "--base-url", "https://base.example/x/",
                    "--wait")
    assert done.returncode == 0, done.stdout + done.stderr
    pages = {p.url: (p.state, p.reason) for p in stack.store.ledger.pages(done.stdout.splitlines()[0])}
    assert pages == {"https://saved.example/one/": ("indexed", ""),
                     "https://base.example/x/news/two.htm": ("indexed", ""),
                     "https://archived.example/a/": ("indexed", ""),
                     "https://archived.example/logo.png": ("skipped", "not_html: image/png")}
    missing = pagesift(kit, stack, "ingest", str(stack.tmp / "nope.txt"))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_recrawl_sends_the_stored_validators(kit, stack) -> None:  # type: ignore[no-untyped-def]
    site = stack.site
    url = site.url("/etag/")
    body = kit.article(url, 700)

    def page(headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if headers.get("If-None-Match") == '"e1"':
            return 304, {"ETag": '"e1"'}, b""
        return 200, {"Content-Type": "text/html", "ETag": '"e1"'}, body

    site.routes["/etag/"] = page
    listing = stack.tmp / "etag.txt"
    listing.write_text(url + "\n")
    first = pagesift(kit, stack, "ingest", str(listing), "--wait")
    second = pagesift(kit, stack, "ingest", str(listing), "--wait")
    assert (first.returncode, second.returncode) == (0, 0), first.stdout + second.stdout
    assert stack.store.records.get(first.stdout.split()[0]).indexed == 1
    assert [p.reason for p in stack.store.ledger.pages(second.stdout.split()[0])] == ["unchanged: 304"]


def test_beat_tasks_reconcile_lost_pages_and_recrawl(kit, stack) -> None:  # type: ignore[no-untyped-def]

    import worker.tasks  # noqa: F401 (registers the tasks with every app)
    from worker.app import create_celery

    site = stack.site
    urls = site.articles("/lost/", 2, start=800)
    job = stack.store.records.create("ingest", {"sources": []})
    stack.store.records.mark_running(job.id)
    stack.store.ledger.add_pages(job.id, [{"url": u} for u in urls])
    stack.store.ledger.expansion_done(job.id)  # accepted, but their messages were lost: never queued

    # What beat runs, with a limit of zero so the pages are already overdue.
    app = create_celery(replaced(stack.settings, reconcile_after=0))
    assert app.tasks["worker.tasks.reconcile"].run() == 2
    assert (_wait(stack, job.id).status, stack.store.records.get(job.id).indexed) == ("succeeded", 2)

    sitemap = site.url("/lost-sitemap.xml")
    site.raw("/lost-sitemap.xml", 200, {"Content-Type": "application/xml"}, kit.urlset(urls))
    recrawl_id = app.tasks["worker.tasks.recrawl"].run(sitemap)
    recrawl = _wait(stack, recrawl_id)
    assert (recrawl.status, recrawl.total) == ("succeeded", 2)
    assert recrawl.params["sources"][0]["location"] == sitemap


def test_ingest_wait_returns_only_once_a_search_finds_the_pages(kit, stack, es) -> None:  # type: ignore[no-untyped-def]
    from indexer.index import lifecycle, mapping
    from indexer.index.names import IndexNames

    names = IndexNames.from_settings(stack.settings.index)
    index = lifecycle.ensure_index(es, names, mapping.load())
    # A long refresh interval makes the race certain: without the job's own refresh the page
    # is written but invisible for 30 s after `--wait` has returned.
    es.indices.put_settings(index=index, settings={"refresh_interval": "30s"})
    try:
        folder = stack.tmp / "read-after-write"
        folder.mkdir()
        (folder / "fresh.html").write_bytes(kit.article("https://fresh.example/now/", 700))
        done = pagesift(kit, stack, "ingest", str(folder), "--wait")
        found = es.search(index=names.read_alias, query={"term": {"url": "https://fresh.example/now/"}})
        assert done.returncode == 0, done.stdout + done.stderr
        assert found["hits"]["total"]["value"] == 1
        assert stack.store.records.get(done.stdout.splitlines()[0]).searchable is not None
    finally:
        es.indices.put_settings(index=index, settings={"refresh_interval": "1s"})
