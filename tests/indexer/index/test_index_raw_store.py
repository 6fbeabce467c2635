from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from indexer.index import raw_store
from indexer.index.bulk import BulkOptions
from indexer.index.names import IndexNames
from indexer.index.raw_store import RawPage

pytestmark = pytest.mark.integration

T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
# Not valid UTF-8 on purpose: the store keeps bytes, not text.
HTML = "<html><body><p>Café</p></body></html>".encode("latin-1") * 50


def _raw(n: int, **fields: object) -> RawPage:
    values: dict[str, object] = {"url": f"https://example.org/r/{n}", "html": HTML, "fetched_at": T0,
                                 "headers": {"content-type": "text/html; charset=latin-1"},
                                 "stored_at": T0 + timedelta(minutes=n)}
    return RawPage(**{**values, **fields})  # type: ignore[arg-type]


def test_bytes_and_fetch_metadata_round_trip(es, names: IndexNames) -> None:
    raw_store.ensure(es, names)
    raw_store.ensure(es, names)  # idempotent
    assert raw_store.put(es, names, _raw(1, status=203))
    stored = raw_store.get(es, names, "https://EXAMPLE.org/r/1")
    assert stored == _raw(1, status=203)
    assert raw_store.get(es, names, "https://example.org/r/404") is None
    settings = es.indices.get_settings(index=names.raw)[names.raw]["settings"]["index"]
    assert settings["codec"] == "best_compression"
    source = es.get(index=names.raw, id=raw_store.to_document(_raw(1)).id)["_source"]
    assert source["size"] == len(HTML) and len(source["html"]) < len(HTML) / 4


def test_the_copy_stored_last_wins(es, names: IndexNames) -> None:
    raw_store.ensure(es, names)
    assert raw_store.put(es, names, _raw(1, html=b"<p>new</p>", stored_at=T0 + timedelta(days=1)))
    assert not raw_store.put(es, names, _raw(1, html=b"<p>old</p>"))
    stored = raw_store.get(es, names, "https://example.org/r/1")
    assert stored is not None and stored.html == b"<p>new</p>"


def test_iterate_oldest_first_count_and_delete(es, names: IndexNames) -> None:
    raw_store.ensure(es, names)
    report = raw_store.put_many(es, names, [_raw(n) for n in (3, 1, 2)], BulkOptions(chunk_docs=2))
    assert report.complete and report.counts["created"] == 3
    assert raw_store.count(es, names) == 3
    assert [p.url for p in raw_store.iterate(es, names)] == [f"https://example.org/r/{n}" for n in (1, 2, 3)]
    assert raw_store.delete(es, names, "https://example.org/r/2")
    assert not raw_store.delete(es, names, "https://example.org/r/2")
    assert raw_store.count(es, names) == 2
