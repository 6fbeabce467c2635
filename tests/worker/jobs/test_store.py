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
    assert (done.status, done.total, done.indexed, done.skipped, done.failed) == ("partial", 3, 1, 1, 1)
    assert done.status_label == "finished with 1 failure"
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
    assert store.get(job.id).status == "partial"
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
    from pagesift import watch

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
    assert (done.status, done.indexed, done.skipped, done.failed) == ("partial", 1, 1, 1)
    with pytest.raises(ValueError):
        store.finish_pages(job.id, [(urls[0], "running", "", "")])


def _ended(store: JobStore, outcomes: list[str]) -> str:
    job = store.create("ingest")
    store.mark_running(job.id)
    store.add_pages(job.id, _refs(len(outcomes)))
    store.expansion_done(job.id)
    for ref, state in zip(_refs(len(outcomes)), outcomes, strict=True):
        store.finish_page(job.id, ref["url"], state, "" if state == "indexed" else "boom")
    return store.get(job.id).status


def test_a_job_ends_succeeded_partial_or_failed_by_its_counts(store: JobStore) -> None:
    assert _ended(store, ["indexed", "skipped"]) == "succeeded"
    assert _ended(store, ["indexed", "failed", "indexed"]) == "partial"
    assert _ended(store, ["skipped", "failed"]) == "partial", "skipped pages went through too"
    assert _ended(store, ["failed", "failed"]) == "failed", "not one page got through"
    could_not = store.create("ingest")
    store.mark_running(could_not.id)
    store.fail(could_not.id, "source: no such file")
    ended = store.get(could_not.id)
    assert (ended.status, ended.error) == ("failed", "source: no such file")


def test_a_reindex_closes_by_its_counts_or_its_refusal(store: JobStore) -> None:
    swapped = store.create("reindex", {"mode": "reclean"})
    store.mark_running(swapped.id)
    store.set_counts(swapped.id, indexed=990, failed=2)
    store.close(swapped.id)
    assert store.get(swapped.id).status == "partial"
    refused = store.create("reindex", {"mode": "reclean"})
    store.mark_running(refused.id)
    store.set_counts(refused.id, indexed=10, failed=90)
    store.close(refused.id, "90 of 100 pages failed, more than 0.5%")
    assert store.get(refused.id).status == "failed"


def test_a_retry_is_a_run_of_its_own(store: JobStore, redis_client, unique_name) -> None:  # type: ignore[no-untyped-def]
    job = store.create("ingest")
    store.mark_running(job.id)
    store.add_pages(job.id, _refs(4))
    store.expansion_done(job.id)
    for ref, state in zip(_refs(4), ["indexed", "skipped", "failed", "failed"], strict=True):
        store.finish_page(job.id, ref["url"], state, "" if state == "indexed" else "boom")
    key = f"{unique_name}:job:{job.id}"
    # The first run took 4.9 s; the retry comes minutes later.
    redis_client.hset(key, mapping={"started": 1000.0, "finished": 1004.9})
    first = store.get(job.id).run
    assert (first.number, first.status, first.total, first.failed) == (1, "partial", 4, 2)
    assert first.duration() == pytest.approx(4.9)

    assert len(store.retry_failed(job.id)) == 2
    retrying = store.get(job.id)
    assert retrying.status == "running" and retrying.finished is None
    assert retrying.earlier_runs == (first,), "the first run's figures are kept as they were"
    run = retrying.run
    assert (run.number, run.total, run.done, run.status) == (2, 2, 0, "running")
    assert run.started is not None and run.started > 1004.9
    store.finish_page(job.id, _refs(4)[2]["url"], "indexed")
    store.finish_page(job.id, _refs(4)[3]["url"], "failed", "boom again")

    done = store.get(job.id)
    assert (done.status, done.indexed, done.skipped, done.failed) == ("partial", 2, 1, 1)
    one, two = done.runs
    assert one == first and one.duration() == pytest.approx(4.9) and one.rate() == pytest.approx(4 / 4.9)
    assert (two.total, two.indexed, two.skipped, two.failed, two.status) == (2, 1, 0, 1, "partial")
    assert two.finished == done.finished and two.duration() < 5
    assert [r["number"] for r in done.to_dict()["runs"]] == [1, 2]



def test_a_retry_while_the_job_runs_stays_in_its_run(store: JobStore) -> None:
    job = store.create("ingest")
    store.mark_running(job.id)
    store.add_pages(job.id, _refs(2))
    store.finish_page(job.id, _refs(2)[0]["url"], "failed", "boom")
    assert len(store.retry_failed(job.id)) == 1
    running = store.get(job.id)
    assert (running.status, len(running.runs), running.run.total) == ("running", 1, 2)
