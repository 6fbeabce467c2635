"""A job with its progress, as the JSON the console polls and the admin API returns. Pure.

The figures themselves (percent, rate, time left) are the CLI's too: :mod:`worker.jobs.progress`.
"""

from __future__ import annotations

from typing import Any

from worker.jobs import Job
from worker.jobs.progress import figures


def job_view(job: Job, now: float) -> dict[str, Any]:
    return {**job.to_dict(now), "done": job.done, "progress": figures(job, now).to_dict()}
