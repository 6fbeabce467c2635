"""The indexing path: prepared pages in, an outcome for every one of them out.

Live ingestion writes each batch through :meth:`Indexer.write` (its raw copies riding in the
same bulk request), a reclean streams the raw store through :meth:`Indexer.stream`, and tests
and ``bench/index.py`` use :func:`index_pages`, which goes the same way. On every write the
takedown list is read before (the page is not sent) and after (a takedown made while the
batch was in flight is undone at once); duplicates are marked; pages that must leave the
index (gone, noindex, now a listing) are removed and logged for rollbacks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any

import redis
from elasticsearch import ApiError, Elasticsearch, TransportError

from indexer import embedding
from indexer.embedding import Embedder
from indexer.index import outcomes, removals, takedown_list
from indexer.index.bulk import BulkOptions, BulkReport, Failure, index_each
from indexer.index.documents import Document, DocumentError, PageLike, document_id, from_page
from indexer.index.duplicates import DuplicateFinder
from indexer.index.outcomes import Outcome
from indexer.index.preparing import Prepared
from indexer.index.raw_store import RawPage

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Registry:
    """What the index alone cannot hold, kept in Redis: the takedown list and the removal log."""

    store: redis.Redis
    namespace: str
    prefix: str

    def blocked(self, ids: Iterable[str]) -> set[str]:
        return takedown_list.blocked(self.store, self.namespace, ids)

    def taken_down(self, items: Sequence[Prepared]) -> list[Prepared]:
        """Those of ``items`` a takedown keeps out: by any id they may be known by, or by their
        text (an exact copy of a taken-down page under a URL it never had)."""
        if not items:
            return []
        listed = self.blocked(i for item in items for i in item.ids())
        texts = takedown_list.blocked_texts(self.store, self.namespace, filter(None, map(_text_of, items)))
        return [item for item in items if item.ids() & listed or _text_of(item) in texts]

    def remove(self, client: Elasticsearch, index: str, ids: Collection[str]) -> int:
        return removals.remove(client, index, self.store, self.namespace, self.prefix, ids)


@dataclass
class Tally:
    """Pages by outcome (every page once), beside the bulk requests' own counts."""

    states: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    bulk: BulkReport = field(default_factory=BulkReport)

    @classmethod
    def of_copy(cls, report: BulkReport) -> Tally:
        """A copy's documents, counted as pages: the ones in the index, the ones refused."""
        return cls(Counter({outcomes.INDEXED: report.indexed, outcomes.FAILED: report.failed}),
                   Counter(), list(report.failures), report)

    @property
    def total(self) -> int:
        return sum(self.states.values())

    def count(self, item: Prepared) -> None:
        assert item.outcome is not None
        self.states[item.outcome.state] += 1
        if item.outcome.state != outcomes.INDEXED:
            self.reasons[f"{item.outcome.state}:{item.outcome.kind}"] += 1
        if item.outcome.state == outcomes.FAILED:
            doc_id = item.document.id if item.document is not None else _id_or_blank(item.raw.url)
            kind, _, detail = item.outcome.reason.partition(": ")
            self.failures.append(Failure(doc_id, item.raw.url, 0, kind, detail or kind))

    @property
    def indexed(self) -> int:
        return self.states[outcomes.INDEXED]

    @property
    def failed(self) -> int:
        return self.states[outcomes.FAILED]

    @property
    def complete(self) -> bool:
        return self.failed == 0 and self.bulk.aborted is None

    def failure_share(self) -> float:
        return self.states[outcomes.FAILED] / self.total if self.total else 0.0

    def summary(self) -> dict[str, Any]:
        return {"pages": self.total, **dict(self.states), "reasons": dict(self.reasons),
                "failures": [f.__dict__ for f in self.failures[:20]]}


