"""A source whose expansion outlasts the task time limit: the job ends, it does not stay
running. Real worker (with a 3 s soft limit), Redis, Elasticsearch and local sites."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from worker import submit
from worker.app import create_celery
from worker.context import job_store

pytestmark = pytest.mark.integration

SOFT_LIMIT = 3
DELAY = 0.5
SITEMAPS = 16


@pytest.fixture(scope="module")
def stack(kit, make_site, es, redis_client, tmp_path_factory) -> Iterator[SimpleNamespace]:  # type: ignore[no-untyped-def]
    slow = make_site()
    namespace = f"test-{uuid.uuid4().hex[:10]}"
    # Sitemaps and their pages come from `slow`, two requests a second: an allowlisted host
    # serves only jobs whose source is on it, so the pages cannot sit on a second local site.
    settings = kit.settings(
        namespace, [], fetch_delay=DELAY, fetch_allowlist=(f"127.0.0.1:{slow.port}",),
        task_soft_time_limit=SOFT_LIMIT, task_time_limit=SOFT_LIMIT + 30)
    worker = kit.Worker(settings, tmp_path_factory.mktemp("worker") / "worker.log").start()
    try:
        yield SimpleNamespace(slow=slow, settings=settings, store=job_store(settings))
    finally:
        worker.stop()
        kit.cleanup(settings)


def test_expansion_over_the_time_limit_ends_the_job_with_its_reason(kit, stack, es) -> None:  # type: ignore[no-untyped-def]
    slow = stack.slow
    children = []
    for number in range(SITEMAPS):
        path = f"/sitemap-{number}.xml"
        slow.raw(path, 200, {"Content-Type": "application/xml"},
                 kit.urlset(slow.articles(f"/limit/{number}/", 2, start=100 + 2 * number)))
        children.append(slow.url(path))
    index = "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children)
    slow.raw("/sitemap_index.xml", 200, {"Content-Type": "application/xml"},
             ('<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
              f"{index}</sitemapindex>").encode())
    source = slow.url("/sitemap_index.xml")

    job = submit.ingest(create_celery(stack.settings), stack.store.records, [source])
    deadline = time.monotonic() + 60
    while not (current := stack.store.records.get(job.id)).finished_status and time.monotonic() < deadline:
        time.sleep(0.3)

    assert current.status == "partial", current
    failures = stack.store.ledger.pages(job.id, "failed")
    assert [f.url for f in failures] == [source]
    assert "time limit" in failures[0].reason
    # Sitemaps read before the limit were not lost: their pages were ingested.
    assert 2 <= current.indexed < 2 * SITEMAPS and current.indexed == current.total - 1
