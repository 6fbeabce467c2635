"""What two paths from page to index used to get wrong, on real Elasticsearch and Redis: a
reclean decides as ingestion does, takedowns stick, a rebuild never deletes the live index,
and a rollback neither brings removed pages back nor goes back to an abandoned build."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from indexer.config import Settings, replaced
from indexer.index import lifecycle, raw_store, reindex, takedown_list
from indexer.index.bulk import BulkOptions
from indexer.index.documents import document_id
from indexer.index.duplicates import DuplicateFinder
from indexer.index.indexing import Indexer, Registry, index_pages
from indexer.index.locking import lock_key
from indexer.index.mapping import IndexSpec
from indexer.index.names import IndexNames
from indexer.index.preparing import Cleaning, prepare
from indexer.index.raw_store import RawPage

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
OPTIONS = BulkOptions(chunk_docs=500, initial_backoff=0.1)
T0 = datetime(2026, 3, 1, tzinfo=UTC)
SITE = "https://example.org"


@pytest.fixture
def own(isolated: Settings, redis_client) -> Iterator[Settings]:  # type: ignore[no-untyped-def]
    """A namespace of the test's own: its takedown list, removal log and lock go afterwards."""
    own = replaced(isolated, redis_namespace=f"ns-{uuid.uuid4().hex[:10]}")
    yield own
    keys = list(redis_client.scan_iter(f"{own.redis.namespace}:*"))
    redis_client.delete(lock_key(own), *keys)


@pytest.fixture
def registry(own: Settings, redis_client) -> Registry:  # type: ignore[no-untyped-def]
    return Registry(redis_client, own.redis.namespace, own.index.prefix)


def _html(n: int, canonical: str | None = None) -> bytes:
    body = "<p>The river rose overnight and the council met to discuss flood defences.</p>" * 3
    link = f'<link rel="canonical" href="{canonical or f"{SITE}/p/{n}"}">'
    return (f'<html lang="en"><head><title>Story {n}</title>{link}</head>'
            f"<body><article><h1>Story {n}</h1><p>Report number {n}.</p>{body}</article></body></html>"
            ).encode()


def _store(es, names: IndexNames, raws: Iterable[RawPage]) -> None:  # type: ignore[no-untyped-def]
    raw_store.ensure(es, names)
    assert raw_store.put_many(es, names, raws, OPTIONS).complete


def _raw(n: int, **fields: object) -> RawPage:
    return RawPage(f"{SITE}/p/{n}", _html(n), T0, stored_at=T0 + timedelta(seconds=n), **fields)  # type: ignore[arg-type]


def _urls(es, names: IndexNames) -> set[str]:  # type: ignore[no-untyped-def]
    es.indices.refresh(index=names.read_alias)
    hits = es.search(index=names.read_alias, size=100, source=["url"])["hits"]["hits"]
    return {h["_source"]["url"] for h in hits}


def test_a_reclean_skips_what_ingestion_skips_and_counts_every_page(
        es, redis_client, own: Settings, names: IndexNames, spec: IndexSpec) -> None:
    lifecycle.ensure_index(es, names, spec)
    listing = RawPage(f"{SITE}/category/news/", (FIXTURES / "listing_category.html").read_bytes(), T0,
                      stored_at=T0 + timedelta(seconds=10))
    gone = _raw(3, status=410)
    empty = RawPage(f"{SITE}/empty/", b"   ", T0, stored_at=T0 + timedelta(seconds=11))
    _store(es, names, [_raw(1), _raw(2), gone, listing, empty])
    result = reindex.reclean(es, redis_client, own)
    assert result.swapped, result.summary()
    assert _urls(es, names) == {f"{SITE}/p/1", f"{SITE}/p/2"}
    pages = result.pages
    assert pages.total == 5 and dict(pages.states) == {"indexed": 2, "skipped": 3}
    assert dict(pages.reasons) == {"skipped:gone": 1, "skipped:listing": 1, "skipped:empty": 1}


def test_a_failure_after_the_swap_keeps_the_new_live_index(
        es, redis_client, own: Settings, names: IndexNames, spec: IndexSpec,
        monkeypatch: pytest.MonkeyPatch) -> None:
    old = lifecycle.ensure_index(es, names, spec)
    assert index_pages(es, names.write_alias, [{"url": f"{SITE}/p/1", "title": "One", "content": "x"}],
                       OPTIONS).complete

    def broken_prune(*args: object, **kwargs: object) -> list[str]:
        raise RuntimeError("prune went wrong")

    monkeypatch.setattr(lifecycle, "prune", broken_prune)
    result = reindex.migrate(es, redis_client, own)
    assert result.swapped and result.after_swap == "RuntimeError: prune went wrong"
    assert lifecycle.current_index(es, names) == result.target != old
    assert es.indices.exists(index=result.target) and es.indices.exists(index=old)
    assert es.count(index=names.read_alias)["count"] == 1


