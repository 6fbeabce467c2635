"""A reindex as a job: the one routine the workers' task and `pagesift reindex` both run.

Whoever starts a rebuild (the console, the admin API, the command line with or without
``--job``), it is recorded in the job store, so every reindex is listed in the console with
its counts, its outcome and its result.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from worker.jobs import JobStore
from worker.jobs.progress import JobCounts

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch
    from redis import Redis

    from indexer.config import Settings
    from indexer.index.reindex import ProgressSink, ReindexResult

# What a worker runs as a queued job; a rollback is quick and runs where it was asked for
# (`run_here`), recorded as a job all the same.
MODES = ("reclean", "migrate")
ROLLBACK = "rollback"


class JobProgress:
    """A reindex's progress, written to its job at most about once a second, and passed on to
    ``also`` (the command line's bar) as it comes. The rebuild knows its pages' outcomes only
    at the end (:func:`record`): until then every page read counts as indexed."""

    def __init__(self, counts: JobCounts, job_id: str, also: ProgressSink | None = None) -> None:
        self._counts, self._job_id, self._also = counts, job_id, also
        self._pending, self._last = 0, time.monotonic()

    def total(self, count: int) -> None:
        self._counts.expect(self._job_id, count)
        if self._also is not None:
            self._also.total(count)

    def advance(self, count: int) -> None:
        self._pending += count
        if self._also is not None:
            self._also.advance(count)
        if time.monotonic() - self._last >= 1.0:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self._counts.add(self._job_id, indexed=self._pending)
        self._pending, self._last = 0, time.monotonic()


def run(jobs: JobStore, es: Elasticsearch, redis: Redis, settings: Settings, job_id: str, *,
        wait: bool = False, also: ProgressSink | None = None) -> ReindexResult | None:
    """Run the reindex job ``job_id`` here and close it; its result, or None when it did not
    run (taken already, cancelled, refused: the job's ``error`` says why)."""
    from indexer.index import reindex
    from indexer.index.locking import ReindexBusy

    records = jobs.records
    job = records.get(job_id)
    if job is None or not records.mark_running(job_id):
        return None
    mode = str(job.params.get("mode"))
    rebuild = {"reclean": reindex.reclean, "migrate": reindex.migrate, ROLLBACK: _rollback}.get(mode)
    if rebuild is None:
        records.fail(job_id, f"unknown reindex mode {mode!r}")
        return None
    progress = JobProgress(jobs.counts, job_id, also)
    try:
        result = rebuild(es, redis, settings, wait=wait, progress=progress)
    except (ReindexBusy, reindex.ReindexError) as exc:
        records.fail(job_id, str(exc))
        return None
    progress.flush()
    record(jobs, job_id, result)
    return result


def run_here(jobs: JobStore, es: Elasticsearch, redis: Redis, settings: Settings, mode: str,
             runner: str, *, wait: bool = False, also: ProgressSink | None = None,
             announce: Callable[[str], None] | None = None) -> tuple[str, ReindexResult | None]:
    """A new reindex job of ``mode`` run in this process (the command line, the console's
    rollback): its id (told to ``announce`` before it starts) and result. Interrupted or
    crashed, the job is closed as failed, never left "running"."""
    job = jobs.records.create("reindex", {"mode": mode, "runner": runner})
    if announce is not None:
        announce(job.id)
    try:
        return job.id, run(jobs, es, redis, settings, job.id, wait=wait, also=also)
    except BaseException as exc:
        jobs.records.fail(job.id, f"stopped: {type(exc).__name__}: {exc}".rstrip(": "))
        raise


def _rollback(es: Elasticsearch, redis: Redis, settings: Settings, *, wait: bool = False,
              progress: ProgressSink | None = None) -> ReindexResult:
    from indexer.index import reindex

    # Aliases swapped back and recent writes copied: no pages to count as it goes.
    return reindex.rollback(es, redis, settings, wait=wait)


def record(jobs: JobStore, job_id: str, result: ReindexResult) -> None:
    """The rebuild's result and counts on its job, and the job closed."""
    summary: dict[str, Any] = result.summary()
    jobs.records.set_params(job_id, result={k: v for k, v in summary.items() if k != "report"})
    # Every page the build read, once: indexed, skipped (with reasons in the result) or failed.
    pages = result.pages
    jobs.counts.replace(job_id, indexed=pages.states["indexed"], skipped=pages.states["skipped"],
                        failed=pages.failed)
    jobs.records.close(job_id, refusal(result))


def refusal(result: ReindexResult) -> str:
    """Why the rebuild did not do its work, or "" when the new index is live and complete
    (page failures within the allowed share make it a partial success, not a failure)."""
    if result.after_swap:
        return (f"the new index {result.target} is live, but the work after the swap stopped "
                f"({result.after_swap}): writes made during the swap may be missing from it; "
                "run a migrate to be sure")
    if result.refused or not result.swapped:
        return result.refused or "the new index was not swapped in"
    return ""
