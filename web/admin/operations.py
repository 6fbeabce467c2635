"""What an operator can do, shared by the console's forms and the admin API.

Each call hands work to the pipeline (:mod:`worker.submit`) or the index lifecycle; none does
the work itself in the web process, except the quick alias and takedown changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from flask import Flask
from werkzeug.exceptions import BadRequest, Conflict, NotFound, ServiceUnavailable

from indexer.index import takedown_list
from indexer.index.documents import DocumentError
from indexer.index.reindex import ReindexResult
from web import settings_of
from web.admin import services
from worker import reindex_job, submit
from worker.jobs import Job
from worker.jobs.searchable import settle
from worker.sources import Source, pushed

if TYPE_CHECKING:
    from web.admin_api.body import PageRequest

# The modes a queued reindex job can have: the worker's list, not a copy of it.
REINDEX_MODES = reindex_job.MODES


def job_or_404(app: Flask, job_id: str) -> Job:
    job = services.jobs(app).records.get(job_id)
    if job is None:
        raise NotFound(f"There is no job {job_id!r} (finished jobs are kept 30 days).")
    # A job reported finished here is searchable: the console and the CMS webhook poll this.
    return settle(services.jobs(app).records, services.es(app), services.names(app).write_alias, job)


def ingest(app: Flask, sources: Iterable[str], base_url: str | None = None) -> Job:
    return submit.ingest(services.celery(app), services.jobs(app).records, list(sources), base_url or None)


def publish(app: Flask, events: Sequence[PageRequest]) -> Job:
    """A CMS's page events as one ingest job: pushed pages and unpublishes staged as their
    URLs' latest states (see :mod:`worker.sources.pushed`), upserts without a page fetched."""
    namespace = settings_of(app).redis.namespace
    fetched: list[str | Source] = []
    staged: list[str] = []
    for event in events:
        if event.action == "upsert" and event.page is None:
            fetched.append(event.url)
            continue
        state = (pushed.published(event.url, event.page) if event.page is not None
                 else pushed.Pushed(event.url, pushed.UNPUBLISHED))
        pushed.stage(services.store(app), namespace, state)
        staged.append(event.url)
    # The pushed pages as one source, so one batch: a moved post's old address leaves the
    # index in the same write that adds its new one, which then is no copy of the old.
    sources = [*fetched, *([pushed.source(staged)] if staged else [])]
    return submit.ingest(services.celery(app), services.jobs(app).records, sources)


def reindex(app: Flask, mode: str) -> Job:
    if mode not in REINDEX_MODES:
        raise ValueError(f"mode must be one of {', '.join(REINDEX_MODES)}")
    return submit.reindex(services.celery(app), services.jobs(app).records, mode)


def retry(app: Flask, job_id: str) -> int:
    """Failed pages back on the queue; how many."""
    job = job_or_404(app, job_id)
    if job.type != "ingest":
        raise Conflict("Only an ingest job's pages can be retried; start a new reindex instead.")
    batch_size = settings_of(app).worker.ingest_batch_size
    return submit.retry(services.celery(app), services.jobs(app).ledger, job_id, batch_size)


def cancel(app: Flask, job_id: str) -> bool:
    """True when the job was queued or running and is now cancelled."""
    job_or_404(app, job_id)
    return services.jobs(app).records.cancel(job_id)


def rollback(app: Flask, by: str = "the console") -> tuple[Job, ReindexResult]:
    """Aliases back to the previous index (under the reindex lock: never during a rebuild),
    recorded as a reindex job like every other; Conflict, with the job's reason, when refused."""
    jobs = services.jobs(app)
    job_id, result = reindex_job.run_here(jobs, services.es(app), services.store(app),
                                          settings_of(app), reindex_job.ROLLBACK, by)
    job = jobs.records.get(job_id)
    assert job is not None
    if result is None:
        # The job says why: "a reindex of 'pages' is already running", no previous index, ...
        raise Conflict(job.error or "the rollback did not run")
    if not result.swapped:
        raise Conflict(result.refused or "the previous index was not swapped in")
    return job, result


def take_down(app: Flask, url: str, reason: str, by: str) -> takedown_list.Takedown:
    settings = settings_of(app)
    try:
        return takedown_list.remove(services.es(app), services.names(app), services.store(app),
                                    settings.redis.namespace, url, reason, by)
    except DocumentError as exc:
        raise BadRequest(str(exc)) from exc
    except takedown_list.TakedownIncomplete as exc:
        raise ServiceUnavailable(str(exc)) from exc
