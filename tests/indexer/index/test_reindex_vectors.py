"""A reclean migrates a live index from the mapping before vectors (version 2) to the vector
mapping, computing every article's vector from the raw store, while readers keep searching
in hybrid mode through the read alias without one failed search."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from indexer import embedding, searching
from indexer.config import Settings, replaced
from indexer.embedding import Embedder
from indexer.es import make_client
from indexer.index import lifecycle, raw_store, reindex
from indexer.index.bulk import BulkOptions
from indexer.index.indexing import index_pages
from indexer.index.locking import lock_key
from indexer.index.mapping import IndexSpec
from indexer.index.names import IndexNames
from indexer.index.raw_store import RawPage
from indexer.query import SearchRequest

pytestmark = pytest.mark.integration

OPTIONS = BulkOptions(chunk_docs=5, initial_backoff=0.1)
T0 = datetime(2026, 3, 1, tzinfo=UTC)
COUNT = 12
MODEL = "wordllama:256"


@pytest.fixture
def settings_v(redis_client, isolated: Settings) -> Iterator[Settings]:  # type: ignore[no-untyped-def]
    """This test's prefix, its own Redis namespace (lock, takedowns), chunks of 5 so the build
    takes several bulk requests, and the default model named explicitly."""
    settings = replaced(isolated, redis_namespace=f"{isolated.index.prefix}-ns", bulk_chunk_docs=5,
                        embedding_model=MODEL)
    yield settings
    redis_client.delete(lock_key(settings), f"{settings.redis.namespace}:takedowns",
                        f"{settings.redis.namespace}:takedown-ids")


def version_2(spec: IndexSpec) -> IndexSpec:
    """``mappings/pages.json`` as it was before vectors."""
    mappings = copy.deepcopy(spec.mappings)
    del mappings["properties"][embedding.FIELD]
    return IndexSpec(2, copy.deepcopy(spec.settings), mappings)


def _page(n: int) -> dict[str, Any]:
    return {"url": f"https://example.org/p/{n}", "title": f"Story {n}", "content": f"river story {n}",
            "content_hash": f"h{n}", "categories": ["news"]}


def _html(n: int) -> bytes:
    body = "<p>The river rose overnight and the council met to discuss flood defences.</p>" * 3
    return (f'<html lang="en"><head><title>Story {n}</title>'
            f'<link rel="canonical" href="https://example.org/p/{n}"></head>'
            f"<body><article><h1>Story {n}</h1><p>Report number {n}.</p>{body}</article></body></html>"
            ).encode()


def test_a_reclean_migrates_to_the_vector_mapping_with_zero_failed_searches(
        es: Elasticsearch, redis_client, settings_v: Settings, names: IndexNames,  # type: ignore[no-untyped-def]
        spec: IndexSpec) -> None:
    assert embedding.FIELD in spec.mappings["properties"] and spec.version > 2
    embedder = embedding.load(MODEL)
    assert isinstance(embedder, Embedder)
    old = lifecycle.ensure_index(es, names, version_2(spec))
    assert names.parse(old) is not None and names.parse(old).version == 2  # type: ignore[union-attr]
    assert embedding.FIELD not in es.indices.get_mapping(index=old)[old]["mappings"]["properties"]
    live = index_pages(es, names.write_alias, [_page(n) for n in range(COUNT)], OPTIONS, ingested_at=T0)
    assert live.complete
    es.indices.refresh(index=old)
    raws = [RawPage(f"https://example.org/p/{n}", _html(n), T0, stored_at=T0 + timedelta(seconds=n))
            for n in range(COUNT)]
    raw_store.ensure(es, names)
    assert raw_store.put_many(es, names, raws, OPTIONS).complete

    stop = threading.Event()
    outcomes: list[tuple[float, str, str]] = []  # (when, outcome, mode)

    def reader() -> None:
        # Its own client and connections, as a web worker would have; no retries to hide a failure.
        client = make_client(settings_v.es, timeout=10, retries=0)
        req = SearchRequest(q="river", mode="hybrid", size=3)
        while not stop.wait(0.02):
            try:
                result = searching.search(client, names.read_alias, req, embedder=embedder)
                ok = result["total"] == COUNT and len(result["hits"]) == 3
                outcomes.append((time.monotonic(), "ok" if ok else f"total {result['total']}",
                                 result["mode"]))
            except Exception as exc:
                outcomes.append((time.monotonic(), repr(exc), "error"))
        client.close()

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        while len(outcomes) < 3:
            time.sleep(0.02)
        started_at = time.monotonic()
        result = reindex.reclean(es, redis_client, settings_v)
        swapped_at = time.monotonic()
        # Keep reading the new index a little.
        deadline = time.monotonic() + 10
        while sum(1 for when, _, _ in outcomes if when > swapped_at) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()
        thread.join()

    assert result.swapped and result.refused is None and result.after_swap is None, result.summary()
    assert result.source == old and lifecycle.current_index(es, names) == result.target != old
    assert names.parse(result.target).version == spec.version  # type: ignore[union-attr]
    assert result.count == result.previous_count == COUNT and result.pages.failed == 0
    # Zero failed searches, before, during and after the swap.
    assert [o for o in outcomes if o[1] != "ok"] == []
    assert sum(1 for when, _, _ in outcomes if when < started_at) >= 3
    assert sum(1 for when, _, _ in outcomes if started_at < when < swapped_at) >= 1
    after = [mode for when, _, mode in outcomes if when > swapped_at]
    assert len(after) >= 5 and set(after) == {"hybrid"}

    # Every document has its vector, of the model's length, and unit norm.
    docs = es.search(index=names.read_alias, size=100, query={"match_all": {}},
                     source=["url", embedding.FIELD])["hits"]["hits"]
    assert len(docs) == COUNT
    vectors = [d["_source"].get(embedding.FIELD) for d in docs]
    assert all(v is not None and len(v) == embedder.dims for v in vectors)
    assert all(abs(sum(x * x for x in v) - 1) < 1e-2 for v in vectors)  # type: ignore[union-attr]
    assert es.count(index=names.read_alias, query={"exists": {"field": embedding.FIELD}})["count"] == COUNT

    # Hybrid search is hybrid now: the vector side ranks every hit, and finds by meaning a word
    # the stories do not hold.
    answer = searching.search(es, names.read_alias, SearchRequest(q="river", mode="hybrid", explain=True),
                              embedder=embedder)
    assert answer["mode"] == "hybrid" and answer["total"] == COUNT
    assert all(hit["explain"]["semantic_rank"] is not None for hit in answer["hits"])
    words = searching.search(es, names.read_alias, SearchRequest(q="floodwaters", mode="lexical"))
    meaning = searching.search(es, names.read_alias, SearchRequest(q="floodwaters", mode="hybrid"),
                               embedder=embedder)
    assert words["total"] == 0 and meaning["mode"] == "hybrid" and meaning["total"] >= 1


def test_a_page_ingested_during_the_reclean_reaches_the_new_index_with_its_vector(
        es: Elasticsearch, redis_client, settings_v: Settings, names: IndexNames,  # type: ignore[no-untyped-def]
        spec: IndexSpec) -> None:
    """The live index is from version 2; a worker of this version starts (``ensure_index``, as
    ``worker.context.ensure_indices`` does: the field is added in place) and ingests a page
    while the reclean builds. The catch-up copies it as written: with its vector."""
    embedder = embedding.load(MODEL)
    old = lifecycle.ensure_index(es, names, version_2(spec))
    assert index_pages(es, names.write_alias, [_page(n) for n in range(4)], OPTIONS, ingested_at=T0).complete
    raw_store.ensure(es, names)
    raws = [RawPage(f"https://example.org/p/{n}", _html(n), T0, stored_at=T0 + timedelta(seconds=n))
            for n in range(4)]
    assert raw_store.put_many(es, names, raws, OPTIONS).complete
    assert lifecycle.ensure_index(es, names, spec) == old  # the worker's start
    assert embedding.FIELD in es.indices.get_mapping(index=old)[old]["mappings"]["properties"]

    class IngestDuringBuild:
        written = False

        def total(self, count: int) -> None:
            pass

        def advance(self, count: int) -> None:
            if not self.written:
                self.written = True
                late = {**_page(50), "content": "The river flooded the lower town overnight."}
                assert index_pages(es, names.write_alias, [late], OPTIONS, embedder=embedder).complete

    result = reindex.reclean(es, redis_client, settings_v, progress=IngestDuringBuild())
    assert result.swapped, result.summary()
    assert result.count == 5
    docs = es.search(index=names.read_alias, size=10, source=["url", embedding.FIELD])["hits"]["hits"]
    assert {d["_source"]["url"] for d in docs} >= {"https://example.org/p/50"}
    assert [d["_source"]["url"] for d in docs if not d["_source"].get(embedding.FIELD)] == []
