"""Failures of the machinery itself: a worker killed with SIGKILL mid-batch, Redis restarted
mid-job. Real worker processes, real Redis (a private one for the restart), real Elasticsearch."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pagesift.stack import redis as local_redis
from worker import submit
from worker.context import job_store

pytestmark = pytest.mark.integration


def _until(check: Callable[[], bool], timeout: float, what: str,
           state: Callable[[], str] = lambda: "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}\n{state()}")
        time.sleep(0.1)


def _state(store: Any, job_id: str, log: Path) -> Callable[[], str]:
    """What a timeout shows: the job as stored and the end of the worker's log."""
    return lambda: f"job: {store.records.get(job_id)}\nworker log:\n{log.read_text()[-4000:]}"


def _searchable(es: Any, prefix: str) -> list[str]:
    es.indices.refresh(index=prefix)
    hits = es.search(index=prefix, size=200, source=["url"], query={"match_all": {}})["hits"]["hits"]
    return [h["_source"]["url"] for h in hits]


def _ingest(settings: Any, urls: list[str], listing: Path) -> str:
    listing.write_text("\n".join(urls) + "\n")
    return submit.ingest(submit.producer(settings), job_store(settings).records, [str(listing)]).id


def test_worker_killed_mid_batch_then_restarted(kit, make_site, es, tmp_path) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    namespace = f"test-{uuid.uuid4().hex[:10]}"
    # A short visibility timeout, so the killed worker's unacknowledged batches come back soon.
    settings = kit.settings(namespace, [site.port], fetch_host_delays=(f"127.0.0.1:{site.port}=0.05",),
                            worker_visibility_timeout=4, ingest_batch_size=5)
    urls = site.articles("/killed/", 40, start=1000)
    store = job_store(settings)
    worker = kit.Worker(settings, tmp_path / "worker.log").start()
    try:
        job_id = _ingest(settings, urls, tmp_path / "urls.txt")
        _until(lambda: store.records.get(job_id).indexed >= 10, 60, "some pages indexed")
        worker.kill9()
        assert store.records.get(job_id).done < 40, "killed in the middle of the job"
        worker = kit.Worker(settings, tmp_path / "worker2.log").start()
        _until(lambda: store.records.get(job_id).finished_status, 90, "the job to finish after the restart")
        job = store.records.get(job_id)
        assert (job.status, job.total, job.indexed, job.skipped, job.failed) == ("succeeded", 40, 40, 0, 0)
        found = _searchable(es, settings.index.prefix)
        assert sorted(found) == sorted(urls), "every page indexed exactly once"
    finally:
        worker.stop()
        kit.cleanup(settings)


def test_redis_restarted_during_a_job(kit, make_site, es, tmp_path) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    private = local_redis.LocalRedis(tmp_path / "home", kit.free_port())
    local_redis.start(private)
    namespace = f"test-{uuid.uuid4().hex[:10]}"
    # A message in flight when Redis stops can be lost between the broker's pop and its
    # unacked record (kombu's Redis transport): the reconciler re-enqueues such pages, here
    # after 20 s rather than production's 30 min.
    settings = kit.settings(namespace, [site.port], redis_url=private.url, worker_visibility_timeout=5,
                            fetch_host_delays=(f"127.0.0.1:{site.port}=0.1",), ingest_batch_size=3,
                            reconcile_after=20)
    urls = site.articles("/restart/", 30, start=2000)
    store = job_store(settings)
    worker = kit.Worker(settings, tmp_path / "worker.log", beat=True)
    try:
        worker.start()
        job_id = _ingest(settings, urls, tmp_path / "urls.txt")
        _until(lambda: store.records.get(job_id).indexed >= 3, 60, "some pages indexed")
        assert store.records.get(job_id).done < 30, "Redis goes away in the middle of the job"
        local_redis.stop(private)
        time.sleep(1.0)
        local_redis.start(private)
        _until(lambda: store.records.get(job_id).finished_status, 90, "the job to finish after the restart",
               _state(store, job_id, tmp_path / "worker.log"))
        job = store.records.get(job_id)
        assert (job.status, job.total, job.indexed, job.failed) == ("succeeded", 30, 30, 0)
        assert sorted(_searchable(es, settings.index.prefix)) == sorted(urls)
    finally:
        worker.stop()
        kit.cleanup(settings)
        local_redis.stop(private)
