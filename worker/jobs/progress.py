"""How a job's progress is counted and read, the same for an ingest and a reindex.

Counted: a job has a ``total`` of pages and a count per final state (indexed, skipped,
failed), and says when its total is known (``expanded``: no more pages will be added). An
ingest's counts move with its ledger, in the same atomic step as each page's record
(:mod:`worker.jobs.transitions`); a job without a ledger (a reindex, which reads pages in bulk)
writes the very same fields through :class:`JobCounts`.

Read: :func:`figures` turns a job into what the console, the admin API and the CLI show:
done of total, percent, rate and time left, or that the job is still counting its pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import redis

from worker.jobs.keys import JobKeys
from worker.jobs.model import Job


class JobCounts:
    """The counts of jobs without a page ledger, written where a ledger would write them."""

    def __init__(self, client: redis.Redis, keys: JobKeys) -> None:
        self._client, self._keys = client, keys

    def expect(self, job_id: str, total: int) -> None:
        """Every page the job will count is known: it no longer reads as counting them."""
        self._client.hset(self._keys.job(job_id), mapping={"total": total, "expanded": 1})

    def add(self, job_id: str, *, indexed: int = 0, skipped: int = 0, failed: int = 0) -> None:
        pipe = self._client.pipeline()
        for state, count in (("indexed", indexed), ("skipped", skipped), ("failed", failed)):
            if count:
                pipe.hincrby(self._keys.job(job_id), state, count)
        pipe.execute()

    def replace(self, job_id: str, *, indexed: int, skipped: int, failed: int) -> None:
        """The final counts, in place of the running tally (which counted every page read as
        indexed until the rebuild knew better)."""
        self._client.hset(self._keys.job(job_id), mapping={"indexed": indexed, "skipped": skipped,
                                                           "failed": failed})


@dataclass(frozen=True)
class Figures:
    total: int
    indexed: int
    skipped: int
    failed: int
    percent: int
    # Pages finished per second in the job's current run; None before it has finished one.
    rate: float | None
    # Seconds left at that rate; None while counting, once finished, or before there is a rate.
    eta_s: float | None
    # The total may still grow: the job is finding its pages (an ingest expanding its sources,
    # a reindex that has not counted what it will read).
    counting: bool

    @property
    def done(self) -> int:
        return self.indexed + self.skipped + self.failed

    def to_dict(self) -> dict[str, Any]:
        """The ``progress`` object of the console's JSON and the admin API."""
        return {"percent": self.percent, "rate": self.rate, "eta_s": self.eta_s, "counting": self.counting}


def _percent(job: Job) -> int:
    if job.total:
        return min(100, job.done * 100 // job.total)
    return 100 if job.finished_status else 0


def figures(job: Job, now: float) -> Figures:
    """``job``'s progress at ``now`` (epoch)."""
    ended = job.finished_status
    counting = not job.expanded and not ended
    rate = job.run.rate(now)
    eta = max(job.total - job.done, 0) / rate if rate and not counting and not ended else None
    return Figures(total=job.total, indexed=job.indexed, skipped=job.skipped, failed=job.failed,
                   percent=_percent(job), rate=rate, eta_s=eta, counting=counting)
