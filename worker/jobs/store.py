"""A namespace's jobs in Redis, in three parts that share one key scheme (:mod:`worker.jobs.keys`).

``records``: each job's status, counts, times and parameters (:mod:`worker.jobs.records`);
``ledger``: an ingest's pages, one record each (:mod:`worker.jobs.ledger`); ``counts``: the
counts of a job without a ledger, a reindex (:mod:`worker.jobs.progress`).
"""

from __future__ import annotations

import redis

from worker.jobs.keys import JobKeys
from worker.jobs.ledger import PageLedger
from worker.jobs.progress import JobCounts
from worker.jobs.records import JobRecords


class JobStore:
    def __init__(self, client: redis.Redis, namespace: str) -> None:
        self.records = JobRecords(client, JobKeys(namespace))
        self.ledger = PageLedger(client, self.records)
        self.counts = JobCounts(client, self.records.keys)
