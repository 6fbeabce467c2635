"""Redis goes away mid-job: shut down for a while (graceful, AOF written), then killed with
`kill -9` (AOF fsynced each second, so up to a second of writes may be lost). The job store
and broker live in a private redis-server here; the reconciler (beat's part) re-enqueues
pages a lost write left unfinished."""

from __future__ import annotations

import time

import pytest

from pagesift.stack import redis as stack_redis
from pagesift.stack.process import port_in_use
from tests.reliability.conftest import env_seconds, kill9, ledger, private_redis, wait_for, wait_job

pytestmark = pytest.mark.reliability

PAGES = 80
OUTAGE = env_seconds("REDIS_OUTAGE", 30)


def test_redis_shut_down_then_killed_mid_job(pipeline, es, figures, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with private_redis(tmp_path) as server:
        ns = pipeline(PAGES, delay=0.1, redis_url=server.url, worker_visibility_timeout=10,
                      ingest_batch_size=4, reconcile_after=15)
        ns.worker()
        job_id = ns.ingest()
        progress = lambda: ns.store.records.get(job_id).done  # noqa: E731

        wait_for(lambda: progress() >= 10, 60, "the first pages")
        figures["done_at_shutdown"] = progress()
        stack_redis.stop(server)
        time.sleep(OUTAGE)
        stack_redis.start(server)
        figures["outage_s"] = OUTAGE
        resumed = wait_for(lambda: progress() > figures["done_at_shutdown"] + 10, 120, "progress after Redis")
        figures["resumed_after_s"] = round(resumed, 1)

        figures["done_at_kill9"] = progress()
        kill9(server.pid())
        # The kernel may take a moment to tear down the dead server's sockets (hundreds of
        # clients' connections in FIN-WAIT); starting again sooner is refused as a taken port.
        started = time.monotonic()
        wait_for(lambda: not port_in_use(server.port), 60, "the killed Redis's port to close")
        figures["port_free_after_kill_s"] = round(time.monotonic() - started, 1)
        stack_redis.start(server)

        job = wait_job(ns, job_id, 240, reconcile_every=15)
        check = ledger(ns, es, [job_id])
        figures.update(status=job.status, total=job.total, indexed=job.indexed, skipped=job.skipped,
                       failed=job.failed, ledger=check.summary(),
                       attempts_over_one=sum(p.attempts > 1 for p in ns.store.ledger.pages(job_id)))
        for started in ns.workers:
            started.stop()
    assert check.ok, str(check)
    assert (job.status, job.total, job.indexed) == ("succeeded", PAGES, PAGES)
