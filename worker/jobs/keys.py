"""Where a job lives in Redis: the one key scheme its record and its page ledger share.

Per job: its hash (status, counts, times), ``:pages`` (the ledger, one record per page) and
``:pending`` (pages not final, by when they were last touched). Per namespace: every job by
creation time, and the set of jobs still queued or running.
"""

from __future__ import annotations

from dataclasses import dataclass

# Finished jobs (and their ledgers) are kept this long, then Redis expires them.
KEEP_FINISHED = 30 * 24 * 3600


@dataclass(frozen=True)
class JobKeys:
    namespace: str

    def job(self, job_id: str) -> str:
        return f"{self.namespace}:job:{job_id}"

    def pages(self, job_id: str) -> str:
        return f"{self.job(job_id)}:pages"

    def pending(self, job_id: str) -> str:
        return f"{self.job(job_id)}:pending"

    @property
    def listed(self) -> str:
        return f"{self.namespace}:jobs"

    @property
    def active(self) -> str:
        return f"{self.namespace}:jobs:active"

    def owned(self, job_id: str) -> list[str]:
        """The keys that are this job's alone: deleted, expired and kept together."""
        return [self.job(job_id), self.pages(job_id), self.pending(job_id)]

    def transition(self, job_id: str) -> list[str]:
        """The KEYS every script of :mod:`worker.jobs.transitions` is given, in its order."""
        return [*self.owned(job_id), self.active]
