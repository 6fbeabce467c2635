"""A three-node cluster losing a node: pagesift against three embedded Elasticsearch nodes
(the same Maven distribution, each its own process, one cluster, one replica of every shard)
under an ingest of PAGESIFT_RELIABILITY_CLUSTER_PAGES pages (default 5,000) and 20 clients
searching through the reader's search path. One node is killed with SIGKILL (its whole
process group: launcher and server) mid-ingest and started again later.

Pass: the ledger shows every page indexed once, no search fails (the client's own retry on
another node must cover the lost one), and the cluster returns to green."""

from __future__ import annotations

import os
import random
import signal
import statistics
import threading
import time
from typing import Any

import pytest

from indexer import searching
from indexer.es import make_client
from indexer.query import SearchRequest
from pagesift.stack import elasticsearch as stack_es
from tests.reliability.conftest import env_seconds, ledger, private_cluster, wait_for, wait_job

pytestmark = pytest.mark.reliability

PAGES = int(env_seconds("CLUSTER_PAGES", 5000))
CLIENTS = 20
WORDS = ("council", "harbour", "ferry", "budget", "river", "school", "library", "market park",
         "energy water", "festival repairs", "riverside report")


def shards_on(es: Any, index: str, port: int) -> dict[str, int]:
    """How many primary and replica copies of the index's shards the node holds."""
    rows = es.cat.shards(index=index, format="json")
    held = [r["prirep"] for r in rows if r.get("node") == f"pagesift-{port}"]
    return {"primaries": held.count("p"), "replicas": held.count("r")}


class Searchers:
    """CLIENTS threads, each with its own client, searching until stopped."""

    def __init__(self, settings: Any) -> None:
        self.settings, self.stop = settings, threading.Event()
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(CLIENTS)]

    def __enter__(self) -> Searchers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(60)

    def _run(self) -> None:
        client = make_client(self.settings.es, timeout=10)
        rng = random.Random()
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                searching.search(client, self.settings.index.prefix, SearchRequest(q=rng.choice(WORDS)))
                self.latencies.append(time.monotonic() - started)
            except Exception as exc:  # every kind counts: the reader would see an error page
                self.failures.append(f"{type(exc).__name__}: {exc}"[:200])
            time.sleep(0.05)


def test_a_node_killed_mid_ingest_loses_no_page_and_no_search(pipeline, settings, figures) -> None:  # type: ignore[no-untyped-def]
    with private_cluster(settings) as nodes:
        urls = ",".join(n.url for n in nodes)
        ns = pipeline(PAGES, es_url=urls, ingest_batch_size=20, worker_visibility_timeout=120)
        ns.worker()
        job_id = ns.ingest()
        done = lambda: ns.store.records.get(job_id).done  # noqa: E731
        wait_for(lambda: done() >= 50, 180, "the first pages")
        es = make_client(ns.settings.es)
        with Searchers(ns.settings) as searchers:
            wait_for(lambda: done() >= PAGES * 0.3, 900, "30% of the pages")
            # The node holding the primary: its loss forces a replica's promotion mid-write.
            victim = next(n for n in nodes if shards_on(es, ns.settings.index.prefix, n.port)["primaries"])
            figures["killed_at_done"] = done()
            figures["victim_shards"] = shards_on(es, ns.settings.index.prefix, victim.port)
            killed = time.monotonic()
            os.killpg(victim.pid(), signal.SIGKILL)
            wait_for(lambda: done() >= min(PAGES * 0.7, figures["killed_at_done"] + PAGES * 0.3), 900,
                     "more pages with a node down")
            figures["restarted_at_done"] = done()
            victim.managed.pidfile.path.unlink(missing_ok=True)
            stack_es.start(victim, wait_for_health=False)
            figures["node_down_s"] = round(time.monotonic() - killed, 1)
            job = wait_job(ns, job_id, 1200)
            searches = len(searchers.latencies)
        stack_es.wait_for_cluster(nodes[0], "green", timeout=300)
        figures["green_after_restart_s"] = round(time.monotonic() - killed - figures["node_down_s"], 1)
        check = ledger(ns, es, [job_id])
        lat = sorted(searchers.latencies)
        figures.update(pages=PAGES, status=job.status, indexed=job.indexed, failed=job.failed,
                       skipped=job.skipped, ledger=check.summary(),
                       job_s=round(job.finished - job.started, 1),
                       searches=searches, failed_searches=len(searchers.failures),
                       first_failures=searchers.failures[:3],
                       search_p50_ms=round(1000 * statistics.median(lat), 1) if lat else None,
                       search_p99_ms=round(1000 * lat[int(len(lat) * 0.99)], 1) if lat else None,
                       health=es.cluster.health()["status"])
        assert check.ok, str(check)
        assert (job.status, job.indexed, job.failed) == ("succeeded", PAGES, 0)
        assert searchers.failures == []
        assert es.count(index=ns.settings.index.prefix)["count"] == PAGES
