"""The ledger check against the real services: a job's ledger in Redis, its pages in the
read index; removing one indexed document is caught as missing."""

from __future__ import annotations

import pytest

from indexer.index import lifecycle, mapping
from indexer.index.bulk import BulkOptions
from indexer.index.documents import document_id
from indexer.index.indexing import index_pages
from indexer.index.names import IndexNames
from worker.jobs import JobStore
from worker.jobs.ledger_check import check

pytestmark = pytest.mark.integration

URLS = [f"https://ledger.example/{n}/" for n in range(4)]


def test_check_reads_the_ledger_and_the_read_index(es, redis_client, unique_name, index_cleanup) -> None:  # type: ignore[no-untyped-def]
    names = IndexNames(unique_name)
    index_cleanup.append(f"{unique_name}*")
    lifecycle.ensure_index(es, names, mapping.load())
    store = JobStore(redis_client, unique_name)
    job = store.records.create("ingest")
    try:
        store.records.mark_running(job.id)
        store.ledger.add_pages(job.id, [{"url": u} for u in URLS])
        for url in URLS[:3]:
            store.ledger.start_page(job.id, url, "fetch")
            store.ledger.finish_page(job.id, url, "indexed", stage="index")
        store.ledger.finish_page(job.id, URLS[3], "skipped", "noindex", "index")
        pages = [{"url": u, "title": "t", "content": f"text {u}", "content_hash": u, "word_count": 2}
                 for u in URLS[:3]]
        index_pages(es, names.write_alias, pages, BulkOptions())

        assert check(store.ledger, es, names.read_alias, [job.id]).ok
        es.delete(index=names.write_alias, id=document_id(URLS[1]))
        broken = check(store.ledger, es, names.read_alias, [job.id])
        assert (broken.ok, broken.missing, broken.searchable) == (False, [URLS[1]], 2)
    finally:
        store.records.delete(job.id)
