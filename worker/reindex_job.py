"""A reindex as a job: the one routine the workers' task and `pagesift reindex` both run.

Whoever starts a rebuild (the console, the admin API, the command line with or without
``--job``), it is recorded in the job store, so every reindex is listed in the console with
its counts, its outcome and its result.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from worker.jobs import JobStore

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch
    from redis import Redis

    from indexer.config import Settings
    from indexer.index.reindex import ProgressSink, ReindexResult

MODES = ("reclean", "migrate")


class JobProgress:
    """A reindex's progress, written to its job at most about once a second, and passed on to
    ``also`` (the command line's bar) as it comes."""

    def __init__(self, jobs: JobStore, job_id: str, also: ProgressSink | None = None) -> None:
        self._jobs, self._job_id, self._also = jobs, job_id, also
        self._pending, self._last = 0, time.monotonic()

    def total(self, count: int) -> None:
        self._jobs.progress(self._job_id, total=count)
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
            self._jobs.progress(self._job_id, indexed=self._pending)
        self._pending, self._last = 0, time.monotonic()


def run(jobs: JobStore, es: Elasticsearch, redis: Redis, settings: Settings, job_id: str, *,
        wait: bool = False, also: ProgressSink | None = None) -> ReindexResult | None:
    """Run the reindex job ``job_id`` here and close it; its result, or None when it did not
    run (taken already, cancelled, refused: the job's ``error`` says why)."""
    from indexer.index import reindex
    from indexer.index.locking import ReindexBusy

    job = jobs.get(job_id)
    if job is None or not jobs.mark_running(job_id):
        return None
    mode = str(job.params.get("mode"))
    rebuild = {"reclean": reindex.reclean, "migrate": reindex.migrate}.get(mode)
    if rebuild is None:
        jobs.fail(job_id, f"unknown reindex mode {mode!r}")
        return None
    progress = JobProgress(jobs, job_id, also)
    try:
        result = rebuild(es, redis, settings, wait=wait, progress=progress)
    except (ReindexBusy, reindex.ReindexError) as exc:
        jobs.fail(job_id, str(exc))
        return None
    progress.flush()
    record(jobs, job_id, result)
    return result


def record(jobs: JobStore, job_id: str, result: ReindexResult) -> None:
    """The rebuild's result and counts on its job, and the job closed."""
    summary: dict[str, Any] = result.summary()
    jobs.set_params(job_id, result={k: v for k, v in summary.items() if k != "report"})
    # Every page the build read, once: indexed, skipped (with reasons in the result) or failed.
    pages = result.pages
    jobs.set_counts(job_id, indexed=pages.states["indexed"], skipped=pages.states["skipped"],
                    failed=pages.failed)
    jobs.close(job_id, refusal(result))


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
