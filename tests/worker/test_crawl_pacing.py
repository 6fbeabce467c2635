"""Crawling that never stalls, with real workers, Redis, Elasticsearch and local sites:

- a host with a Crawl-delay puts its pages off instead of holding workers, so a second host
  ingested at the same time finishes at its own pace, while the first is still fetched politely;
- a batch on a slow site ends within its time budget, keeping what it fetched, where it used to
  be cut off by the soft limit and redone from the start for ever;
- a page that kills its worker process fails alone after the attempt cap, with its reason.
"""

from __future__ import annotations

import itertools
import os
import signal
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from worker import submit
from worker.app import create_celery
from worker.context import job_store
from worker.jobs.model import MAX_PAGE_ATTEMPTS

pytestmark = pytest.mark.integration


def _url_list(folder: Path, urls: list[str]) -> str:
    path = folder / f"urls-{uuid.uuid4().hex[:6]}.txt"
    path.write_text("\n".join(urls) + "\n")
    return str(path)


def _running(kit: Any, settings: Any, tmp_path: Path, test: Callable[[Any], None]) -> None:
    worker = kit.Worker(settings, tmp_path / "worker.log").start()
    try:
        test(worker)
    finally:
        worker.stop()
        kit.cleanup(settings)


CRAWL_DELAY = 4
SLOW_PAGES = 7


def test_a_host_with_a_crawl_delay_never_holds_up_another_host(kit, make_site, es, tmp_path) -> None:  # type: ignore[no-untyped-def]
    slow, quick = make_site(), make_site()
    slow.raw("/robots.txt", 200, {"Content-Type": "text/plain"},
             f"User-agent: *\nCrawl-delay: {CRAWL_DELAY}\n".encode())
    slow_urls = slow.articles("/slow/", SLOW_PAGES, start=700)
    quick_urls = quick.articles("/quick/", 20, start=800)
    # Two workers and batches of 3: on a task sleeping for its slots, the slow host's three
    # batches held both workers for 20 s before the quick host got one.
    settings = kit.settings(f"test-{uuid.uuid4().hex[:10]}", [slow.port, quick.port], fetch_host_delays=(),
                            fetch_delay=0.0, ingest_batch_size=3, worker_concurrency=2)

    def check(_worker: Any) -> None:
        app, store = create_celery(settings), job_store(settings)
        slow_job = submit.ingest(app, store.records, [_url_list(tmp_path, slow_urls)])
        time.sleep(1.0)  # the slow host's batches are taken first
        submitted = time.monotonic()
        quick_job = submit.ingest(app, store.records, [_url_list(tmp_path, quick_urls)])
        quick_done = kit.wait_job(store, quick_job.id, 60)
        quick_s = time.monotonic() - submitted
        slow_still_running = not store.records.get(slow_job.id).finished_status
        slow_done = kit.wait_job(store, slow_job.id, CRAWL_DELAY * SLOW_PAGES + 60)
        fetched = [t for t, path in slow.hits if path.startswith("/slow/")]
        gaps = [b - a for a, b in itertools.pairwise(fetched)]
        print(f"quick host: 20 pages in {quick_s:.1f} s; slow host: {len(fetched)} fetches, "
              f"gaps {[round(g, 1) for g in gaps]}")
        assert (quick_done.status, quick_done.indexed) == ("succeeded", 20)
        assert quick_s < 12 and slow_still_running, "the quick host waited for the slow one"
        assert (slow_done.status, slow_done.indexed) == ("succeeded", SLOW_PAGES)
        assert len(fetched) == SLOW_PAGES, "each slow page fetched once"
        assert min(gaps) >= CRAWL_DELAY - 0.3, "the Crawl-delay is kept"

    _running(kit, settings, tmp_path, check)


def test_a_batch_on_a_slow_site_ends_within_its_budget_keeping_pages(kit, make_site, es, tmp_path) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    urls = site.articles("/sluggish/", 6, start=900)
    for url in urls:
        path = url.removeprefix(site.base)
        answer = site.routes[path]

        def sluggish(headers: dict[str, str], answer: Any = answer) -> tuple[int, dict[str, str], bytes]:
            time.sleep(1.2)
            return answer(headers)  # type: ignore[no-any-return]

        site.routes[path] = sluggish
    # Six pages of 1.2 s in one batch outlast the 4 s soft limit: the batch used to be cut
    # off and sent again whole, its fetched pages lost, for ever.
    settings = kit.settings(f"test-{uuid.uuid4().hex[:10]}", [site.port], ingest_batch_size=6,
                            worker_concurrency=1, task_soft_time_limit=4, task_time_limit=30)

    def check(_worker: Any) -> None:
        app, store = create_celery(settings), job_store(settings)
        job = kit.wait_job(store, submit.ingest(app, store.records, [_url_list(tmp_path, urls)]).id, 60)
        assert (job.status, job.indexed, job.failed) == ("succeeded", 6, 0)
        assert len(site.hits_on("/sluggish/")) == 6, "no page fetched twice"

    _running(kit, settings, tmp_path, check)


def _pool_children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def test_a_page_that_kills_its_worker_fails_alone_after_the_attempt_cap(kit, make_site, es, tmp_path) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    urls = site.articles("/fine/", 4, start=950)
    worker_pid: list[int] = []
    kills: list[float] = []

    def killer(_headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        # What an out-of-memory kill or a hard time limit does to the process working on it.
        for child in _pool_children(worker_pid[0]):
            os.kill(child, signal.SIGKILL)
        kills.append(time.monotonic())
        return 200, {"Content-Type": "text/html"}, b"<html>never read</html>"

    site.routes["/killer/"] = killer
    batch = [*urls[:2], site.url("/killer/"), *urls[2:]]
    settings = kit.settings(f"test-{uuid.uuid4().hex[:10]}", [site.port], ingest_batch_size=5,
                            worker_concurrency=1)

    def check(worker: Any) -> None:
        assert worker.proc is not None
        worker_pid.append(worker.proc.pid)
        app, store = create_celery(settings), job_store(settings)
        job = kit.wait_job(store, submit.ingest(app, store.records, [_url_list(tmp_path, batch)]).id, 120)
        failed = store.ledger.pages(job.id, "failed")
        assert (job.status, job.indexed, job.failed) == ("partial", 4, 1), job
        assert [p.url for p in failed] == [site.url("/killer/")]
        assert failed[0].reason.startswith(f"attempts: {MAX_PAGE_ATTEMPTS} tries never finished"), failed[0]
        assert len(kills) == MAX_PAGE_ATTEMPTS

    _running(kit, settings, tmp_path, check)
