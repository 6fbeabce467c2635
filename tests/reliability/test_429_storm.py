"""A 429 storm: a private node whose write thread pool has one thread and a queue of one,
fed by concurrent bulk writers. Rejected items are retried with backoff, and only they are:
each document is indexed exactly once (all ``created``, none ``updated`` by a resend of an
item that had succeeded; the index's indexing total equals the document count)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest

from indexer.config import replaced
from indexer.es import make_client
from indexer.index.bulk import BulkOptions, BulkReport, index_documents
from indexer.index.documents import Document, document_id, version_of
from tests.reliability.conftest import private_es

pytestmark = pytest.mark.reliability

WRITERS = 4
PER_WRITER = 500
TINY_POOL = "thread_pool.write.size: 1\nthread_pool.write.queue_size: 1\n"


def _documents(writer: int) -> list[Document]:
    now = version_of(datetime.now(UTC))
    docs = []
    for n in range(PER_WRITER):
        url = f"https://storm.example/{writer}/{n}/"
        docs.append(Document(document_id(url), {"url": url, "title": f"storm {writer} {n}",
                                                "content": "word " * 200}, now))
    return docs


def test_429_storm_retries_only_rejected_items(settings, figures) -> None:  # type: ignore[no-untyped-def]
    with private_es(settings, extra=TINY_POOL) as node:
        es = make_client(replaced(settings, es_url=node.url).es, timeout=60)
        es.indices.create(index="storm", settings={"number_of_shards": 4, "number_of_replicas": 0})
        options = BulkOptions(chunk_docs=25, max_retries=12, initial_backoff=0.2, max_backoff=5.0)
        reports: list[BulkReport] = []

        def write(writer: int) -> None:
            reports.append(index_documents(es, "storm", _documents(writer), options))

        threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
        es.indices.refresh(index="storm")
        pool: dict[str, Any] = next(iter(es.nodes.stats(metric="thread_pool")["nodes"].values()))
        indexing = es.indices.stats(index="storm", metric="indexing")["_all"]["primaries"]["indexing"]
        total = BulkReport()
        for report in reports:
            total.merge(report)
        figures.update(documents=WRITERS * PER_WRITER, outcomes=dict(total.counts),
                       rejected=pool["thread_pool"]["write"]["rejected"],
                       index_total=indexing["index_total"], index_failed=indexing["index_failed"],
                       count=es.count(index="storm")["count"])
        es.close()
    assert figures["rejected"] > 0, "the storm did not happen: no write was rejected"
    assert figures["outcomes"] == {"created": WRITERS * PER_WRITER}
    assert figures["index_total"] == figures["count"] == WRITERS * PER_WRITER
    assert figures["index_failed"] == 0
