from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from indexer import config
from indexer.es import make_client
from indexer.index import lifecycle, raw_store
from indexer.index.bulk import BulkOptions, index_each
from indexer.index.documents import document_id, from_page
from indexer.index.indexing import index_pages
from indexer.index.mapping import IndexSpec
from indexer.index.names import IndexNames
from indexer.index.raw_store import RawPage

pytestmark = pytest.mark.integration

OPTIONS = BulkOptions(chunk_docs=3, chunk_bytes=1024 * 1024, max_retries=2, initial_backoff=0.1)
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _page(n: int, **fields: Any) -> dict[str, Any]:
    return {"url": f"https://example.org/p/{n}", "title": f"Page {n}", "content": f"text number {n}",
            "content_hash": f"hash-{n}", "word_count": 3, **fields}


def _source(es, names: IndexNames, url: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return es.get(index=names.write_alias, id=document_id(url))["_source"]


def test_one_bad_document_fails_alone_with_the_reason(es, names: IndexNames, spec: IndexSpec) -> None:
    lifecycle.ensure_index(es, names, spec)
    pages = [_page(n) for n in range(7)]
    pages[4]["word_count"] = "many"
    report = index_pages(es, names.write_alias, [*pages, {"title": "no url"}], OPTIONS)
    assert report.bulk.counts["created"] == 6 and report.states == {"indexed": 6, "failed": 2}
    assert sorted((f.url, f.error_type) for f in report.failures) == [
        ("", "invalid_page"), ("https://example.org/p/4", "document_parsing_exception")]
    assert "word_count" in next(f.reason for f in report.failures if f.url)
    assert report.total == 8 and not report.complete
    es.indices.refresh(index=names.write_alias)
    assert es.count(index=names.read_alias)["count"] == 6


def test_re_ingesting_a_url_leaves_one_document(es, names: IndexNames, spec: IndexSpec) -> None:
    lifecycle.ensure_index(es, names, spec)
    index_pages(es, names.write_alias, [_page(1)], OPTIONS, ingested_at=T0)
    report = index_pages(es, names.write_alias, [_page(1, title="Page one, revised")], OPTIONS,
                         ingested_at=T0 + timedelta(hours=1))
    assert dict(report.bulk.counts) == {"updated": 1} and report.states == {"indexed": 1}
    es.indices.refresh(index=names.write_alias)
    assert es.count(index=names.read_alias)["count"] == 1
    assert _source(es, names, "https://example.org/p/1")["title"] == "Page one, revised"


def test_an_older_copy_never_replaces_a_newer_one(es, names: IndexNames, spec: IndexSpec) -> None:
    lifecycle.ensure_index(es, names, spec)
    index_pages(es, names.write_alias, [_page(1, title="new")], OPTIONS, ingested_at=T0 + timedelta(hours=1))
    report = index_pages(es, names.write_alias, [_page(1, title="old")], OPTIONS, ingested_at=T0)
    assert dict(report.bulk.counts) == {"stale": 1} and report.complete
    assert _source(es, names, "https://example.org/p/1")["title"] == "new"


def test_same_text_under_another_url_is_a_duplicate(es, names: IndexNames, spec: IndexSpec) -> None:
    lifecycle.ensure_index(es, names, spec)
    same = {"content_hash": "same"}
    index_pages(es, names.write_alias, [_page(1, **same), _page(2, **same)], OPTIONS, ingested_at=T0)
    es.indices.refresh(index=names.write_alias)
    # A later batch, and a re-ingest of the original, see the indexed original.
    index_pages(es, names.write_alias, [_page(3, **same), _page(1, **same)], OPTIONS,
                ingested_at=T0 + timedelta(hours=1))
    original = "https://example.org/p/1"
    assert "duplicate_of" not in _source(es, names, original)
    for n in (2, 3):
        assert _source(es, names, f"https://example.org/p/{n}")["duplicate_of"] == original


def test_an_unreachable_cluster_fails_every_page_instead_of_dropping_them(unique_name: str) -> None:
    dead = make_client(config.load(es_url="http://127.0.0.1:9").es, timeout=1, retries=0)
    for hashes in ("", "h"):  # with and without a duplicate lookup first
        pages = [_page(n, content_hash=hashes and f"h{n}") for n in range(5)]
        report = index_pages(dead, unique_name, pages, OPTIONS)
        assert report.bulk.aborted and report.failed == 5 and not report.complete
        assert sorted(f.url for f in report.failures) == [f"https://example.org/p/{n}" for n in range(5)]


def test_one_request_writes_two_indices_and_names_the_refuser(es, names: IndexNames, spec: IndexSpec) -> None:
    lifecycle.ensure_index(es, names, spec)
    raw_store.ensure(es, names)
    good, bad = from_page(_page(1), ingested_at=T0), from_page(_page(2), ingested_at=T0)
    bad.source["word_count"] = "many"
    raw = raw_store.to_document(RawPage(good.url, b"<p>text number 1</p>", T0), T0)
    report = index_each(es, [(names.raw, raw), (names.write_alias, good), (names.write_alias, bad)], OPTIONS)
    assert report.counts["created"] == 2
    (failure,) = report.failures
    assert (failure.id, failure.error_type) == (bad.id, "document_parsing_exception")
    assert failure.index not in ("", names.raw), "the page index refused it, not the raw store"
    assert raw_store.get(es, names, good.url).html == b"<p>text number 1</p>"


def _story(seed: int) -> str:
    import random

    rng = random.Random(seed)
    words = ("council harbour ferry budget river bridge school library housing transport market park "
             "residents meeting contract vote timetable station district garden energy water").split()
    return " ".join(rng.choice(words) for _ in range(300))


def test_a_republished_copy_is_a_near_duplicate_and_another_story_is_not(
        es, names: IndexNames, spec: IndexSpec) -> None:
    lifecycle.ensure_index(es, names, spec)
    story = _story(1)
    index_pages(es, names.write_alias, [_page(1, content=story, content_hash="a")], OPTIONS, ingested_at=T0)
    es.indices.refresh(index=names.write_alias)
    copy = f"Republished from the Riverside Gazette on 3 March 2026. {story} Share this story."
    later = [_page(2, content=copy, content_hash="b"), _page(3, content=_story(2), content_hash="c"),
             # Within one batch too: the batch's own originals count.
             _page(4, content=_story(3), content_hash="d"),
             _page(5, content=f"Updated 4 March. {_story(3)}", content_hash="e")]
    index_pages(es, names.write_alias, later, OPTIONS, ingested_at=T0 + timedelta(hours=1))
    marks = {n: _source(es, names, f"https://example.org/p/{n}").get("duplicate_of") for n in range(1, 6)}
    assert marks == {1: None, 2: "https://example.org/p/1", 3: None, 4: None, 5: "https://example.org/p/4"}
