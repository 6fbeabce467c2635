"""Elasticsearch in trouble, on a private node: stopped mid-bulk and restarted; the
flood-stage disk watermark reached (watermarks lowered through transient cluster settings,
so the node's real disk is "full"): writes pause with backoff, search stays up, and the
backlog drains once space returns."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from indexer.es import make_client
from pagesift.stack import elasticsearch as stack_es
from tests.reliability.conftest import env_seconds, ledger, private_es, wait_for, wait_job

pytestmark = pytest.mark.reliability

# Longer than the bulk path's own retries of a 429 (5 tries, 2 s doubling: about a minute), as a
# real disk-full episode is: the pages must wait it out, not fail.
FLOOD = env_seconds("FLOOD", 90)
WATERMARKS = ("low", "high", "flood_stage")
# Disk usage is sampled this often while the scenario runs (default 30 s; 10 s is the least).
INFO_INTERVAL = "10s"


@pytest.fixture(scope="module")
def node(settings) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    with private_es(settings) as started:
        yield started


def _flood(es: Any, on: bool) -> None:
    disk = "cluster.routing.allocation.disk.watermark"
    values: dict[str, Any] = {f"{disk}.{w}": ("1%" if on else None) for w in WATERMARKS}
    values["cluster.info.update.interval"] = INFO_INTERVAL if on else None
    es.cluster.put_settings(transient=values)


def _blocked(es: Any, index: str) -> bool:
    answer = es.indices.get_settings(index=index, name="index.blocks.read_only_allow_delete")
    return any(s.get("settings") for s in answer.body.values())


def test_elasticsearch_stopped_mid_bulk_and_restarted(pipeline, node, figures) -> None:  # type: ignore[no-untyped-def]
    ns = pipeline(60, delay=0.05, es_url=node.url, worker_visibility_timeout=30, ingest_batch_size=5)
    ns.worker()
    job_id = ns.ingest()
    progress = lambda: ns.store.records.get(job_id).done  # noqa: E731

    wait_for(lambda: progress() >= 10, 90, "the first pages")
    figures["done_at_stop"] = progress()
    stopped = time.monotonic()
    stack_es.stop(node)
    time.sleep(5)
    stack_es.start(node)
    figures["es_down_s"] = round(time.monotonic() - stopped, 1)

    job = wait_job(ns, job_id, 300)
    es = make_client(ns.settings.es)
    check = ledger(ns, es, [job_id])
    figures.update(status=job.status, total=job.total, indexed=job.indexed, failed=job.failed,
                   ledger=check.summary(), job_s=round(job.finished - job.started, 1))
    assert check.ok, str(check)
    assert (job.status, job.indexed) == ("succeeded", 60)


def test_flood_stage_pauses_writes_keeps_search_and_drains(pipeline, node, figures) -> None:  # type: ignore[no-untyped-def]
    ns = pipeline(60, es_url=node.url, worker_visibility_timeout=600, ingest_batch_size=5)
    ns.worker()
    es = make_client(ns.settings.es, timeout=10)
    first = ns.ingest(*[_listing(ns, ns.urls[:20], "first")])
    assert wait_job(ns, first, 120).indexed == 20

    searches: list[int] = []
    stop = threading.Event()

    def search() -> None:
        while not stop.is_set():
            try:
                found = es.search(index=ns.settings.index.prefix, query={"match": {"content": "river"}},
                                  size=5)
                searches.append(200 if found["hits"]["total"]["value"] >= 0 else 500)
            except Exception as exc:
                searches.append(getattr(getattr(exc, "meta", None), "status", 0) or 599)
            time.sleep(0.1)

    searcher = threading.Thread(target=search, daemon=True)
    searcher.start()
    try:
        _flood(es, True)
        write_index = ns.settings.index.prefix
        blocked = wait_for(lambda: _blocked(es, write_index), 60, "the flood-stage block")
        figures["block_after_s"] = round(blocked, 1)
        second = ns.ingest(*[_listing(ns, ns.urls[20:], "second")])
        time.sleep(FLOOD)
        during = ns.store.records.get(second)
        figures.update(flood_s=FLOOD, indexed_during_flood=during.indexed, failed_during_flood=during.failed)
        freed = time.monotonic()
        _flood(es, False)
        wait_for(lambda: not _blocked(es, write_index), 60, "the block to lift")
        figures["block_lifted_s"] = round(time.monotonic() - freed, 1)
        job = wait_job(ns, second, 300)
        figures["drained_s"] = round(time.monotonic() - freed, 1)
    finally:
        _flood(es, False)
        stop.set()
        searcher.join(5)
    check = ledger(ns, es, [first, second])
    reasons = Counter(p.reason[:120] for p in ns.store.ledger.pages(second, "failed"))
    figures.update(status=job.status, indexed=job.indexed, failed=job.failed, ledger=check.summary(),
                   failed_reasons=dict(reasons), searches=len(searches),
                   failed_searches=sum(s != 200 for s in searches))
    assert during.indexed == 0, "writes went through a flood-stage block"
    assert figures["failed_searches"] == 0 and len(searches) > 0
    assert check.ok, str(check)
    assert (job.status, job.indexed) == ("succeeded", 40)


def _listing(ns: Any, urls: list[str], name: str) -> str:
    path = ns.listing.with_name(f"{ns.listing.stem}-{name}.txt")
    path.write_text("\n".join(urls) + "\n")
    return str(path)
