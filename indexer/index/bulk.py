"""Bulk indexing with an outcome for every document sent.

``streaming_bulk`` does the chunking (by count and bytes) and retries 429s with backoff; this
module turns each item it yields into an outcome and keeps count, so a run can never end
"done" with a document unaccounted for: anything sent and not answered becomes a failure too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError
from elasticsearch.helpers import streaming_bulk

from indexer.config import IndexSettings
from indexer.index.documents import Document

# A copy with a newer ingested_at is already there: nothing lost, nothing to retry.
STALE_ERROR = "version_conflict_engine_exception"
# Outcomes that leave the page in the index (stale: in a newer form).
INDEXED = ("created", "updated", "stale")

Progress = Callable[[int], None]


@dataclass(frozen=True)
class BulkOptions:
    chunk_docs: int = 500
    chunk_bytes: int = 10 * 1024 * 1024
    max_retries: int = 5
    initial_backoff: float = 2.0
    max_backoff: float = 60.0

    @classmethod
    def from_settings(cls, index: IndexSettings) -> BulkOptions:
        return cls(index.bulk_chunk_docs, index.bulk_chunk_bytes, index.bulk_max_retries)


@dataclass(frozen=True)
class Failure:
    """One page that is not in the index, with Elasticsearch's reason."""

    id: str
    url: str
    status: int
    error_type: str
    reason: str
    # The concrete index that answered, when one did (an alias resolves to its index).
    index: str = ""


@dataclass
class BulkReport:
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    # Set when the run stopped early (the cluster went away); its documents are failures.
    aborted: str | None = None
    # Documents taken from the input; after an abort, the ones beyond it were never sent.
    sent: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def failed(self) -> int:
        return self.counts["failed"]

    @property
    def indexed(self) -> int:
        return sum(self.counts[outcome] for outcome in INDEXED)

    @property
    def complete(self) -> bool:
        return self.failed == 0 and self.aborted is None

    def failure_share(self) -> float:
        return self.failed / self.total if self.total else 0.0

    def add_failure(self, failure: Failure) -> None:
        self.counts["failed"] += 1
        self.failures.append(failure)

    def merge(self, other: BulkReport) -> None:
        self.counts.update(other.counts)
        self.failures.extend(other.failures)
        self.aborted = self.aborted or other.aborted
        self.sent += other.sent

    def summary(self) -> dict[str, Any]:
        return {"total": self.total, **dict(self.counts), "aborted": self.aborted,
                "failures": [f.__dict__ for f in self.failures[:20]]}


def index_documents(
    client: Elasticsearch,
    index: str,
    documents: Iterable[Document],
    options: BulkOptions,
    progress: Progress | None = None,
) -> BulkReport:
    """Index ``documents`` into ``index`` (an alias or a concrete index).

    If the run stops early, ``report.sent`` says how many documents were taken from
    ``documents``: those unanswered are failures, the rest were never sent.
    """
    return index_each(client, ((index, d) for d in documents), options, progress)


def index_each(
    client: Elasticsearch,
    targets: Iterable[tuple[str, Document]],
    options: BulkOptions,
    progress: Progress | None = None,
) -> BulkReport:
    """:func:`index_documents` with an index per document, so writes to several indices share
    round trips; a failure's ``index`` tells which one refused."""
    report = BulkReport()
    ledger = _Ledger()
    try:
        for _ok, item in streaming_bulk(
            client, ledger.actions(targets), chunk_size=options.chunk_docs,
            max_chunk_bytes=options.chunk_bytes, max_retries=options.max_retries,
            initial_backoff=options.initial_backoff, max_backoff=options.max_backoff,
            raise_on_error=False, raise_on_exception=False,
        ):
            ledger.answer(report, item)
            if progress is not None:
                progress(1)
    except (ApiError, TransportError) as exc:
        # The cluster went away mid-run: what it held unanswered is lost, say so per page.
        report.aborted = f"{type(exc).__name__}: {exc}"
        ledger.abandon(report)
    report.sent = ledger.sent
    return report


class _Ledger:
    """Documents sent and not yet answered, by id (one URL may be sent twice in a run)."""

    def __init__(self) -> None:
        self.in_flight: dict[str, tuple[str, int]] = {}
        self.sent = 0

    def actions(self, targets: Iterable[tuple[str, Document]]) -> Iterator[dict[str, Any]]:
        for index, document in targets:
            url, copies = self.in_flight.get(document.id, (document.url, 0))
            self.in_flight[document.id] = (url, copies + 1)
            self.sent += 1
            yield {"_op_type": "index", "_index": index, "_id": document.id, "_source": document.source,
                   "version": document.version, "version_type": "external_gte"}

    def answer(self, report: BulkReport, item: dict[str, Any]) -> None:
        (_op, info), = item.items()
        doc_id = str(info.get("_id", ""))
        url, copies = self.in_flight.pop(doc_id, ("", 1))
        if copies > 1:
            self.in_flight[doc_id] = (url, copies - 1)
        _record(report, doc_id, url, info)

    def abandon(self, report: BulkReport) -> None:
        for doc_id, (url, copies) in self.in_flight.items():
            for _ in range(copies):
                report.add_failure(Failure(doc_id, url, 0, "aborted", report.aborted or ""))
        self.in_flight.clear()


def _record(report: BulkReport, doc_id: str, url: str, info: dict[str, Any]) -> None:
    status = int(info.get("status", 0))
    error = info.get("error")
    if 200 <= status < 300:
        report.counts[str(info.get("result", "indexed"))] += 1
    elif isinstance(error, dict) and error.get("type") == STALE_ERROR:
        report.counts["stale"] += 1
    else:
        report.add_failure(Failure(doc_id, url, status, *_reason(error), index=str(info.get("_index", ""))))


def _reason(error: Any) -> tuple[str, str]:
    """Elasticsearch's error type and reason, with the underlying cause when it has one."""
    if not isinstance(error, dict):
        return "request_error", str(error)
    reason = str(error.get("reason", ""))
    cause = error.get("caused_by")
    if isinstance(cause, dict) and cause.get("reason"):
        reason = f"{reason}: {cause['reason']}"
    return str(error.get("type", "error")), reason