class Indexer:
    """Prepared pages into one index: the write alias, or a build."""

    def __init__(self, client: Elasticsearch, index: str, options: BulkOptions, finder: DuplicateFinder,
                 registry: Registry | None = None, embedder: Embedder | None = None) -> None:
        self.client, self.index, self.options = client, index, options
        self._finder, self._registry, self._embedder = finder, registry, embedder

    def write(self, items: Sequence[Prepared], *, present: Collection[str] | None = None,
              alongside: Sequence[tuple[str, Document]] = ()) -> BulkReport:
        """One bulk request for ``items``' documents and ``alongside``; each item's outcome set,
        unless the request as a whole did not go through (``aborted``, or refused as busy):
        then the ones to write keep ``outcome`` None, for the caller to try again.
        ``present``: ids known to be in the index (None: unknown, remove without asking)."""
        self._remove([i for i in items if i.outcome is not None and i.outcome.removes], present)
        ready = [i for i in items if i.outcome is None and i.document is not None]
        self.hold_back(ready)
        ready = [i for i in ready if i.outcome is None]
        self._embed([i.document for i in ready if i.document is not None])
        self._finder.mark([i.document for i in ready if i.document is not None])
        targets = [*alongside, *((self.index, i.document) for i in ready if i.document is not None)]
        report = index_each(self.client, targets, self.options) if targets else BulkReport()
        if report.aborted or any(f.status == 429 for f in report.failures):
            return report
        # Raw copies share their page's id: only the failures of this index are the pages'.
        beside = {index for index, _ in alongside}
        refused = {f.id: f for f in report.failures if f.index not in beside}
        for item in ready:
            assert item.document is not None
            failure = refused.get(item.document.id)
            original = item.document.source.get("duplicate_of")
            item.outcome = (outcomes.of_refusal(failure.error_type, failure.reason) if failure is not None
                            else outcomes.of_duplicate(original) if original else outcomes.INDEXED_OUTCOME)
        self._undo_late_takedowns(ready)
        return report

    def stream(self, items: Iterable[Prepared], progress: Progress | None = None) -> Tally:
        """Write a stream of any length, a chunk at a time; every page counted once."""
        tally, iterator = Tally(), iter(items)
        while chunk := list(islice(iterator, self.options.chunk_docs)):
            try:
                report = self.write(chunk, present=())
            except (ApiError, TransportError) as exc:
                report = BulkReport(aborted=f"{type(exc).__name__}: {exc}")
            tally.bulk.merge(report)
            # Unanswered: the cluster went away (the run stops here) or stayed busy.
            unanswered = (Outcome(outcomes.FAILED, f"aborted: {report.aborted}", "index") if report.aborted
                          else outcomes.of_refusal("busy", "refused as busy"))
            for item in chunk:
                item.outcome = item.outcome or unanswered
                tally.count(item)
            if progress is not None:
                progress(len(chunk))
            if report.aborted:
                break
        return tally

    def _embed(self, documents: list[Document]) -> None:
        """Each document's vector, computed here for the whole batch at once: every path that
        writes (ingest, reclean, webhook) comes through, and a model embeds a batch faster."""
        if self._embedder is None or not documents:
            return
        vectors = self._embedder.embed([embedding.article_text(d.source) for d in documents])
        for document, vector in zip(documents, vectors, strict=True):
            if vector is not None:
                document.source[embedding.FIELD] = vector

    def _remove(self, leaving: list[Prepared], present: Collection[str] | None) -> None:
        ids = {i for item in leaving for i in item.ids()}
        if present is not None:
            ids &= set(present)
        if ids and self._registry is not None:
            self._finder.forget(ids)
            self._registry.remove(self.client, self.index, ids)

    def hold_back(self, items: Sequence[Prepared]) -> None:
        """Pages on the takedown list are not written (nor their raw copies, by the caller)."""
        if self._registry is None:
            return
        for item in self._registry.taken_down([i for i in items if i.outcome is None]):
            item.outcome = outcomes.TAKEN_DOWN

    def _undo_late_takedowns(self, written: list[Prepared]) -> None:
        """A takedown that listed a page after :meth:`_hold_back` read the list, and removed it
        before this batch's write landed: the write is undone here."""
        if self._registry is None:
            return
        for item in self._registry.taken_down(written):
            assert item.document is not None
            self.client.options(ignore_status=404).delete(index=self.index, id=item.document.id, refresh=True)
            item.outcome = outcomes.TAKEN_DOWN


def _text_of(item: Prepared) -> str | None:
    digest = item.document.source.get("content_hash") if item.document is not None else None
    return str(digest) if digest else None


def index_pages(
    client: Elasticsearch,
    index: str,
    pages: Iterable[PageLike | Mapping[str, Any]],
    options: BulkOptions,
    *,
    ingested_at: datetime | None = None,
    registry: Registry | None = None,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
) -> Tally:
    """Index already-cleaned pages (Pages or their dicts, a stream of any length) through the
    same path as a batch. Every page is counted: the ones after a run stopped as not sent."""
    items = _prepared(pages, ingested_at or datetime.now(UTC))
    indexer = Indexer(client, index, options, DuplicateFinder(client, index), registry, embedder)
    tally = indexer.stream(items, progress)
    for item in items:
        item.outcome = item.outcome or Outcome(outcomes.FAILED, f"not_sent: {tally.bulk.aborted}", "index")
        tally.count(item)
    return tally


def _prepared(pages: Iterable[PageLike | Mapping[str, Any]], moment: datetime) -> Iterator[Prepared]:
    for page in pages:
        item = Prepared(RawPage(_url_of(page), b"", moment))
        try:
            item.document = from_page(page, ingested_at=moment)
        except DocumentError as exc:
            item.outcome = outcomes.of_invalid(str(exc))
        yield item


def _id_or_blank(url: str) -> str:
    try:
        return document_id(url)
    except DocumentError:
        return ""


def _url_of(page: PageLike | Mapping[str, Any]) -> str:
    fields = page if isinstance(page, Mapping) else page.to_dict()
    return str(fields.get("url") or "")
