"""The page ledger on the real Redis: every page counted once, retry, cancel, the reconciler's view."""

from __future__ import annotations

import time

import pytest

from worker.jobs import Job, JobRecords, PageLedger

pytestmark = pytest.mark.integration


def _refs(n: int) -> list[dict[str, str]]:
    return [{"url": f"http://site.test/p{i}", "origin": "http"} for i in range(n)]


def _running(records: JobRecords, ledger: PageLedger, pages: int, *, expanded: bool = True) -> Job:
    """An ingest a worker took, with ``pages`` pages accepted and (``expanded``) its sources read."""
    job = records.create("ingest")
    records.mark_running(job.id)
    ledger.add_pages(job.id, _refs(pages))
    if expanded:
        ledger.expansion_done(job.id)
    return job


def _finish(ledger: PageLedger, job_id: str, states: list[str]) -> None:
    for ref, state in zip(_refs(len(states)), states, strict=True):
        ledger.finish_page(job_id, ref["url"], state, "" if state == "indexed" else "boom")


def test_pages_count_once_and_the_job_closes(records: JobRecords, ledger: PageLedger) -> None:
    job = records.create("ingest", {"sources": ["x"]})
    assert job.status == "queued"
    assert records.mark_running(job.id)
    assert ledger.add_pages(job.id, _refs(3) + _refs(2)) == 3
    for ref in _refs(3):
        assert ledger.start_page(job.id, ref["url"], "fetch")
    assert ledger.finish_page(job.id, "http://site.test/p0", "indexed")
    assert not ledger.finish_page(job.id, "http://site.test/p0", "indexed"), "a redelivery is not counted"
    assert not ledger.start_page(job.id, "http://site.test/p0", "fetch")
    ledger.finish_page(job.id, "http://site.test/p1", "skipped", "noindex")
    ledger.finish_page(job.id, "http://site.test/p2", "failed", "network: refused", "fetch")
    assert records.get(job.id).status == "running", "expansion is not over yet"
    ledger.expansion_done(job.id)
    done = records.get(job.id)
    assert (done.status, done.total, done.indexed, done.skipped, done.failed) == ("partial", 3, 1, 1, 1)
    assert done.status_label == "finished with 1 failure"
    assert done.finished is not None
    failed = ledger.pages(job.id, "failed")
    assert [(p.url, p.stage, p.reason, p.attempts) for p in failed] == [
        ("http://site.test/p2", "fetch", "network: refused", 1)]
    assert job.id not in records.active_ids()


def test_retry_moves_only_failed_pages_back(records: JobRecords, ledger: PageLedger) -> None:
    job = _running(records, ledger, 2)
    ledger.finish_page(job.id, "http://site.test/p0", "indexed")
    ledger.finish_page(job.id, "http://site.test/p1", "failed", "boom")
    assert records.get(job.id).status == "partial"
    assert ledger.retry_failed(job.id) == [_refs(2)[1]]
    again = records.get(job.id)
    assert (again.status, again.failed, again.indexed) == ("running", 0, 1)
    ledger.finish_page(job.id, "http://site.test/p1", "indexed")
    assert records.get(job.id).status == "succeeded"
    assert ledger.retry_failed(job.id) == []


def test_cancel_stops_the_ledger(records: JobRecords, ledger: PageLedger) -> None:
    job = _running(records, ledger, 2, expanded=False)
    assert records.cancel(job.id)
    assert not ledger.start_page(job.id, "http://site.test/p0", "fetch")
    assert not ledger.finish_page(job.id, "http://site.test/p0", "indexed")
    assert records.get(job.id).done == 0


def test_stale_pages_are_handed_back_once_per_period(records: JobRecords, ledger: PageLedger) -> None:
    job = _running(records, ledger, 2, expanded=False)
    ledger.finish_page(job.id, "http://site.test/p0", "indexed")
    assert ledger.stale_refs(job.id, time.time() - 60) == []
    assert ledger.stale_refs(job.id, time.time() + 1) == [_refs(2)[1]]
    assert ledger.stale_refs(job.id, time.time() - 1) == [], "the clock restarted when handed back"


def test_an_empty_job_succeeds_once_its_sources_are_read(records: JobRecords, ledger: PageLedger) -> None:
    job = _running(records, ledger, 0)
    assert records.get(job.id).status == "succeeded"


def test_two_files_with_one_url_are_both_in_the_ledger(records: JobRecords, ledger: PageLedger) -> None:
    job = records.create("ingest")
    records.mark_running(job.id)
    refs = [{"url": "https://a.test/x/", "origin": "file", "path": f"/saved/{name}.html"} for name in "ab"]
    assert ledger.add_pages(job.id, refs) == 2
    assert ledger.add_pages(job.id, refs) == 0, "a source expanded again adds nothing"
    duplicate = ledger.pages(job.id, "skipped")
    assert [(p.url, p.reason) for p in duplicate] == [
        ("file:///saved/b.html", "duplicate: same URL as another page of this job (https://a.test/x/)")]
    ledger.expansion_done(job.id)
    ledger.finish_page(job.id, "https://a.test/x/", "indexed")
    done = records.get(job.id)
    assert (done.status, done.total, done.indexed, done.skipped) == ("succeeded", 2, 1, 1)


