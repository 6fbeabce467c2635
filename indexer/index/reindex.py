"""Rebuild the index without downtime: ``reclean`` (raw store through the current cleaner)
and ``migrate`` (the current index into the current mapping), plus ``rollback``.

Every rebuild runs under the reindex lock and the same steps: the live index's write marks
taken, a new concrete index built with refresh and replicas off, the writes that reached the
live index since the marks caught up, counts checked, both aliases swapped in one call, more
catch-ups for writes that raced the swap, old indices pruned. Writers keep using the write
alias throughout; external versions (``ingested_at``) make catch-ups unable to overwrite
newer writes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from elasticsearch import Elasticsearch
from redis import Redis

from indexer import embedding
from indexer.config import Settings
from indexer.index import lifecycle, mapping, raw_store, removals, takedown_list, transfer
from indexer.index.bulk import BulkOptions, BulkReport
from indexer.index.documents import document_id
from indexer.index.duplicates import DuplicateFinder
from indexer.index.indexing import Indexer, Registry, Tally
from indexer.index.locking import reindex_lock
from indexer.index.mapping import IndexSpec
from indexer.index.names import IndexNames
from indexer.index.recleaning import recleaned
from indexer.index.transfer import Marks

# A rollback has no marks: it copies what was ingested since the index it leaves was built,
# and this much earlier, for a writer that stamped a page then took this long to send it.
ROLLBACK_MARGIN = timedelta(minutes=5)
# Catch-up passes after the swap, until one finds nothing: bulk requests that resolved the
# write alias just before the swap may still land in the old index.
FINAL_PASSES = 3
FINAL_PASS_PAUSE = 0.5


class ProgressSink(Protocol):
    """What a rebuild reports to: a tqdm bar on the command line, job state in a task."""

    def total(self, count: int) -> None: ...

    def advance(self, count: int) -> None: ...


class ReindexError(RuntimeError):
    """A rebuild or rollback that cannot start (nothing to migrate, nothing to roll back to)."""


@dataclass
class ReindexResult:
    mode: str
    source: str | None
    target: str
    # The bulk requests' counts: the build's and its catch-ups'.
    report: BulkReport
    # Every page (reclean) or document (migrate) the build read, by outcome, once each.
    pages: Tally = field(default_factory=Tally)
    swapped: bool = False
    refused: str | None = None
    # What went wrong after the swap (the new index is live; the old one is kept).
    after_swap: str | None = None
    count: int = 0
    previous_count: int = 0
    removed: int = 0
    pruned: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"mode": self.mode, "source": self.source, "target": self.target, "swapped": self.swapped,
                "refused": self.refused, "after_swap": self.after_swap, "count": self.count,
                "previous_count": self.previous_count, "removed": self.removed, "pruned": self.pruned,
                "pages": self.pages.summary(), "report": self.report.summary()}


@dataclass(frozen=True)
class _Run:
    client: Elasticsearch
    redis: Redis
    settings: Settings
    names: IndexNames
    spec: IndexSpec
    options: BulkOptions
    progress: ProgressSink | None

    def advance(self, count: int) -> None:
        if self.progress is not None:
            self.progress.advance(count)


def reclean(client: Elasticsearch, redis: Redis, settings: Settings, *, wait: bool = False,
            progress: ProgressSink | None = None) -> ReindexResult:
    """Rebuild from the raw store with the current cleaner."""
    run = _run(client, redis, settings, progress)
    with reindex_lock(redis, settings, wait=wait):
        raw_store.ensure(client, run.names)
        lifecycle.install_template(client, run.names, run.spec)
        source = lifecycle.current_index(client, run.names)
        return _rebuild(run, "reclean", source, lambda target: _fill_from_raw(run, target))


def migrate(client: Elasticsearch, redis: Redis, settings: Settings, *, wait: bool = False,
            progress: ProgressSink | None = None) -> ReindexResult:
    """Copy the live index into a new one with the current mapping."""
    run = _run(client, redis, settings, progress)
    with reindex_lock(redis, settings, wait=wait):
        lifecycle.install_template(client, run.names, run.spec)
        source = lifecycle.current_index(client, run.names)
        if source is None:
            raise ReindexError("there is no index to migrate: run `pagesift index init` first")
        return _rebuild(run, "migrate", source, lambda target: _fill_from_index(run, source, target))


def rollback(client: Elasticsearch, redis: Redis, settings: Settings, *, wait: bool = False) -> ReindexResult:
    """Point the aliases back at the previous index, then copy into it what was written to
    the index being left since that index was built."""
    run = _run(client, redis, settings, None)
    with reindex_lock(redis, settings, wait=wait):
        current = lifecycle.current_index(client, run.names)
        previous = lifecycle.previous_index(client, run.names)
        built = run.names.parse(current or "")
        if current is None or previous is None or built is None:
            raise ReindexError("there is no previous index to roll back to")
        since = (built.created - ROLLBACK_MARGIN).timestamp()
        # Removals first, so readers never see a removed page again; once more after the swap
        # for one made in between (later ones go through the write alias to ``previous``).
        replayed_from = time.time()
        removed = _replay_removals(run, previous, since)
        lifecycle.swap_back(client, run.names, previous)
        report = transfer.copy_ingested_since(client, current, previous, built.created - ROLLBACK_MARGIN,
                                              run.options)
        removed += _replay_removals(run, previous, replayed_from)
        return ReindexResult("rollback", current, previous, report, swapped=True, removed=removed,
                             count=_count(client, previous), previous_count=_count(client, current))


def _run(client: Elasticsearch, redis: Redis, settings: Settings, progress: ProgressSink | None) -> _Run:
    return _Run(client, redis, settings, IndexNames.from_settings(settings.index), mapping.load("pages"),
                BulkOptions.from_settings(settings.index), progress)


def _registry(run: _Run) -> Registry:
    return Registry(run.redis, run.settings.redis.namespace, run.names.prefix)


def _replay_removals(run: _Run, index: str, since: float) -> int:
    return removals.replay(run.client, index, run.redis, run.settings.redis.namespace, run.names.prefix,
                           since)


def _fill_from_raw(run: _Run, target: str) -> Tally:
    expected = raw_store.count(run.client, run.names)
    if run.progress is not None:
        run.progress.total(expected)
    raws = raw_store.iterate(run.client, run.names)
    embedder = embedding.for_mapping(run.settings.search.embedding_model, run.spec)
    indexer = Indexer(run.client, target, run.options, DuplicateFinder(run.client, target), _registry(run),
                      embedder)
    tally = indexer.stream(recleaned(raws, run.settings), run.advance)
    if tally.total < expected and tally.bulk.aborted is None:
        tally.bulk.aborted = f"read {tally.total} of the {expected} raw pages"
    return tally


def _fill_from_index(run: _Run, source: str, target: str) -> Tally:
    if run.progress is not None:
        run.progress.total(_count(run.client, source))
    return Tally.of_copy(transfer.copy_index(run.client, source, target, run.options, run.advance))


def _rebuild(run: _Run, mode: str, source: str | None, fill: Callable[[str], Tally]) -> ReindexResult:
    # Marks first, before anything is read for the build: whatever is written after them is
    # caught up, whatever before them is visible to the build's own reads.
    seen = transfer.marks(run.client, source) if source is not None else {}
    started = time.time()
    target = lifecycle.create_index(run.client, run.names, run.spec, building=True)
    result = ReindexResult(mode, source, target, BulkReport())
    try:
        result.pages = fill(target)
        result.report = result.pages.bulk
        lifecycle.finish_build(run.client, target, run.spec)
        _switch(run, result, seen, started)
    except BaseException as exc:
        # Once swapped, the target is the live index: a failure after that (a catch-up, the
        # prune, the task's time limit) must never delete it. It is reported instead.
        if not result.swapped:
            lifecycle.delete_index(run.client, target)
            raise
        result.after_swap = f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, Exception):
            raise
    if not result.swapped:
        lifecycle.delete_index(run.client, target)
    return result


def _switch(run: _Run, result: ReindexResult, seen: Marks, started: float) -> None:
    """Catch up, apply the build's takedowns, check, swap, catch up until nothing more
    arrives, prune; or record why the swap was refused."""
    if result.source is not None:
        seen = _catch_up(run, result, seen)
    taken_down = _apply_takedowns(run, result.target, started)
    result.refused = _refusal(run, result, taken_down)
    if result.refused is not None:
        return
    lifecycle.swap(run.client, run.names, result.target)
    result.swapped = True
    for _ in range(FINAL_PASSES if result.source is not None else 0):
        time.sleep(FINAL_PASS_PAUSE)
        latest = _catch_up(run, result, seen)
        if latest == seen:
            break
        seen = latest
    result.count = _count(run.client, result.target)
    result.pruned = lifecycle.prune(run.client, run.names, run.settings.index.reindex_keep)


def _catch_up(run: _Run, result: ReindexResult, seen: Marks) -> Marks:
    """Copy what was written to the source after ``seen``; the source's marks now."""
    assert result.source is not None
    latest = transfer.marks(run.client, result.source)
    if latest != seen:
        report = transfer.copy_written_after(run.client, result.source, result.target, seen, run.options)
        result.report.merge(report)
        run.client.indices.refresh(index=result.target)
    return latest


