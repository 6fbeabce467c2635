"""A job's progress: the figures the console and the CLI show, and a reindex counted the way
an ingest is."""

from __future__ import annotations

import pytest

from worker.jobs import Job, JobStore
from worker.jobs.progress import figures


def _job(**values: object) -> Job:
    base: dict[str, object] = {"id": "j", "type": "ingest", "status": "running", "created": 1000.0,
                               "started": 1000.0}
    return Job(**{**base, **values})  # type: ignore[arg-type]


@pytest.mark.unit
def test_a_running_job_has_a_percent_a_rate_and_a_time_left() -> None:
    f = figures(_job(total=100, indexed=30, skipped=5, failed=5, expanded=True), now=1020.0)
    assert (f.done, f.total, f.percent, f.rate, f.eta_s, f.counting) == (40, 100, 40, 2.0, 30.0, False)
    assert f.to_dict() == {"percent": 40, "rate": 2.0, "eta_s": 30.0, "counting": False}


@pytest.mark.unit
def test_a_job_still_counting_its_pages_has_no_time_left() -> None:
    f = figures(_job(total=10, indexed=5, expanded=False), now=1010.0)
    assert f.counting and f.eta_s is None and f.percent == 50 and f.rate == 0.5


@pytest.mark.unit
def test_a_finished_job_is_whole_and_has_nothing_left() -> None:
    f = figures(_job(status="succeeded", finished=1010.0, total=4, indexed=4, expanded=True), now=5000.0)
    assert (f.percent, f.eta_s, f.counting) == (100, None, False)
    assert f.rate == pytest.approx(0.4), "the rate of a finished run stops at its end"
    never_expanded = figures(_job(status="failed", finished=1001.0, error="source: gone"), now=5000.0)
    assert (never_expanded.percent, never_expanded.counting) == (100, False)


@pytest.mark.unit
def test_a_queued_job_has_neither_percent_nor_rate() -> None:
    f = figures(_job(status="queued", started=None), now=1010.0)
    assert (f.percent, f.rate, f.eta_s) == (0, None, None)


@pytest.mark.unit
def test_more_done_than_counted_stays_at_a_hundred_percent() -> None:
    assert figures(_job(total=2, indexed=3, expanded=True), now=1010.0).percent == 100


@pytest.mark.integration
def test_a_reindex_counts_and_reads_as_an_ingest_does(store: JobStore) -> None:
    job = store.records.create("reindex", {"mode": "reclean"})
    store.records.mark_running(job.id)
    assert figures(store.records.get(job.id), now=job.created + 1).counting, "its total not known yet"
    store.counts.expect(job.id, 100)
    store.counts.add(job.id, indexed=40)
    running = store.records.get(job.id)
    f = figures(running, now=(running.started or 0) + 20)
    assert (f.done, f.total, f.percent, f.counting, f.rate, f.eta_s) == (40, 100, 40, False, 2.0, 30.0)
    store.counts.replace(job.id, indexed=95, skipped=3, failed=2)
    store.records.close(job.id)
    done = store.records.get(job.id)
    assert (done.status, done.indexed, done.skipped, done.failed) == ("partial", 95, 3, 2)
    assert figures(done, now=done.finished or 0).percent == 100


@pytest.mark.integration
def test_a_reindex_closes_by_its_counts_or_its_refusal(store: JobStore) -> None:
    refused = store.records.create("reindex", {"mode": "reclean"})
    store.records.mark_running(refused.id)
    store.counts.replace(refused.id, indexed=10, skipped=0, failed=90)
    store.records.close(refused.id, "90 of 100 pages failed, more than 0.5%")
    assert store.records.get(refused.id).status == "failed"
