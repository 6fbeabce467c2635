"""Read-after-write: a finished ingest job is reported only once its pages can be found.

Pages become searchable at Elasticsearch's next refresh (``refresh_interval``, 1 s), so a job
whose last page was written a moment ago would be reported done to a reader who then finds
nothing. Whoever reports the end of a job (the worker that finished its last page, `pagesift
ingest --wait`, the console and the admin API) calls :func:`settle` first: a refresh of the
write alias, once per job, recorded on the job. A refresh per job, not per batch, so ingest
throughput does not pay for it.
"""

from __future__ import annotations

from elasticsearch import Elasticsearch

from worker.jobs.model import Job
from worker.jobs.records import JobRecords


def settle(records: JobRecords, es: Elasticsearch, alias: str, job: Job) -> Job:
    """``job``, made searchable first when it is a finished ingest that is not yet."""
    if job.type != "ingest" or not job.finished_status or job.searchable is not None:
        return job
    es.indices.refresh(index=alias)
    records.mark_searchable(job.id)
    return records.get(job.id) or job
