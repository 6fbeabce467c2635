"""A `reclean` rebuild while 50 clients search through gunicorn (wrk, 50 connections) and 500
new pages are submitted: zero failed searches, every new page searchable after the swap,
and the ledger check holds for both ingest jobs together."""

from __future__ import annotations

import pytest

from bench.common import wrk
from bench.common.web import NO_RATE_LIMIT, gunicorn
from tests.reliability.conftest import ledger, wait_for, wait_job

pytestmark = pytest.mark.reliability

BEFORE, NEW, CLIENTS = 300, 500, 50
# A search fails when it is answered with an error or not answered within this (a reader's
# patience, not a latency target: latencies are reported).
PATIENCE = 30.0
QUERIES = ["council", "harbour ferry", "budget", "river bridge", "school library", "housing", "transport",
           "market park", "residents", "festival repairs", '"river ferry"', "mayor -election", "museum"]


def test_reclean_with_50_searching_clients_and_500_new_pages(pipeline, es, figures, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ns = pipeline(BEFORE + NEW, web_rate_limit=NO_RATE_LIMIT, ingest_batch_size=10,
                  worker_visibility_timeout=900)
    ns.worker()
    old, new = (ns.listing.with_name(f"{ns.listing.stem}-{n}.txt") for n in ("old", "new"))
    old.write_text("\n".join(ns.urls[:BEFORE]) + "\n")
    new.write_text("\n".join(ns.urls[BEFORE:]) + "\n")
    first = ns.ingest(str(old))
    assert wait_job(ns, first, 300).indexed == BEFORE

    with gunicorn(ns.settings, tmp_path / "web.log") as base:
        before = wrk.run(base, QUERIES, connections=CLIENTS, seconds=15, timeout=PATIENCE)
        during = wrk.WrkRun(base, QUERIES, connections=CLIENTS, seconds=900, timeout=PATIENCE)
        second = ns.ingest(str(new))
        wait_for(lambda: ns.store.records.get(second).done >= 50, 120, "the new pages to start")
        from worker import submit

        rebuild = submit.reindex(ns.app, ns.store.records, "reclean").id
        jobs = {name: wait_job(ns, job_id, 600)
                for name, job_id in (("ingest", second), ("reclean", rebuild))}
        during.stop()
        loaded = during.result(60)

    check = ledger(ns, es, [first, second])
    figures.update(before=before.summary(), during=loaded.summary(), ledger=check.summary(),
                   reclean=jobs["reclean"].to_dict()["params"].get("result"),
                   reclean_status=jobs["reclean"].status, reclean_indexed=jobs["reclean"].indexed,
                   ingest={"status": jobs["ingest"].status, "indexed": jobs["ingest"].indexed,
                           "failed": jobs["ingest"].failed})
    assert before.failed == 0 and loaded.failed == 0, (before.summary(), loaded.summary())
    assert jobs["reclean"].status == "succeeded", jobs["reclean"]
    assert jobs["ingest"].indexed == NEW
    assert check.ok, str(check)
