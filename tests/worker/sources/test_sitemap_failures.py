"""Sitemaps that fail: every expand failure ends its job with the reason, and a failed sitemap
is retried as a sitemap (its pages read), not fetched as a page. Real worker, Redis,
Elasticsearch and a local site."""

from __future__ import annotations

import gzip
import os
import uuid
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from worker import submit
from worker.app import create_celery
from worker.context import job_store

pytestmark = pytest.mark.integration

CAP = 256 * 1024


@pytest.fixture(scope="module")
def stack(kit, make_site, es, tmp_path_factory) -> Iterator[SimpleNamespace]:  # type: ignore[no-untyped-def]
    site = make_site()
    settings = kit.settings(f"test-{uuid.uuid4().hex[:10]}", [site.port], fetch_max_bytes=CAP)
    worker = kit.Worker(settings, tmp_path_factory.mktemp("worker") / "worker.log").start()
    try:
        yield SimpleNamespace(site=site, settings=settings, app=create_celery(settings),
                              store=job_store(settings))
    finally:
        worker.stop()
        kit.cleanup(settings)


@pytest.mark.parametrize(("body", "reason"), [
    (b"\x1f\x8b\x08\x00" + os.urandom(2000), "sitemap: fetch_error: bad gzip data"),
    (gzip.compress(b"<urlset>" + b" " * (2 * CAP) + b"</urlset>"), "sitemap: too_large"),
], ids=["corrupt", "oversized"])
def test_a_broken_top_level_gz_sitemap_ends_its_job_with_the_reason(kit, stack, body, reason) -> None:  # type: ignore[no-untyped-def]
    path = f"/broken-{uuid.uuid4().hex[:6]}.xml.gz"
    stack.site.raw(path, 200, {"Content-Type": "application/gzip"}, body)
    job = kit.wait_job(stack.store, submit.ingest(stack.app, stack.store.records, [stack.site.url(path)]).id)
    failed = stack.store.ledger.pages(job.id, "failed")
    assert (job.status, job.total, job.failed) == ("failed", 1, 1), job
    assert failed[0].reason.startswith(reason), failed[0].reason


def test_a_failed_sitemap_is_retried_as_a_sitemap(kit, stack, es) -> None:  # type: ignore[no-untyped-def]
    site = stack.site
    child = "/sitemap-later.xml"
    site.raw(child, 503, {"Content-Type": "text/plain"}, b"busy")
    site.raw("/index-retry.xml", 200, {"Content-Type": "application/xml"},
             ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
              f"<sitemap><loc>{site.url(child)}</loc></sitemap></sitemapindex>").encode())
    started = submit.ingest(stack.app, stack.store.records, [site.url("/index-retry.xml")])
    job = kit.wait_job(stack.store, started.id)
    assert (job.status, job.total, job.failed) == ("failed", 1, 1), job
    assert stack.store.ledger.pages(job.id, "failed")[0].reason.startswith("sitemap: network")

    site.raw(child, 200, {"Content-Type": "application/xml"},
             kit.urlset(site.articles("/later/", 3, start=600)))
    assert submit.retry(stack.app, stack.store.ledger, job.id, 5) == 1
    job = kit.wait_job(stack.store, job.id)
    entry = next(p for p in stack.store.ledger.pages(job.id) if p.url == site.url(child))
    assert (job.status, job.total, job.indexed, job.skipped, job.failed) == ("succeeded", 4, 3, 1, 0), job
    assert (entry.state, entry.reason) == ("skipped", "sitemap: read again, 3 pages")
    es.indices.refresh(index=stack.settings.index.prefix)
    hits = es.count(index=stack.settings.index.prefix, query={"prefix": {"url": site.url("/later/")}})
    assert hits["count"] == 3
