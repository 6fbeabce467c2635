"""Reclean, roll back, reclean, roll back, each as the jobs the console and the command line
run (`worker/reindex_job.run_here`), while eight clients search through gunicorn.

Pass: after each step the live index is the one the operator expects and the way back is what
the console shows ("Rollback target"); the index live before each rebuild still exists after
it; a second rollback in a row is refused; no search fails and every search counts the same
number of articles.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from bench.common import corpus_index
from bench.common.web import NO_RATE_LIMIT, gunicorn
from indexer import config
from indexer.es import make_client
from indexer.index import lifecycle
from indexer.index.names import IndexNames
from tests.reliability.conftest import private_redis

pytestmark = pytest.mark.reliability

DOCS = 300
SEARCHERS = 8


@pytest.fixture
def stack(settings, tmp_path) -> Iterator[tuple[str, Any, Any]]:  # type: ignore[no-untyped-def]
    name = f"rel-roll-{uuid.uuid4().hex[:8]}"
    with private_redis(tmp_path) as server:
        own = config.load(index_prefix=name, redis_namespace=name, redis_url=server.url,
                          search_mode="lexical", web_rate_limit=NO_RATE_LIMIT)
        es = make_client(own.es, timeout=120)
        corpus_index.load(es, own, DOCS, raw=True)
        try:
            with gunicorn(own, tmp_path / "web.log", workers=1) as base:
                yield base, own, es
        finally:
            corpus_index.drop(es, own)
            es.close()


def test_reclean_rollback_reclean_rollback_under_search(stack, figures) -> None:  # type: ignore[no-untyped-def]
    from worker import redis_dbs, reindex_job
    from worker.jobs import JobStore

    base, own, es = stack
    names = IndexNames.from_settings(own.index)
    store = redis_dbs.client(own.redis.url, redis_dbs.JOBS)
    jobs = JobStore(store, own.redis.namespace)
    totals: list[int] = []
    errors: list[str] = []
    stop = threading.Event()

    def search() -> None:
        client = requests.Session()
        while not stop.is_set():
            try:
                answer = client.get(f"{base}/api/search?q=debian", timeout=30)
                if answer.status_code != 200:
                    errors.append(f"{answer.status_code}")
                else:
                    totals.append(int(answer.json()["total"]))
            except requests.RequestException as exc:
                errors.append(repr(exc))
            time.sleep(0.02)

    def step(mode: str) -> str:
        _, result = reindex_job.run_here(jobs, es, store, own, mode, "reliability")
        assert result is not None and result.swapped, mode
        return result.target

    first = lifecycle.current_index(es, names)
    assert first is not None
    live: list[tuple[str, str | None, str | None]] = []
    searchers = [threading.Thread(target=search) for _ in range(SEARCHERS)]
    for searcher in searchers:
        searcher.start()
    try:
        rejected = step("reclean")
        live.append(("reclean", lifecycle.current_index(es, names), lifecycle.previous_index(es, names)))
        assert live[-1] == ("reclean", rejected, first)
        assert step(reindex_job.ROLLBACK) == first
        live.append(("rollback", lifecycle.current_index(es, names), lifecycle.previous_index(es, names)))
        assert live[-1] == ("rollback", first, None)
        second = step("reclean")
        live.append(("reclean", lifecycle.current_index(es, names), lifecycle.previous_index(es, names)))
        assert live[-1] == ("reclean", second, first)
        assert es.indices.exists(index=first) and not es.indices.exists(index=rejected)
        assert step(reindex_job.ROLLBACK) == first
        live.append(("rollback", lifecycle.current_index(es, names), lifecycle.previous_index(es, names)))
        _, refused = reindex_job.run_here(jobs, es, store, own, reindex_job.ROLLBACK, "reliability")
        assert refused is None, "a second rollback in a row went through"
    finally:
        stop.set()
        for searcher in searchers:
            searcher.join()
    figures.update(steps=live, searches=len(totals) + len(errors), failed=len(errors),
                   totals=sorted(set(totals)))
    assert live[-1] == ("rollback", first, None)
    assert errors == []
    assert len(set(totals)) == 1 and totals, "searches counted different numbers of articles"
