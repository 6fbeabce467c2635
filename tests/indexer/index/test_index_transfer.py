from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from indexer.index import lifecycle, transfer
from indexer.index.bulk import BulkOptions
from indexer.index.documents import document_id
from indexer.index.indexing import index_pages
from indexer.index.mapping import IndexSpec
from indexer.index.names import IndexNames

pytestmark = pytest.mark.integration

OPTIONS = BulkOptions(chunk_docs=50)
T0 = datetime(2026, 2, 1, tzinfo=UTC)


def _page(n: int, title: str = "") -> dict[str, Any]:
    return {"url": f"https://example.org/t/{n}", "title": title or f"Page {n}", "content": "text"}


def test_catch_up_copies_exactly_what_was_written_after_the_marks(
        es, names: IndexNames, spec: IndexSpec) -> None:
    source = lifecycle.ensure_index(es, names, spec)
    target = lifecycle.create_index(es, names, spec, building=False)
    index_pages(es, source, [_page(n) for n in range(3)], OPTIONS, ingested_at=T0)
    seen = transfer.marks(es, source)
    later = T0 + timedelta(hours=1)
    index_pages(es, source, [_page(3), _page(4), _page(0, "Page 0, revised")], OPTIONS, ingested_at=later)
    # The target already has a newer copy of page 4: the catch-up must not replace it.
    index_pages(es, target, [_page(4, "newest")], OPTIONS, ingested_at=later + timedelta(hours=1))

    report = transfer.copy_written_after(es, source, target, seen, OPTIONS)

    assert dict(report.counts) == {"created": 2, "stale": 1}
    es.indices.refresh(index=target)
    titles = {h["_source"]["url"][-1]: h["_source"]["title"]
              for h in es.search(index=target, size=10)["hits"]["hits"]}
    assert titles == {"0": "Page 0, revised", "3": "Page 3", "4": "newest"}
    assert transfer.marks(es, source) != seen


def test_client_side_copy_keeps_versions_and_counts(es, names: IndexNames, spec: IndexSpec) -> None:
    source = lifecycle.ensure_index(es, names, spec)
    target = lifecycle.create_index(es, names, spec, building=True)
    index_pages(es, source, [_page(n) for n in range(120)], OPTIONS, ingested_at=T0)
    copied: list[int] = []
    report = transfer.copy_index(es, source, target, OPTIONS, copied.append)
    assert report.complete and dict(report.counts) == {"created": 120} and sum(copied) == 120
    hit = es.get(index=target, id=document_id("https://example.org/t/7"))
    assert hit["_version"] == int(T0.timestamp() * 1000)