def test_a_takedown_by_canonical_url_takes_the_fetched_copy_too(
        es, redis_client, own: Settings, names: IndexNames, spec: IndexSpec) -> None:
    lifecycle.ensure_index(es, names, spec)
    # Fetched as ?p=7, indexed as its canonical /p/7: two ids for one page.
    fetched = RawPage(f"{SITE}/?p=7", _html(7), T0, stored_at=T0, canonical=f"{SITE}/p/7")
    _store(es, names, [fetched, _raw(1)])
    assert reindex.reclean(es, redis_client, own).swapped
    assert _urls(es, names) == {f"{SITE}/p/7", f"{SITE}/p/1"}

    record = takedown_list.remove(es, names, redis_client, own.redis.namespace, f"{SITE}/p/7",
                                  "legal", "test")
    assert record.raw and raw_store.get(es, names, f"{SITE}/?p=7") is None
    rebuilt = reindex.reclean(es, redis_client, replaced(own, reindex_max_failure_share=0.6))
    assert rebuilt.swapped, rebuilt.summary()
    assert _urls(es, names) == {f"{SITE}/p/1"}


def test_a_taken_down_page_is_never_written_again(
        es, redis_client, own: Settings, names: IndexNames, spec: IndexSpec, registry: Registry) -> None:
    lifecycle.ensure_index(es, names, spec)
    takedown_list.remove(es, names, redis_client, own.redis.namespace, f"{SITE}/p/1", "legal", "test")
    again = index_pages(es, names.write_alias, [{"url": f"{SITE}/p/1", "title": "One", "content": "x"},
                                                {"url": f"{SITE}/p/2", "title": "Two", "content": "y"}],
                        OPTIONS, registry=registry)
    assert dict(again.states) == {"indexed": 1, "skipped": 1} and again.reasons == {"skipped:taken_down": 1}
    assert _urls(es, names) == {f"{SITE}/p/2"}
    # Reinstated, it may come back.
    assert takedown_list.reinstate(redis_client, own.redis.namespace, f"{SITE}/p/1") == 1
    back = index_pages(es, names.write_alias, [{"url": f"{SITE}/p/1", "title": "One", "content": "x"}],
                       OPTIONS, registry=registry)
    assert back.states == {"indexed": 1}


def test_a_takedown_made_while_a_batch_is_in_flight_sticks(
        es, redis_client, own: Settings, names: IndexNames, spec: IndexSpec, registry: Registry) -> None:
    lifecycle.ensure_index(es, names, spec)

    class TakedownRightAfterTheCheck(Registry):
        """The takedown lands between the batch's check of the list and its write."""

        calls = 0

        def blocked(self, ids: Iterable[str]) -> set[str]:
            answer = super().blocked(ids)
            type(self).calls += 1
            if type(self).calls == 1:
                takedown_list.remove(es, names, redis_client, own.redis.namespace, f"{SITE}/p/1",
                                     "legal", "t")
            return answer

    racing = TakedownRightAfterTheCheck(redis_client, own.redis.namespace, own.index.prefix)
    items = [prepare(_raw(n), Cleaning(None, 5_000_000, 10.0), T0) for n in (1, 2)]
    indexer = Indexer(es, names.write_alias, OPTIONS, DuplicateFinder(es, names.read_alias), racing)
    indexer.write(items)
    assert [i.outcome.reason if i.outcome else None for i in items] == ["taken_down", ""]
    assert _urls(es, names) == {f"{SITE}/p/2"}


def test_a_rollback_replays_the_removals_made_since(
        es, redis_client, own: Settings, names: IndexNames, spec: IndexSpec, registry: Registry) -> None:
    old = lifecycle.ensure_index(es, names, spec)
    pages = [{"url": f"{SITE}/p/{n}", "title": f"P{n}", "content": "x"} for n in range(3)]
    assert index_pages(es, names.write_alias, pages, OPTIONS).complete
    assert reindex.migrate(es, redis_client, own).swapped
    # Gone since the rebuild: removed from the live index, the way ingestion removes it.
    registry.remove(es, names.write_alias, {document_id(f"{SITE}/p/1")})
    back = reindex.rollback(es, redis_client, own)
    assert back.target == old and back.removed == 1
    assert _urls(es, names) == {f"{SITE}/p/0", f"{SITE}/p/2"}


def test_an_abandoned_build_is_never_the_way_back_nor_kept_instead_of_it(
        es, redis_client, own: Settings, names: IndexNames, spec: IndexSpec) -> None:
    good = lifecycle.ensure_index(es, names, spec)
    assert index_pages(es, names.write_alias, [{"url": f"{SITE}/p/1", "title": "P", "content": "x"}],
                       OPTIONS).complete
    # A build killed with -9 half way: created, never finished, never swapped.
    abandoned = lifecycle.create_index(es, names, spec, building=True)
    result = reindex.migrate(es, redis_client, replaced(own, reindex_keep=1))
    assert result.swapped and result.pruned == [abandoned]
    assert lifecycle.previous_index(es, names) == good
    assert es.indices.exists(index=good) and not es.indices.exists(index=abandoned)
    back = reindex.rollback(es, redis_client, own)
    assert back.target == good and _urls(es, names) == {f"{SITE}/p/1"}