def _apply_takedowns(run: _Run, target: str, since: float) -> int:
    """Pages taken down while ``target`` was built: out of it, and how many it had held.

    A takedown removes the page from every index, this one included; but a page the build
    read from the raw store just before its takedown reaches this index after it, and would
    come back at the swap: it is removed here.
    """
    removed = 0
    for record in takedown_list.since(run.redis, run.settings.redis.namespace, since):
        if target in record.indices:
            removed += 1
            continue
        answer = run.client.options(ignore_status=404).delete(index=target, id=document_id(record.url),
                                                              refresh=True)
        if answer.body.get("result") == "deleted":
            removed += 1
    return removed


def _refusal(run: _Run, result: ReindexResult, taken_down: int) -> str | None:
    """Why the new index must not go live, if it must not. ``taken_down``: documents the
    build made that takedowns removed since (not a gap)."""
    report, limit = result.report, run.settings.index.reindex_max_failure_share
    pages = result.pages
    if report.aborted:
        return f"the build stopped: {report.aborted}"
    if pages.failure_share() > limit:
        return (f"{pages.failed} of {pages.total} pages failed ({pages.failure_share():.2%}, "
                f"more than {limit:.2%})")
    result.count = _count(run.client, result.target)
    if result.count != report.counts["created"] - taken_down:
        return (f"{report.counts['created']} documents were acknowledged, {taken_down} taken down "
                f"since, but the index holds {result.count}: refusing to go live with a gap")
    if result.source is not None:
        result.previous_count = _count(run.client, result.source)
        if result.count < result.previous_count * (1 - limit):
            return f"the index would shrink from {result.previous_count} to {result.count} documents"
    return None


def _count(client: Elasticsearch, index: str) -> int:
    client.indices.refresh(index=index)
    return int(client.count(index=index)["count"])
