"""Job records on the real Redis: create, list, run, fail, cancel, close, delete, expiry."""

from __future__ import annotations

import pytest

from worker.jobs import JobRecords, JobStore

pytestmark = pytest.mark.integration


def test_a_job_is_created_listed_and_run(records: JobRecords) -> None:
    job = records.create("ingest", {"sources": ["x"]})
    assert (job.status, job.total, job.params) == ("queued", 0, {"sources": ["x"]})
    assert records.active_ids() == [job.id]
    assert records.mark_running(job.id) and records.mark_running(job.id), "taken again: still running"
    assert records.get(job.id).started is not None
    assert [j.id for j in records.recent()] == [job.id]
    assert records.get("nope") is None
    with pytest.raises(ValueError):
        records.create("bake")


def test_the_keys_are_those_of_jobs_stored_before(store: JobStore, redis_client, unique_name) -> None:  # type: ignore[no-untyped-def]
    job = store.records.create("ingest")
    store.ledger.add_pages(job.id, [{"url": "http://site.test/p0"}])
    base = f"{unique_name}:job:{job.id}"
    assert redis_client.hget(base, "status") == b"queued"
    assert redis_client.hexists(f"{base}:pages", "http://site.test/p0")
    assert redis_client.zscore(f"{base}:pending", "http://site.test/p0") is not None
    assert redis_client.zscore(f"{unique_name}:jobs", job.id) is not None
    assert redis_client.sismember(f"{unique_name}:jobs:active", job.id)


def test_cancel_once_and_no_run_after_it(records: JobRecords) -> None:
    job = records.create("ingest")
    assert records.cancel(job.id)
    assert not records.cancel(job.id)
    assert not records.mark_running(job.id)
    assert records.get(job.id).status == "cancelled" and records.active_ids() == []


def test_a_job_that_could_not_run_fails_with_its_reason(records: JobRecords) -> None:
    job = records.create("ingest")
    records.mark_running(job.id)
    records.fail(job.id, "source: no such file")
    ended = records.get(job.id)
    assert (ended.status, ended.error) == ("failed", "source: no such file")
    assert ended.finished is not None and records.active_ids() == []


def test_params_merge_and_searchable_is_recorded(records: JobRecords) -> None:
    job = records.create("reindex", {"mode": "reclean"})
    records.set_params(job.id, result={"swapped": True})
    records.mark_searchable(job.id)
    got = records.get(job.id)
    assert got.params == {"mode": "reclean", "result": {"swapped": True}} and got.searchable is not None


def test_closed_jobs_expire_kept_ones_do_not_and_deleted_ones_are_gone(  # type: ignore[no-untyped-def]
        records: JobRecords, redis_client, unique_name) -> None:
    job = records.create("reindex", {"mode": "reclean"})
    key = f"{unique_name}:job:{job.id}"
    records.close(job.id)
    assert redis_client.ttl(key) > 0
    records.keep(job.id)
    assert redis_client.ttl(key) == -1
    records.delete(job.id)
    assert records.get(job.id) is None and records.recent() == []


def test_waiting_for_a_worker_gives_up_with_a_reason(records: JobRecords) -> None:
    from pagesift import watch

    job = records.create("ingest")
    with pytest.raises(watch.NotTaken, match=f"no worker took job {job.id} within 1 s"):
        watch.until_taken(records, job.id, timeout=0.6)
    records.mark_running(job.id)
    assert watch.until_taken(records, job.id, timeout=0.6).status == "running"
