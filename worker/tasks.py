"""The Celery tasks. Each takes ids, URLs or a small batch of page references, never page bodies.

Tasks are idempotent: a page already final in the ledger is not redone, and documents are
keyed by a hash of their URL, so a redelivery (acks_late after a worker died, the reconciler,
an autoretry) changes nothing that was done.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import elasticsearch
from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.log import get_task_logger

from indexer.index import takedown_list
from worker import batch, expand, submit
from worker.app import settings_of
from worker.context import Context, context, ensure_indices
from worker.sources import PageRef, Source, SourceError

log = get_task_logger(__name__)

# Worth another try later: the services or the network were away, or busy.
TRANSIENT: tuple[type[BaseException], ...] = batch.SERVICE_ERRORS
RETRYING: dict[str, Any] = {
    "bind": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 12,
}
# Pages accepted into the ledger per round trip while a source is expanded.
ACCEPT_CHUNK = 500


@contextmanager
def _es_busy_is_transient() -> Iterator[None]:
    """Elasticsearch 429 and 5xx answers become retryable; 4xx stay errors."""
    try:
        yield
    except elasticsearch.ApiError as exc:
        if exc.meta.status == 429 or exc.meta.status >= 500:
            raise batch.ServiceUnavailable(f"Elasticsearch answered {exc.meta.status}") from exc
        raise


def _ctx(task: Task) -> Context:
    return context(settings_of(task.app))


@shared_task(name=submit.START_INGEST, **RETRYING)
def start_ingest(self: Task, job_id: str) -> None:
    ctx = _ctx(self)
    job = ctx.jobs.records.get(job_id)
    if job is None or not ctx.jobs.records.mark_running(job_id):
        return
    with _es_busy_is_transient():
        ensure_indices(ctx.settings)
    source: Source | None = None
    try:
        for params in job.params.get("sources", []):
            source = Source(**params)
            _expand(self, ctx, job_id, source, job.params.get("base_url"))
    except (SourceError, OSError, ValueError) as exc:
        ctx.jobs.records.fail(job_id, f"source: {exc}")
        return
    except SoftTimeLimitExceeded:
        _expansion_cut_short(ctx, job_id, source)
    except TRANSIENT:
        raise
    except Exception as exc:
        # Whatever else stops an expansion ends its job with the reason, never leaves it running.
        log.exception("job %s: expanding %s failed", job_id, source.location if source else "sources")
        ctx.jobs.records.fail(job_id, f"source: internal: {type(exc).__name__}: {exc}")
        return
    ctx.jobs.ledger.expansion_done(job_id)


def _expansion_cut_short(ctx: Context, job_id: str, source: Source | None) -> None:
    """Expanding the sources took longer than a task may run (a sitemap index of thousands of
    sitemaps at the politeness delay): the pages accepted so far go on and finish, and the
    source is recorded as a failure, so the job ends failed with the reason, not running
    forever."""
    where = source.location if source else "sources"
    limit = ctx.settings.worker.task_soft_time_limit
    log.warning("job %s: expanding %s stopped at the task time limit (%d s)", job_id, where, limit)
    ctx.jobs.ledger.add_pages(job_id, [{"url": where}])
    ctx.jobs.ledger.finish_page(job_id, where, "failed",
                                f"expansion stopped at the task time limit ({limit} s, "
                                "PAGESIFT_TASK_SOFT_TIME_LIMIT); the pages read before it are ingested, "
                                "the rest of this source was not read: split it or raise the limit",
                                "expand")


def _expand(task: Task, ctx: Context, job_id: str, source: Source, base_url: str | None) -> None:
    chunk: list[expand.Found] = []
    try:
        for found in expand.refs(source, ctx.fetcher, base_url, ctx.settings.fetch.max_bytes):
            chunk.append(found)
            if len(chunk) >= ACCEPT_CHUNK:
                _accept(task, ctx, job_id, chunk)
                chunk = []
    except SoftTimeLimitExceeded:
        _accept(task, ctx, job_id, chunk)  # what was read before the limit is kept
        raise
    _accept(task, ctx, job_id, chunk)


def _accept(task: Task, ctx: Context, job_id: str, found: list[expand.Found]) -> None:
    """Into the ledger first, then onto the queue: a page is never queued unaccounted."""
    refs = [f.to_dict() for f in found if isinstance(f, PageRef)]
    unreadable = [f for f in found if isinstance(f, expand.Unreadable)]
    ctx.jobs.ledger.add_pages(job_id, refs + [u.to_dict() for u in unreadable])
    for problem in unreadable:
        ctx.jobs.ledger.finish_page(job_id, problem.url, "failed", problem.reason, "expand")
    submit.enqueue_refs(task.app, job_id, refs, ctx.settings)


@shared_task(name=submit.READ_SITEMAP_AGAIN, **RETRYING)
def read_sitemap_again(self: Task, job_id: str, ref: dict[str, Any]) -> None:
    """A failed sitemap retried: its pages accepted and queued first, then the entry itself
    made final, so the job cannot close before the pages it lists are in its ledger."""
    ctx = _ctx(self)
    job = ctx.jobs.records.get(job_id)
    if job is None or job.status != "running":
        return
    url = str(ref["url"])
    try:
        found = list(expand.sitemap_again(url, str(ref.get("path") or url), ctx.fetcher,
                                          ctx.settings.fetch.max_bytes))
    except TRANSIENT:
        raise
    except Exception as exc:  # the entry fails with the reason rather than staying queued
        log.exception("job %s: reading sitemap %s again failed", job_id, url)
        reason = f"sitemap: internal: {type(exc).__name__}: {exc}"
        ctx.jobs.ledger.finish_page(job_id, url, "failed", reason, "expand")
        return
    _accept(self, ctx, job_id, found)
    pages = sum(1 for f in found if isinstance(f, PageRef))
    ctx.jobs.ledger.finish_page(job_id, url, "skipped", f"sitemap: read again, {pages} pages", "expand")


@shared_task(name=submit.PROCESS_BATCH, **RETRYING)
def process_batch(self: Task, job_id: str, refs: list[dict[str, Any]]) -> None:
    ctx = _ctx(self)
    job = ctx.jobs.records.get(job_id)
    if job is None or job.status != "running":
        return
    pages = [PageRef.from_dict(r) for r in refs]
    if len(pages) > 1 and ctx.jobs.ledger.unfinished(job_id, [p.url for p in pages]):
        # A try of this batch died unfinished (a worker killed, the time limit): one of its
        # pages may be the cause, so each goes on alone and only its own tries count.
        log.warning("job %s: batch of %d had unfinished tries, split into single pages", job_id, len(pages))
        for ref in refs:
            submit.enqueue_pages(self.app, job_id, [ref], 1)
        return

    def requeue(again: list[PageRef], delay: float) -> None:
        submit.enqueue_pages(self.app, job_id, [p.to_dict() for p in again], len(again), countdown=delay)

    try:
        with _es_busy_is_transient():
            ensure_indices(ctx.settings)
            batch.run_batch(ctx, job_id, pages, requeue, job.started or 0.0)
    except SoftTimeLimitExceeded:
        # Pages already final are not redone, so the whole batch can go back as it is.
        log.warning("job %s: batch over its time limit, re-enqueued", job_id)
        submit.enqueue_pages(self.app, job_id, refs, len(refs))


@shared_task(name="worker.tasks.reconcile", **RETRYING)
def reconcile(self: Task) -> int:
    """Re-enqueue pages accepted but not finished within ``reconcile_after`` seconds, and finish
    takedowns an Elasticsearch failure left pending."""
    ctx = _ctx(self)
    for done in takedown_list.resume(ctx.es, ctx.names, ctx.redis, ctx.settings.redis.namespace):
        log.warning("pending takedown of %s finished", done.url)
    older_than = time.time() - ctx.settings.worker.reconcile_after
    total = 0
    for job_id in ctx.jobs.records.active_ids():
        refs = ctx.jobs.ledger.stale_refs(job_id, older_than)
        if refs:
            log.warning("job %s: %d pages not finished in time, re-enqueued", job_id, len(refs))
            submit.enqueue_refs(self.app, job_id, refs, ctx.settings)
            total += len(refs)
    return total


@shared_task(name="worker.tasks.recrawl", **RETRYING)
def recrawl(self: Task, source: str) -> str:
    """A scheduled re-crawl is an ordinary ingest job, listed with the others."""
    ctx = _ctx(self)
    return submit.ingest(self.app, ctx.jobs.records, [source]).id


@shared_task(name=submit.RUN_REINDEX, bind=True)
def run_reindex(self: Task, job_id: str) -> None:
    """``reclean`` or ``migrate`` under the reindex lock, reported in the job's counts.

    Not retried automatically: a half-finished build is abandoned, never swapped, and running
    it again starts a fresh one; the operator decides. Its time limits come with the message
    (see :func:`worker.submit.reindex`), since a rebuild outlasts ordinary tasks.
    """
    from worker import reindex_job

    ctx = _ctx(self)
    try:
        reindex_job.run(ctx.jobs, ctx.es, ctx.redis, ctx.settings, job_id)
    except SoftTimeLimitExceeded:
        ctx.jobs.records.fail(job_id, "over its time limit; raise PAGESIFT_WORKER_VISIBILITY_TIMEOUT")
        raise
