"""Workers die mid-job: `kill -9` of one pool process, then of the whole worker. The job
still ends with every page accounted for and indexed exactly once."""

from __future__ import annotations

import os
import signal

import pytest

from tests.reliability.conftest import ledger, wait_for, wait_job, worker_children

pytestmark = pytest.mark.reliability

PAGES = 60


def test_kill_a_worker_child_then_the_worker_mid_job(pipeline, es, figures) -> None:  # type: ignore[no-untyped-def]
    # Slow pages keep the job running long enough to be hit; a short visibility timeout
    # brings the dead worker's unacknowledged batches back quickly.
    ns = pipeline(PAGES, delay=0.1, worker_visibility_timeout=6, ingest_batch_size=4)
    first = ns.worker()
    job_id = ns.ingest()
    progress = lambda: ns.store.records.get(job_id).done  # noqa: E731

    wait_for(lambda: progress() >= 8, 60, "the first pages")
    child = worker_children(first.proc.pid)[0]
    os.kill(child, signal.SIGKILL)
    figures["done_at_child_kill"] = progress()

    wait_for(lambda: progress() >= 30, 90, "progress after the child was killed")
    first.kill9()
    figures["done_at_worker_kill"] = progress()

    ns.worker()
    job = wait_job(ns, job_id, 120)
    check = ledger(ns, es, [job_id])
    figures.update(status=job.status, total=job.total, indexed=job.indexed, skipped=job.skipped,
                   failed=job.failed, ledger=check.summary(),
                   attempts_over_one=sum(p.attempts > 1 for p in ns.store.ledger.pages(job_id)))
    assert check.ok, str(check)
    assert (job.status, job.total, job.indexed) == ("succeeded", PAGES, PAGES)
