"""The indexing path: cleaned pages in, documents with duplicates marked, a bulk report out.

This is what the pipeline calls for each batch and what a reclean streams through.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError

from indexer.index.bulk import BulkOptions, BulkReport, Failure, Progress, index_documents
from indexer.index.documents import Document, DocumentError, PageLike, from_page
from indexer.index.duplicates import DuplicateFinder


def index_pages(
    client: Elasticsearch,
    index: str,
    pages: Sequence[PageLike | Mapping[str, Any]],
    options: BulkOptions,
    *,
    ingested_at: datetime | None = None,
    progress: Progress | None = None,
) -> BulkReport:
    """Index one batch of pages into ``index`` (normally the write alias). Every page ends up
    counted: indexed, stale (a newer copy is there) or failed with a reason."""
    report = BulkReport()
    documents: list[Document] = []
    for page in pages:
        try:
            documents.append(from_page(page, ingested_at=ingested_at))
        except DocumentError as exc:
            report.add_failure(Failure("", _url_of(page), 0, "invalid_page", str(exc)))
    try:
        # A batch is marked with one lookup; only streams of unknown length go chunk by chunk.
        DuplicateFinder(client, index).mark(documents)
        streamed = index_documents(client, index, documents, options, progress)
    except (ApiError, TransportError) as exc:
        streamed = BulkReport(aborted=f"{type(exc).__name__}: {exc}")
    report.merge(streamed)
    for unsent in documents[streamed.sent:] if streamed.aborted else ():
        report.add_failure(Failure(unsent.id, unsent.url, 0, "not_sent", streamed.aborted or ""))
    return report


def index_stream(
    client: Elasticsearch,
    index: str,
    documents: Iterable[Document],
    options: BulkOptions,
    finder: DuplicateFinder,
    progress: Progress | None = None,
) -> BulkReport:
    """Index a stream of any length, marking duplicates one chunk at a time."""
    return index_documents(client, index, _marked(documents, finder, options.chunk_docs), options, progress)


def _marked(documents: Iterable[Document], finder: DuplicateFinder, size: int) -> Iterator[Document]:
    iterator = iter(documents)
    while chunk := list(islice(iterator, size)):
        finder.mark(chunk)
        yield from chunk


def _url_of(page: PageLike | Mapping[str, Any]) -> str:
    fields = page if isinstance(page, Mapping) else page.to_dict()
    return str(fields.get("url") or "")