def _story(url: str, dated: bool = False) -> RawPage:
    """The same article under ``url``; ``dated`` adds a line, making it a near copy."""
    body = ("<p>The river rose overnight and the council met to discuss flood defences, "
            "the new wall and the pumps the town bought last spring.</p>") * 4
    note = "<p>Republished on 3 March.</p>" if dated else ""
    html = (f'<html lang="en"><head><title>Flood story</title><link rel="canonical" href="{url}"></head>'
            f"<body><article><h1>Flood story</h1>{note}{body}</article></body></html>").encode()
    return RawPage(url, html, T0, stored_at=T0 + timedelta(seconds=len(url) + dated))


def test_a_takedown_takes_the_pages_copies_and_keeps_its_text_out(
        es, redis_client, own: Settings, names: IndexNames, spec: IndexSpec, registry: Registry) -> None:
    lifecycle.ensure_index(es, names, spec)
    original, copy, near = f"{SITE}/flood", f"{SITE}/mirror/flood", f"{SITE}/again/flood"
    _store(es, names, [_story(original), _story(copy), _story(near, dated=True), _raw(1)])
    assert reindex.reclean(es, redis_client, own).swapped
    marked = {h["_source"]["url"]: h["_source"].get("duplicate_of")
              for h in es.search(index=names.read_alias, size=10)["hits"]["hits"]}
    assert marked[copy] == marked[near] == original and marked[original] is None, marked
    text = es.get(index=names.read_alias, id=document_id(original))["_source"]["content_hash"]

    record = takedown_list.remove(es, names, redis_client, own.redis.namespace, original, "legal", "test")
    # The operator is told, and the copies went with it: index and raw store.
    assert sorted(record.copies) == sorted([copy, near])
    assert _urls(es, names) == {f"{SITE}/p/1"}
    assert raw_store.get(es, names, copy) is None and raw_store.get(es, names, near) is None

    # Neither a recrawl of a copy nor the same text under a URL it never had comes back.
    again = index_pages(es, names.write_alias, [
        {"url": copy, "title": "Flood story", "content": "x", "content_hash": "other"},
        {"url": f"{SITE}/new/flood", "title": "Flood story", "content": "y", "content_hash": text},
        {"url": f"{SITE}/p/2", "title": "Two", "content": "z", "content_hash": "two"}],
        OPTIONS, registry=registry)
    assert again.reasons == {"skipped:taken_down": 2}, again.reasons
    assert _urls(es, names) == {f"{SITE}/p/1", f"{SITE}/p/2"}

    # Reinstating the page reinstates its copies and its text.
    assert takedown_list.reinstate(redis_client, own.redis.namespace, original) >= 3
    back = index_pages(es, names.write_alias, [
        {"url": copy, "title": "Flood story", "content": "x", "content_hash": text}],
        OPTIONS, registry=registry)
    assert back.states == {"indexed": 1}


def test_a_takedown_cut_short_by_elasticsearch_is_pending_and_finished_later(
        es, redis_client, own: Settings, names: IndexNames, spec: IndexSpec, registry: Registry,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from elasticsearch import ConnectionError as EsConnectionError

    from indexer.index import purge

    lifecycle.ensure_index(es, names, spec)
    assert index_pages(es, names.write_alias, [{"url": f"{SITE}/p/1", "title": "One", "content": "x"}],
                       OPTIONS, registry=registry).states == {"indexed": 1}
    real_takedown = purge.takedown

    def outage(*args: object, **kwargs: object) -> purge.TakedownResult:
        raise EsConnectionError("connection refused")

    monkeypatch.setattr(takedown_list, "takedown", outage)
    with pytest.raises(takedown_list.TakedownIncomplete, match="pending"):
        takedown_list.remove(es, names, redis_client, own.redis.namespace, f"{SITE}/p/1", "legal", "ops")
    # Recorded, and already kept out of every write, though still in the index.
    assert [t.url for t in takedown_list.pending(redis_client, own.redis.namespace)] == [f"{SITE}/p/1"]
    assert takedown_list.recent(redis_client, own.redis.namespace) == []
    assert index_pages(es, names.write_alias, [{"url": f"{SITE}/p/1", "title": "One", "content": "x"}],
                       OPTIONS, registry=registry).reasons == {"skipped:taken_down": 1}

    monkeypatch.setattr(takedown_list, "takedown", real_takedown)
    finished = takedown_list.resume(es, names, redis_client, own.redis.namespace)
    assert [(t.url, t.reason, t.by) for t in finished] == [(f"{SITE}/p/1", "legal", "ops")]
    assert takedown_list.pending(redis_client, own.redis.namespace) == []
    assert [t.url for t in takedown_list.recent(redis_client, own.redis.namespace)] == [f"{SITE}/p/1"]
    assert _urls(es, names) == set()