def test_finished_jobs_expire_retried_ones_do_not(  # type: ignore[no-untyped-def]
        records: JobRecords, ledger: PageLedger, redis_client, unique_name) -> None:
    job = _running(records, ledger, 1)
    key = f"{unique_name}:job:{job.id}"
    assert redis_client.ttl(key) == -1, "a running job is kept"
    ledger.finish_page(job.id, "http://site.test/p0", "failed", "boom")
    assert redis_client.ttl(key) > 0 and redis_client.ttl(f"{key}:pages") > 0
    ledger.retry_failed(job.id)
    assert redis_client.ttl(key) == -1


def test_a_batch_starts_and_finishes_in_one_round_trip_each(records: JobRecords, ledger: PageLedger) -> None:
    job = _running(records, ledger, 3)
    urls = [r["url"] for r in _refs(3)]
    assert ledger.start_pages(job.id, urls, "fetch") == [1, 1, 1]
    outcomes = [(urls[0], "indexed", "", "index"), (urls[1], "skipped", "listing", "index"),
                (urls[2], "failed", "clean: boom", "clean")]
    assert ledger.finish_pages(job.id, outcomes) == 3
    assert ledger.finish_pages(job.id, outcomes) == 0, "a redelivered batch is not counted twice"
    assert ledger.start_pages(job.id, urls, "fetch") == [0, 0, 0]
    done = records.get(job.id)
    assert (done.status, done.indexed, done.skipped, done.failed) == ("partial", 1, 1, 1)
    with pytest.raises(ValueError):
        ledger.finish_pages(job.id, [(urls[0], "running", "", "")])


def _ended(records: JobRecords, ledger: PageLedger, outcomes: list[str]) -> str:
    job = _running(records, ledger, len(outcomes))
    _finish(ledger, job.id, outcomes)
    return records.get(job.id).status


def test_a_job_ends_succeeded_partial_or_failed_by_its_counts(records: JobRecords,
                                                              ledger: PageLedger) -> None:
    assert _ended(records, ledger, ["indexed", "skipped"]) == "succeeded"
    assert _ended(records, ledger, ["indexed", "failed", "indexed"]) == "partial"
    assert _ended(records, ledger, ["skipped", "failed"]) == "partial", "skipped pages went through too"
    assert _ended(records, ledger, ["failed", "failed"]) == "failed", "not one page got through"


def test_a_retry_is_a_run_of_its_own(  # type: ignore[no-untyped-def]
        records: JobRecords, ledger: PageLedger, redis_client, unique_name) -> None:
    job = _running(records, ledger, 4)
    _finish(ledger, job.id, ["indexed", "skipped", "failed", "failed"])
    key = f"{unique_name}:job:{job.id}"
    # The first run took 4.9 s; the retry comes minutes later.
    redis_client.hset(key, mapping={"started": 1000.0, "finished": 1004.9})
    first = records.get(job.id).run
    assert (first.number, first.status, first.total, first.failed) == (1, "partial", 4, 2)
    assert first.duration() == pytest.approx(4.9)

    assert len(ledger.retry_failed(job.id)) == 2
    retrying = records.get(job.id)
    assert retrying.status == "running" and retrying.finished is None
    assert retrying.earlier_runs == (first,), "the first run's figures are kept as they were"
    run = retrying.run
    assert (run.number, run.total, run.done, run.status) == (2, 2, 0, "running")
    assert run.started is not None and run.started > 1004.9
    ledger.finish_page(job.id, _refs(4)[2]["url"], "indexed")
    ledger.finish_page(job.id, _refs(4)[3]["url"], "failed", "boom again")

    done = records.get(job.id)
    assert (done.status, done.indexed, done.skipped, done.failed) == ("partial", 2, 1, 1)
    one, two = done.runs
    assert one == first and one.duration() == pytest.approx(4.9) and one.rate() == pytest.approx(4 / 4.9)
    assert (two.total, two.indexed, two.skipped, two.failed, two.status) == (2, 1, 0, 1, "partial")
    assert two.finished == done.finished and two.duration() < 5
    assert [r["number"] for r in done.to_dict()["runs"]] == [1, 2]


def test_a_retry_while_the_job_runs_stays_in_its_run(records: JobRecords, ledger: PageLedger) -> None:
    job = _running(records, ledger, 2, expanded=False)
    ledger.finish_page(job.id, _refs(2)[0]["url"], "failed", "boom")
    assert len(ledger.retry_failed(job.id)) == 1
    running = records.get(job.id)
    assert (running.status, len(running.runs), running.run.total) == ("running", 1, 2)
