from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from indexer.config import Settings, replaced
from indexer.es import make_client
from indexer.index import lifecycle, raw_store, reindex, takedown_list
from indexer.index.bulk import BulkOptions
from indexer.index.documents import document_id
from indexer.index.indexing import index_pages
from indexer.index.locking import ReindexBusy, lock_key, reindex_lock
from indexer.index.mapping import IndexSpec
from indexer.index.names import IndexNames
from indexer.index.purge import takedown
from indexer.index.raw_store import RawPage

# Every test here may take the reindex lock of its prefix; the key goes afterwards.
pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("lock_cleanup")]

OPTIONS = BulkOptions(chunk_docs=500, initial_backoff=0.1)
T0 = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture
def lock_cleanup(redis_client, isolated: Settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    yield
    redis_client.delete(lock_key(isolated))


def _page(n: int, **fields: Any) -> dict[str, Any]:
    return {"url": f"https://example.org/p/{n}", "title": f"Page {n}", "content": f"river story {n}",
            "content_hash": f"h{n}", "categories": ["news"], **fields}


def _html(n: int) -> bytes:
    body = "<p>The river rose overnight and the council met to discuss flood defences.</p>" * 3
    return (f'<html lang="en"><head><title>Story {n}</title>'
            f'<link rel="canonical" href="https://example.org/p/{n}"></head>'
            f"<body><article><h1>Story {n}</h1><p>Report number {n}.</p>{body}</article></body></html>"
            ).encode()


def _fill(es, names: IndexNames, spec: IndexSpec, count: int) -> str:  # type: ignore[no-untyped-def]
    index = lifecycle.ensure_index(es, names, spec)
    report = index_pages(es, names.write_alias, [_page(n) for n in range(count)], OPTIONS, ingested_at=T0)
    assert report.complete
    es.indices.refresh(index=index)
    return index


def _store_raw(es, names: IndexNames, numbers: range) -> None:  # type: ignore[no-untyped-def]
    raws = [RawPage(f"https://example.org/p/{n}", _html(n), T0, stored_at=T0 + timedelta(seconds=n))
            for n in numbers]
    raw_store.ensure(es, names)
    assert raw_store.put_many(es, names, raws, OPTIONS).complete


def test_alias_swap_under_twenty_searching_clients_fails_no_search(
        es, redis_client, isolated: Settings, names: IndexNames, spec: IndexSpec) -> None:
    old = _fill(es, names, spec, 5000)
    stop = threading.Event()
    outcomes: list[str] = []

    def search() -> None:
        # Each reader its own client and connections, as separate web workers would have.
        reader = make_client(isolated.es, timeout=10, retries=0)
        while not stop.wait(0.01):
            try:
                total = reader.search(index=names.read_alias, query={"match": {"content": "river"}},
                                      size=1, track_total_hits=True)["hits"]["total"]["value"]
                outcomes.append("ok" if total == 5000 else f"total {total}")
            except Exception as exc:
                outcomes.append(repr(exc))
        reader.close()

    clients = [threading.Thread(target=search) for _ in range(20)]
    for client in clients:
        client.start()
    try:
        result = reindex.migrate(es, redis_client, isolated)
    finally:
        stop.set()
        for client in clients:
            client.join()
    assert result.swapped and result.refused is None, result.summary()
    assert lifecycle.current_index(es, names) == result.target != old
    assert result.count == result.previous_count == 5000
    assert len(outcomes) > 20
    assert [o for o in outcomes if o != "ok"] == []


def test_rollback_restores_the_previous_index_with_later_writes(
        es, redis_client, isolated: Settings, names: IndexNames, spec: IndexSpec) -> None:
    old = _fill(es, names, spec, 10)
    migrated = reindex.migrate(es, redis_client, isolated)
    assert migrated.swapped and migrated.source == old
    # Written after the swap: lands in the new index only, and must survive the rollback.
    index_pages(es, names.write_alias, [_page(99)], OPTIONS)
    back = reindex.rollback(es, redis_client, isolated)
    assert (back.source, back.target) == (migrated.target, old)
    assert lifecycle.current_index(es, names) == old
    assert lifecycle.alias_indices(es, names.write_alias) == [old]
    assert es.count(index=names.read_alias)["count"] == 11
    assert es.exists(index=names.read_alias, id=document_id("https://example.org/p/99"))


def test_reclean_rebuilds_from_raw_and_keeps_pages_written_meanwhile(
        es, redis_client, isolated: Settings, names: IndexNames, spec: IndexSpec) -> None:
    old = lifecycle.ensure_index(es, names, spec)
    _store_raw(es, names, range(8))

    class WriteDuringBuild:
        """Progress sink that writes a page through the write alias mid-build."""

        written = False

        def total(self, count: int) -> None:
            assert count == 8

        def advance(self, count: int) -> None:
            if not self.written:
                self.written = True
                index_pages(es, names.write_alias, [_page(50)], OPTIONS)

    result = reindex.reclean(es, redis_client, isolated, progress=WriteDuringBuild())
    assert result.swapped, result.summary()
    assert result.source == old and lifecycle.current_index(es, names) == result.target
    assert result.count == 9
    story = es.get(index=names.read_alias, id=document_id("https://example.org/p/3"))["_source"]
    assert story["title"] == "Story 3" and "flood defences" in story["content"]
    # ingested_at is when the raw page was stored, not when it was recleaned.
    assert story["ingested_at"].startswith("2026-03-01T00:00:03")
    assert es.exists(index=names.read_alias, id=document_id("https://example.org/p/50"))


def test_a_build_with_too_many_failures_is_refused_and_removed(
        es, redis_client, isolated: Settings, names: IndexNames, spec: IndexSpec) -> None:
    old = lifecycle.ensure_index(es, names, spec)
    _store_raw(es, names, range(3))
    result = reindex.reclean(es, redis_client, replaced(isolated, clean_time_budget=0.0))
    assert not result.swapped and "3 of 3 pages failed" in (result.refused or ""), result.summary()
    assert {f.error_type for f in result.pages.failures} == {"time_budget_exceeded"}
    assert lifecycle.current_index(es, names) == old
    assert [c.name for c in lifecycle.concrete_indices(es, names)] == [old]


def test_a_reclean_that_would_lose_pages_is_refused(
        es, redis_client, isolated: Settings, names: IndexNames, spec: IndexSpec) -> None:
    old = _fill(es, names, spec, 20)
    _store_raw(es, names, range(5))
    result = reindex.reclean(es, redis_client, isolated)
    assert not result.swapped and "shrink from 20 to 5" in (result.refused or "")
    assert lifecycle.current_index(es, names) == old


def test_one_reindex_at_a_time(
        es, redis_client, isolated: Settings, names: IndexNames, spec: IndexSpec) -> None:
    _fill(es, names, spec, 1)
    with reindex_lock(redis_client, isolated), pytest.raises(ReindexBusy):
        reindex.migrate(es, redis_client, isolated)
    assert reindex.migrate(es, redis_client, isolated).swapped


def test_rollback_without_a_previous_index_says_so(
        es, redis_client, isolated: Settings, names: IndexNames, spec: IndexSpec) -> None:
    lifecycle.ensure_index(es, names, spec)
    with pytest.raises(reindex.ReindexError, match="no previous index"):
        reindex.rollback(es, redis_client, isolated)


def test_rollback_returns_to_what_was_live_and_never_loses_it(
        es, redis_client, isolated: Settings, names: IndexNames, spec: IndexSpec,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Reclean, roll back, reclean, roll back, and a reclean that fails after its swap: after
    each step the live index and the way back are what the operator expects, and the index
    live before each rebuild is still there after it."""
    first = _fill(es, names, spec, 5)
    _store_raw(es, names, range(5))

    def reclean_from(live: str) -> str:
        result = reindex.reclean(es, redis_client, isolated)
        assert result.swapped and result.source == live, result.summary()
        assert lifecycle.current_index(es, names) == result.target
        assert es.indices.exists(index=live), f"{live} was live before the reclean and is gone"
        assert lifecycle.previous_index(es, names) == live
        return result.target

    def roll_back(expected: str) -> None:
        assert reindex.rollback(es, redis_client, isolated).target == expected
        assert lifecycle.current_index(es, names) == expected
        # The index rolled away from is never the way back: the dashboard says so, and a
        # second rollback is refused rather than bringing it back.
        assert lifecycle.previous_index(es, names) is None
        with pytest.raises(reindex.ReindexError, match="no previous index"):
            reindex.rollback(es, redis_client, isolated)

    rejected = reclean_from(first)
    roll_back(first)
    second = reclean_from(first)
    assert not es.indices.exists(index=rejected), "the build rolled away from outlived the next rebuild"
    roll_back(first)

    real_catch_up = reindex._catch_up

    def failing_after_swap(run, result, seen):  # type: ignore[no-untyped-def]
        if result.swapped:
            raise RuntimeError("catch-up went wrong")
        return real_catch_up(run, result, seen)

    monkeypatch.setattr(reindex, "_catch_up", failing_after_swap)
    broken = reindex.reclean(es, redis_client, isolated)
    monkeypatch.undo()
    assert broken.swapped and broken.after_swap == "RuntimeError: catch-up went wrong"
    assert lifecycle.current_index(es, names) == broken.target
    assert lifecycle.previous_index(es, names) == first and es.indices.exists(index=first)
    roll_back(first)
    assert es.count(index=names.read_alias)["count"] == 5
    assert reclean_from(first) not in {rejected, second, broken.target}


def test_the_way_back_follows_what_was_live_not_creation_order(
        es, redis_client, isolated: Settings, names: IndexNames, spec: IndexSpec) -> None:
    first = _fill(es, names, spec, 3)
    second = reindex.migrate(es, redis_client, isolated).target
    third = reindex.migrate(es, redis_client, replaced(isolated, reindex_keep=2)).target
    # Two kept: the way back goes third -> second -> first, one rollback at a time.
    assert reindex.rollback(es, redis_client, isolated).target == second
    assert lifecycle.previous_index(es, names) == first
    assert reindex.rollback(es, redis_client, isolated).target == first
    assert lifecycle.previous_index(es, names) is None
    assert es.indices.exists(index=third)


def test_takedown_removes_the_url_everywhere(
        es, redis_client, isolated: Settings, names: IndexNames, spec: IndexSpec) -> None:
    old = _fill(es, names, spec, 3)
    _store_raw(es, names, range(3))
    new = reindex.migrate(es, redis_client, isolated).target
    result = takedown(es, names, "https://example.org/p/1")
    assert sorted(result.indices) == sorted([old, new]) and result.raw
    assert es.count(index=names.read_alias)["count"] == 2
    assert raw_store.get(es, names, "https://example.org/p/1") is None
    assert not takedown(es, names, "https://example.org/p/1").found


@pytest.mark.parametrize("number", [0, 6])
def test_a_takedown_during_a_reclean_neither_stops_it_nor_comes_back(
        es, redis_client, isolated: Settings, names: IndexNames, spec: IndexSpec, number: int) -> None:
    # Chunks of 2: at the first progress report page 0 is in the new index, and page 6 has
    # been read from the raw store but not indexed yet (it would land after its takedown).
    settings = replaced(isolated, bulk_chunk_docs=2, redis_namespace=f"{isolated.index.prefix}-ns")
    lifecycle.ensure_index(es, names, spec)
    _store_raw(es, names, range(8))
    gone = f"https://example.org/p/{number}"

    class TakedownDuringBuild:
        done = False

        def total(self, count: int) -> None:
            pass

        def advance(self, count: int) -> None:
            if not self.done:
                self.done = True
                takedown_list.remove(es, names, redis_client, settings.redis.namespace, gone,
                                 "court order", "test")

    try:
        result = reindex.reclean(es, redis_client, settings, progress=TakedownDuringBuild())
    finally:
        redis_client.delete(f"{settings.redis.namespace}:takedowns", lock_key(settings))
    assert result.swapped, result.summary()
    assert result.count == 7
    assert not es.exists(index=names.read_alias, id=document_id(gone))
