"""Rebuild the index without downtime: ``reclean`` (raw store through the current cleaner)
and ``migrate`` (the current index into the current mapping), plus ``rollback``.

Every rebuild runs under the reindex lock and the same steps: a new concrete index built with
refresh and replicas off, the writes that reached the live index meanwhile caught up, counts
checked, both aliases swapped in one call, a second catch-up for writes that raced the swap,
old indices pruned. Writers keep using the write alias throughout; external versions
(``ingested_at``) make the catch-ups safe to repeat and unable to overwrite newer writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from elasticsearch import Elasticsearch
from redis import Redis

from indexer.config import Settings
from indexer.index import lifecycle, mapping, raw_store, transfer
from indexer.index.bulk import BulkOptions, BulkReport
from indexer.index.duplicates import DuplicateFinder
from indexer.index.indexing import index_stream
from indexer.index.locking import reindex_lock
from indexer.index.mapping import IndexSpec
from indexer.index.names import IndexNames
from indexer.index.recleaning import recleaned

# How far before a build started a catch-up looks: covers a writer that stamped a page with
# ingested_at, then took this long to send it.
CATCH_UP_MARGIN = timedelta(minutes=5)


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
    report: BulkReport
    swapped: bool = False
    refused: str | None = None
    count: int = 0
    previous_count: int = 0
    pruned: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"mode": self.mode, "source": self.source, "target": self.target, "swapped": self.swapped,
                "refused": self.refused, "count": self.count, "previous_count": self.previous_count,
                "pruned": self.pruned, "report": self.report.summary()}


@dataclass(frozen=True)
class _Run:
    client: Elasticsearch
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
    run = _run(client, settings, progress)
    with reindex_lock(redis, settings, wait=wait):
        raw_store.ensure(client, run.names)
        lifecycle.install_template(client, run.names, run.spec)
        expected = raw_store.count(client, run.names)
        if progress is not None:
            progress.total(expected)
        source = lifecycle.current_index(client, run.names)
        return _rebuild(run, "reclean", source, lambda target: _fill_from_raw(run, target, expected))


def migrate(client: Elasticsearch, redis: Redis, settings: Settings, *, wait: bool = False,
            progress: ProgressSink | None = None) -> ReindexResult:
    """Copy the live index into a new one with the current mapping."""
    run = _run(client, settings, progress)
    with reindex_lock(redis, settings, wait=wait):
        lifecycle.install_template(client, run.names, run.spec)
        source = lifecycle.current_index(client, run.names)
        if source is None:
            raise ReindexError("there is no index to migrate: run `pagesift index init` first")
        if progress is not None:
            progress.total(_count(client, source))
        return _rebuild(run, "migrate", source, lambda target: _fill_from_index(run, source, target))


def rollback(client: Elasticsearch, redis: Redis, settings: Settings, *, wait: bool = False) -> ReindexResult:
    """Point the aliases back at the previous index, then copy into it what was written to
    the index being left since that index was built."""
    run = _run(client, settings, None)
    with reindex_lock(redis, settings, wait=wait):
        current = lifecycle.current_index(client, run.names)
        previous = lifecycle.previous_index(client, run.names)
        built = run.names.parse(current or "")
        if current is None or previous is None or built is None:
            raise ReindexError("there is no previous index to roll back to")
        lifecycle.swap(client, run.names, previous)
        report = transfer.catch_up(client, current, previous, built.created - CATCH_UP_MARGIN, run.options)
        client.indices.refresh(index=previous)
        return ReindexResult("rollback", current, previous, report, swapped=True,
                             count=_count(client, previous), previous_count=_count(client, current))


def _run(client: Elasticsearch, settings: Settings, progress: ProgressSink | None) -> _Run:
    return _Run(client, settings, IndexNames.from_settings(settings), mapping.load("pages"),
                BulkOptions.from_settings(settings), progress)


def _fill_from_raw(run: _Run, target: str, expected: int) -> BulkReport:
    tally = BulkReport()
    raws = raw_store.iterate(run.client, run.names)
    finder = DuplicateFinder(run.client, target)
    report = index_stream(run.client, target, recleaned(raws, run.settings, tally), run.options, finder,
                          run.advance)
    run.advance(tally.total)
    report.merge(tally)
    if report.total < expected and report.aborted is None:
        report.aborted = f"read {report.total} of the {expected} raw pages"
    return report


def _fill_from_index(run: _Run, source: str, target: str) -> BulkReport:
    return transfer.copy_index(run.client, source, target, run.options, run.advance)


def _rebuild(run: _Run, mode: str, source: str | None, fill: Callable[[str], BulkReport]) -> ReindexResult:
    started = datetime.now(UTC)
    target = lifecycle.create_index(run.client, run.names, run.spec, building=True)
    try:
        report = fill(target)
        lifecycle.finish_build(run.client, target, run.spec)
        result = ReindexResult(mode, source, target, report)
        _switch(run, result, started)
    except BaseException:
        lifecycle.delete_index(run.client, target)
        raise
    if not result.swapped:
        lifecycle.delete_index(run.client, target)
    return result


def _switch(run: _Run, result: ReindexResult, started: datetime) -> None:
    """Catch up, check, swap, catch up again, prune; or record why the swap was refused."""
    caught_from = datetime.now(UTC)
    if result.source is not None:
        _catch_up(run, result, started)
    result.refused = _refusal(run, result)
    if result.refused is not None:
        return
    lifecycle.swap(run.client, run.names, result.target)
    result.swapped = True
    if result.source is not None:
        _catch_up(run, result, caught_from)
    result.pruned = lifecycle.prune(run.client, run.names, run.settings.reindex_keep)


def _catch_up(run: _Run, result: ReindexResult, since: datetime) -> None:
    assert result.source is not None
    report = transfer.catch_up(run.client, result.source, result.target, since - CATCH_UP_MARGIN, run.options)
    result.report.merge(report)
    run.client.indices.refresh(index=result.target)


def _refusal(run: _Run, result: ReindexResult) -> str | None:
    """Why the new index must not go live, if it must not."""
    report, limit = result.report, run.settings.reindex_max_failure_share
    if report.aborted:
        return f"the build stopped: {report.aborted}"
    if report.failure_share() > limit:
        return (f"{report.failed} of {report.total} pages failed ({report.failure_share():.2%}, "
                f"more than {limit:.2%})")
    result.count = _count(run.client, result.target)
    if result.count != report.counts["created"]:
        return (f"{report.counts['created']} documents were acknowledged but the index holds "
                f"{result.count}: refusing to go live with a gap")
    if result.source is not None:
        result.previous_count = _count(run.client, result.source)
        if result.count < result.previous_count * (1 - limit):
            return f"the index would shrink from {result.previous_count} to {result.count} documents"
    return None


def _count(client: Elasticsearch, index: str) -> int:
    client.indices.refresh(index=index)
    return int(client.count(index=index)["count"])
