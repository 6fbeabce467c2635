"""The job ledger on the real Redis: every page counted once, retry, cancel, the reconciler's view."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from worker.jobs import JobStore

pytestmark = pytest.mark.integration


@pytest.fixture
def store(redis_client, unique_name: str) -> Iterator[JobStore]:  # type: ignore[no-untyped-def]
    yield JobStore(redis_client, unique_name)
    keys = list(redis_client.scan_iter(f"{unique_name}:*"))
    if keys:
        redis_client.delete(*keys)


def _refs(n: int) -> list[dict[str, str]]:
    return [{"url": f"http://site.test/p{i}", "origin": "http"} for i in range(n)]


def test_pages_count_once_and_the_job_closes(store: JobStore) -> None:
    job = store.create("ingest", {"sources": ["x"]})
    assert job.status == "queued"
    assert store.mark_running(job.id)
    assert store.add_pages(job.id, _refs(3) + _refs(2)) == 3
    for ref in _refs(3):
        assert store.start_page(job.id, ref["url"], "fetch")
    assert store.finish_page(job.id, "http://site.test/p0", "indexed")
    assert not store.finish_page(job.id, "http://site.test/p0", "indexed"), "a redelivery is not counted"
    assert not store.start_page(job.id, "http://site.test/p0", "fetch")
    store.finish_page(job.id, "http://site.test/p1", "skipped", "noindex")
    store.finish_page(job.id, "http://site.test/p2", "failed", "network: refused", "fetch")
    assert store.get(job.id).status == "running", "expansion is not over yet"
    store.expansion_done(job.id)
    done = store.get(job.id)
    assert (done.status, done.total, done.indexed, done.skipped, done.failed) == ("failed", 3, 1, 1, 1)
    assert done.finished is not None
    failed = store.pages(job.id, "failed")
    assert [(p.url, p.stage, p.reason, p.attempts) for p in failed] == [
        ("http://site.test/p2", "fetch", "network: refused", 1)]
    assert job.id not in store.active_ids()


def test_retry_moves_only_failed_pages_back(store: JobStore) -> None:
    job = store.create("ingest")
    store.mark_running(job.id)
    store.add_pages(job.id, _refs(2))
    store.expansion_done(job.id)
    store.finish_page(job.id, "http://site.test/p0", "indexed")
    store.finish_page(job.id, "http://site.test/p1", "failed", "boom")
    assert store.get(job.id).status == "failed"
    assert store.retry_failed(job.id) == [_refs(2)[1]]
    again = store.get(job.id)
    assert (again.status, again.failed, again.indexed) == ("running", 0, 1)
    store.finish_page(job.id, "http://site.test/p1", "indexed")
    assert store.get(job.id).status == "succeeded"
    assert store.retry_failed(job.id) == []


def test_cancel_stops_the_ledger(store: JobStore) -> None:
    job = store.create("ingest")
    store.mark_running(job.id)
    store.add_pages(job.id, _refs(2))
    assert store.cancel(job.id)
    assert not store.cancel(job.id)
    assert not store.start_page(job.id, "http://site.test/p0", "fetch")
    assert not store.finish_page(job.id, "http://site.test/p0", "indexed")
    assert not store.mark_running(job.id)
    assert store.get(job.id).status == "cancelled"


def test_stale_pages_are_handed_back_once_per_period(store: JobStore) -> None:
    job = store.create("ingest")
    store.mark_running(job.id)
    store.add_pages(job.id, _refs(2))
    store.finish_page(job.id, "http://site.test/p0", "indexed")
    assert store.stale_refs(job.id, time.time() - 60) == []
    assert store.stale_refs(job.id, time.time() + 1) == [_refs(2)[1]]
    assert store.stale_refs(job.id, time.time() - 1) == [], "the clock restarted when handed back"


def test_empty_job_succeeds_and_recent_lists_it(store: JobStore) -> None:
    job = store.create("ingest")
    store.mark_running(job.id)
    store.expansion_done(job.id)
    assert store.get(job.id).status == "succeeded"
    assert [j.id for j in store.recent()] == [job.id]
    with pytest.raises(ValueError):
        store.create("bake")


def test_waiting_for_a_worker_gives_up_with_a_reason(store: JobStore) -> None:
    from worker import watch

    job = store.create("ingest")
    with pytest.raises(watch.NotTaken, match=f"no worker took job {job.id} within 1 s"):
        watch.until_taken(store, job.id, timeout=0.6)
    store.mark_running(job.id)
    assert watch.until_taken(store, job.id, timeout=0.6).status == "running"


def test_two_files_with_one_url_are_both_in_the_ledger(store: JobStore) -> None:
    job = store.create("ingest")
    store.mark_running(job.id)
    refs = [{"url": "https://a.test/x/", "origin": "file", "path": f"/saved/{name}.html"} for name in "ab"]
    assert store.add_pages(job.id, refs) == 2
    assert store.add_pages(job.id, refs) == 0, "a source expanded again adds nothing"
    duplicate = store.pages(job.id, "skipped")
    assert [(p.url, p.reason) for p in duplicate] == [
        ("file:///saved/b.html", "duplicate: same URL as another page of this job (https://a.test/x/)")]
    store.expansion_done(job.id)
    store.finish_page(job.id, "https://a.test/x/", "indexed")
    done = store.get(job.id)
    assert (done.status, done.total, done.indexed, done.skipped) == ("succeeded", 2, 1, 1)


def test_finished_jobs_expire_retried_ones_do_not(store: JobStore, redis_client, unique_name) -> None:  # type: ignore[no-untyped-def]
    job = store.create("ingest")
    store.mark_running(job.id)
    store.add_pages(job.id, _refs(1))
    store.expansion_done(job.id)
    key = f"{unique_name}:job:{job.id}"
    assert redis_client.ttl(key) == -1, "a running job is kept"
    store.finish_page(job.id, "http://site.test/p0", "failed", "boom")
    assert redis_client.ttl(key) > 0 and redis_client.ttl(f"{key}:pages") > 0
    store.retry_failed(job.id)
    assert redis_client.ttl(key) == -1


def test_a_batch_starts_and_finishes_in_one_round_trip_each(store: JobStore) -> None:
    job = store.create("ingest")
    store.mark_running(job.id)
    store.add_pages(job.id, _refs(3))
    store.expansion_done(job.id)
    urls = [r["url"] for r in _refs(3)]
    assert store.start_pages(job.id, urls, "fetch") == [1, 1, 1]
    outcomes = [(urls[0], "indexed", "", "index"), (urls[1], "skipped", "listing", "index"),
                (urls[2], "failed", "clean: boom", "clean")]
    assert store.finish_pages(job.id, outcomes) == 3
    assert store.finish_pages(job.id, outcomes) == 0, "a redelivered batch is not counted twice"
    assert store.start_pages(job.id, urls, "fetch") == [0, 0, 0]
    done = store.get(job.id)
    assert (done.status, done.indexed, done.skipped, done.failed) == ("failed", 1, 1, 1)
    with pytest.raises(ValueError):
        store.finish_pages(job.id, [(urls[0], "running", "", "")])
