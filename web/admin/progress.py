"""A job's progress as the console shows it: percent, rate and time left. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from worker.jobs import Job


@dataclass(frozen=True)
class Progress:
    percent: int
    # Pages finished per second since the job started; None before it has.
    rate: float | None
    # Seconds left at that rate; None while the job is still finding its pages.
    eta_s: float | None
    counting: bool

    def to_dict(self) -> dict[str, Any]:
        return {"percent": self.percent, "rate": self.rate, "eta_s": self.eta_s, "counting": self.counting}


def progress(job: Job, now: float) -> Progress:
    counting = not job.expanded and not job.finished_status
    if job.total:
        percent = min(100, job.done * 100 // job.total)
    else:
        percent = 100 if job.finished_status else 0
    rate = job.run.rate(now)
    eta = None
    if not counting and not job.finished_status and rate:
        eta = max(job.total - job.done, 0) / rate
    return Progress(percent=percent, rate=rate, eta_s=eta, counting=counting)


def job_view(job: Job, now: float) -> dict[str, Any]:
    """The job and its progress, as the JSON the console polls and the admin API returns."""
    return {**job.to_dict(now), "done": job.done, "progress": progress(job, now).to_dict()}
