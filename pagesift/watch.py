"""Follow a job until it ends: a tqdm bar on a terminal, plain progress lines otherwise."""

from __future__ import annotations

import time
from typing import TextIO

from tqdm import tqdm

from pagesift import report
from worker.jobs import Job, JobRecords
from worker.jobs.progress import Figures, figures

TAKE_TIMEOUT = 30.0
POLL = 0.5
PLAIN_EVERY = 5.0


class NotTaken(RuntimeError):
    """No worker started the job in time."""


def until_taken(records: JobRecords, job_id: str, timeout: float = TAKE_TIMEOUT) -> Job:
    deadline = time.monotonic() + timeout
    while True:
        job = records.get(job_id)
        if job is None:
            raise NotTaken(f"job {job_id} does not exist (expired?)")
        if job.status != "queued":
            return job
        if time.monotonic() > deadline:
            raise NotTaken(f"no worker took job {job_id} within {timeout:.0f} s: is `pagesift worker` "
                           f"running against this Redis? The job stays queued; "
                           f"`pagesift jobs cancel {job_id}` drops it.")
        time.sleep(POLL)


def _draw(bar: tqdm, f: Figures) -> None:
    bar.total = f.total
    bar.set_postfix_str(f"indexed {f.indexed} skipped {f.skipped} failed {f.failed}", refresh=False)
    bar.update(f.done - bar.n)


def until_done(records: JobRecords, job_id: str, stream: TextIO, tty: bool) -> Job:
    job = until_taken(records, job_id)
    bar = tqdm(total=job.total or None, unit="page", file=stream, dynamic_ncols=True) if tty else None
    last_line = 0.0
    try:
        while True:
            job = records.get(job_id) or job
            if bar is not None:
                _draw(bar, figures(job, time.time()))
            elif time.monotonic() - last_line >= PLAIN_EVERY or job.finished_status:
                print(report.progress_line(job), file=stream, flush=True)
                last_line = time.monotonic()
            if job.finished_status:
                return job
            time.sleep(POLL)
    finally:
        if bar is not None:
            bar.close()
