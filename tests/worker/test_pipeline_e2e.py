"""The whole pipeline with real services: a real Celery worker, Redis, Elasticsearch and a
local WordPress-like site. Driven through the `pagesift` command line, as an operator would."""

from __future__ import annotations

import gzip
import subprocess
import time
import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

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
        job = stack.store.get(job_id)
        if job is not None and job.finished_status:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish: {stack.store.get(job_id)}")


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
    job = stack.store.get(job_id)
    assert (job.status, job.total, job.indexed, job.skipped, job.failed) == ("succeeded", 18, 12, 6, 0)
    reasons = {p.url: p.reason.split(":")[0] for p in stack.store.pages(job_id, "skipped")}
    assert reasons == dict(zip(others, ["duplicate", "listing", "noindex", "robots", "gone", "not_html"],
                               strict=True))
    assert f"job {job_id} (ingest) succeeded: 18 pages, indexed 12, skipped 6, failed 0" in done.stdout
    assert not site.hits_on("/private/"), "robots.txt is obeyed"

    alias = stack.settings.index_prefix
    es.indices.refresh(index=alias)
    found = es.search(index=alias, query={"bool": {"must_not": {"exists": {"field": "duplicate_of"}}}},
                      size=50, source=["url"])
    assert sorted(h["_source"]["url"] for h in found["hits"]["hits"]) == sorted(posts)
    hit = es.search(index=alias, query={"match": {"title": "Riverside report 7"}}, size=1)["hits"]["hits"][0]
    assert hit["_source"]["url"] == posts[7]

    # A re-crawl: sitemap lastmod is older than what the raw store holds, so no article is fetched.
    before = len(site.hits_on("/2024/posts/"))
    again = pagesift(kit, stack, "ingest", site.url("/sitemap_index.xml"), "--wait")
    assert again.returncode == 0, again.stdout + again.stderr
    second = stack.store.get(again.stdout.splitlines()[0])
    assert (second.indexed, second.failed) == (0, 0)
    assert sum(p.reason == "unchanged: sitemap lastmod" for p in stack.store.pages(second.id)) == 13
    assert len(site.hits_on("/2024/posts/")) == before

    listed = pagesift(kit, stack, "jobs")
    assert listed.returncode == 0 and job_id in listed.stdout and second.id in listed.stdout
