"""How jobs read on a terminal: tables, summaries, progress lines and exit statuses. Pure."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime

from worker.jobs import Job, PageRecord

# `pagesift ingest --wait` exit statuses.
EXIT_OK, EXIT_FAILURES, EXIT_NOT_RUN = 0, 1, 2


def exit_status(job: Job) -> int:
    """0: every page indexed or skipped; 1: some failed; 2: the job could not run (or was cancelled)."""
    if job.status == "succeeded":
        return EXIT_OK
    if job.status == "failed" and not job.error:
        return EXIT_FAILURES
    return EXIT_NOT_RUN


def _when(epoch: float | None) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S") if epoch else "-"


def duration(job: Job, now: float | None = None) -> float | None:
    if job.started is None:
        return None
    return (job.finished or now or time.time()) - job.started


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    minutes, secs = divmod(int(value), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{value:.1f}s"


def table(jobs: Iterable[Job]) -> list[str]:
    rows = [f"{'ID':<12}  {'TYPE':<7}  {'STATUS':<9}  {'TOTAL':>6}  {'INDEXED':>7}  {'SKIPPED':>7}  "
            f"{'FAILED':>6}  {'CREATED (UTC)':<19}  TOOK"]
    for job in jobs:
        rows.append(f"{job.id:<12}  {job.type:<7}  {job.status:<9}  {job.total:>6}  {job.indexed:>7}  "
                    f"{job.skipped:>7}  {job.failed:>6}  {_when(job.created):<19}  {_seconds(duration(job))}")
    return rows


def rate(job: Job, now: float | None = None) -> float | None:
    took = duration(job, now)
    return job.done / took if took and job.done else None


def progress_line(job: Job, now: float | None = None) -> str:
    """The plain-text progress line used when output is not a terminal."""
    pages_per_second = rate(job, now)
    remaining = job.total - job.done
    eta = remaining / pages_per_second if pages_per_second and job.expanded else None
    speed = f"{pages_per_second:.1f} pages/s" if pages_per_second else "- pages/s"
    counts = f"indexed {job.indexed}, skipped {job.skipped}, failed {job.failed}"
    return (f"job {job.id} {job.status}: {job.done}/{job.total}{'' if job.expanded else '+'} "
            f"({counts}) {speed}, ETA {_seconds(eta)}")


def skip_reasons(pages: Iterable[PageRecord]) -> Counter[str]:
    return Counter(p.reason.split(":", 1)[0] for p in pages if p.state == "skipped")


def summary(job: Job, pages: list[PageRecord], limit: int = 50) -> list[str]:
    lines = [f"job {job.id} ({job.type}) {job.status}: {job.total} pages, indexed {job.indexed}, "
             f"skipped {job.skipped}, failed {job.failed}, took {_seconds(duration(job))}"]
    if job.error:
        lines.append(f"error: {job.error}")
    reasons = skip_reasons(pages)
    if reasons:
        lines.append("skipped: " + ", ".join(f"{reason} {count}" for reason, count in reasons.most_common()))
    failures = [p for p in pages if p.state == "failed"]
    if failures:
        lines.append(f"failures ({len(failures)}):")
        lines += [f"  {p.url}  [{p.stage or '-'}, {p.attempts} attempt(s)]  {p.reason}"
                  for p in failures[:limit]]
        if len(failures) > limit:
            lines.append(f"  ... and {len(failures) - limit} more: pagesift jobs show {job.id} --failed")
    return lines


def details(job: Job, pages: list[PageRecord]) -> list[str]:
    lines = [f"id        {job.id}", f"type      {job.type}", f"status    {job.status}",
             f"created   {_when(job.created)}", f"started   {_when(job.started)}",
             f"finished  {_when(job.finished)}", f"params    {job.params}"]
    return lines + summary(job, pages)
