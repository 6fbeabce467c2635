"""Putting work on the queue: what the CLI, the web console and beat call."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from celery import Celery

from indexer.config import Settings
from worker.jobs import Job, JobRecords, PageLedger
from worker.sources import Source, classify
from worker.sources.refs import LOCAL_ORIGINS, host_of

START_INGEST = "worker.tasks.start_ingest"
PROCESS_BATCH = "worker.tasks.process_batch"
READ_SITEMAP_AGAIN = "worker.tasks.read_sitemap_again"
RUN_REINDEX = "worker.tasks.run_reindex"
# Seconds kept free under the visibility timeout for a delayed task's wait for a free worker.
VISIBILITY_MARGIN = 60


def producer(settings: Settings) -> Celery:
    from worker.app import create_celery

    return create_celery(settings)


def ingest(app: Celery, records: JobRecords, sources: Iterable[str | Source], base_url: str | None = None,
           *, wordpress: bool = False) -> Job:
    """A new ingest job for ``sources``. Local sources are checked here, so a typo is an error
    at once (SourceError) rather than a failed job; a :class:`Source` is taken as it is.
    ``wordpress``: the URLs are pages of WordPress sites, read through their REST API (see
    worker.wordpress_sync)."""
    parsed = [(s if isinstance(s, Source) else classify(s, wordpress=wordpress)).to_dict() for s in sources]
    job = records.create("ingest", {"sources": parsed, "base_url": base_url})
    app.send_task(START_INGEST, args=[job.id])
    return job


def reindex(app: Celery, records: JobRecords, mode: str) -> Job:
    """A reindex job (``reclean`` or ``migrate``). A rebuild may run far longer than a page
    batch: its limits stop just short of the visibility timeout, after which the broker would
    hand the same message to another worker."""
    job = records.create("reindex", {"mode": mode})
    visibility = int(app.conf.broker_transport_options.get("visibility_timeout", 3600))
    app.send_task(RUN_REINDEX, args=[job.id], soft_time_limit=max(visibility - 120, 60),
                  time_limit=max(visibility - 60, 90))
    return job


def enqueue_refs(app: Celery, job_id: str, refs: list[dict[str, Any]], settings: Settings) -> int:
    """Send newly accepted ``refs`` as pipeline tasks: local pages in batches of
    ``ingest_local_batch_size``, fetched ones in batches of ``ingest_batch_size``.

    A fetched page's batch is paced by the network and politeness delays, so it stays small
    (quick to redo after a crash, within its time limit); a local page costs only its
    cleaning, and each batch's round trips to Elasticsearch (a lookup, a duplicate search,
    a bulk request) then weigh per page, so local pages go in larger batches.
    """
    local = [r for r in refs if r.get("origin") in LOCAL_ORIGINS]
    fetched = [r for r in _sitemaps_sent(app, job_id, refs) if r.get("origin") not in LOCAL_ORIGINS]
    return (enqueue_pages(app, job_id, local, settings.worker.ingest_local_batch_size)
            + _enqueue_by_host(app, job_id, fetched, settings.worker.ingest_batch_size))


def _enqueue_by_host(app: Celery, job_id: str, refs: list[dict[str, Any]], batch_size: int) -> int:
    """Batches of one host each: a slow or busy host's batch holds up no other host's pages."""
    by_host: dict[str, list[dict[str, Any]]] = {}
    for ref in refs:
        by_host.setdefault(host_of(str(ref["url"])), []).append(ref)
    return sum(enqueue_pages(app, job_id, same, batch_size) for same in by_host.values())


def countdown_ceiling(app: Celery) -> float:
    """The longest countdown a task may be given without being delivered twice.

    On Redis, a worker takes a delayed message at once and holds it unacknowledged through
    the countdown and then its run (acks_late); past the visibility timeout the broker hands
    it to another worker as well. So countdown and the task's time limit must both fit in it.
    A visibility timeout shorter than the time limit (tests) leaves half of it for the wait.
    """
    visibility = float(app.conf.broker_transport_options.get("visibility_timeout", 3600))
    run = float(app.conf.task_time_limit or 0)
    return max(visibility - run - VISIBILITY_MARGIN, visibility / 2)


def enqueue_pages(app: Celery, job_id: str, refs: list[dict[str, Any]], batch_size: int,
                  countdown: float | None = None) -> int:
    """Send ``refs`` as pipeline tasks of ``batch_size`` pages; returns how many tasks.
    ``countdown`` (a Retry-After of up to an hour) is cut to :func:`countdown_ceiling`."""
    if countdown is not None:
        countdown = min(countdown, countdown_ceiling(app))
    sent = 0
    for start in range(0, len(refs), max(batch_size, 1)):
        app.send_task(PROCESS_BATCH, args=[job_id, refs[start:start + batch_size]], countdown=countdown)
        sent += 1
    return sent


def _sitemaps_sent(app: Celery, job_id: str, refs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Send the sitemaps among ``refs`` to be read again, one task each; returns the others."""
    for ref in refs:
        if ref.get("origin") == "sitemap":
            app.send_task(READ_SITEMAP_AGAIN, args=[job_id, ref])
    return [r for r in refs if r.get("origin") != "sitemap"]


def retry(app: Celery, ledger: PageLedger, job_id: str, batch_size: int) -> int:
    """Re-enqueue a job's failed pages alone, and read its failed sitemaps again; returns how
    many entries."""
    refs = ledger.retry_failed(job_id)
    _enqueue_by_host(app, job_id, _sitemaps_sent(app, job_id, refs), batch_size)
    return len(refs)
