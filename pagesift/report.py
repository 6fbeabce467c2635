"""How jobs read on a terminal: tables, summaries, progress lines and exit statuses. Pure."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from worker.jobs import Job, PageRecord
from worker.jobs.model import Run
from worker.jobs.progress import figures

# `pagesift ingest --wait` (and `jobs retry --wait`, `reindex`) exit statuses, one per outcome.
EXIT_OK, EXIT_FAILED, EXIT_NOT_RUN, EXIT_PARTIAL = 0, 1, 2, 3
# The status a job ended with, and the exit status that says so. A job that could not run
# (its error set) or was cancelled is EXIT_NOT_RUN whatever its status.
_EXITS = {"succeeded": EXIT_OK, "partial": EXIT_PARTIAL, "failed": EXIT_FAILED}


def exit_status(job: Job) -> int:
    """0 succeeded; 3 finished with some failures; 1 every page failed; 2 the job could not
    run or was cancelled."""
    if job.error:
        return EXIT_NOT_RUN
    return _EXITS.get(job.status, EXIT_NOT_RUN)


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 page``, ``2 pages``, ``0 pages``."""
    return f"{count} {word if count == 1 else words or word + 's'}"


def kind(job: Job) -> str:
    """``ingest``, or a reindex with its mode (``reindex (rollback)``): a rollback that copied
    nothing is not a reindex of 0 pages."""
    mode = job.params.get("mode")
    return f"{job.type} ({mode})" if mode else job.type


def _when(epoch: float | None) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S") if epoch else "-"


def duration(job: Job, now: float | None = None) -> float | None:
    """How long the job's current run has taken (a retry is a run of its own)."""
    return job.run.duration(now if now is not None else time.time())


def seconds(value: float | None) -> str:
    if value is None:
        return "-"
    minutes, secs = divmod(int(value), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{value:.1f}s"


def table(jobs: Iterable[Job]) -> list[str]:
    rows = [f"{'ID':<12}  {'TYPE':<18}  {'STATUS':<9}  {'TOTAL':>6}  {'INDEXED':>7}  {'SKIPPED':>7}  "
            f"{'FAILED':>6}  {'CREATED (UTC)':<19}  TOOK"]
    for job in jobs:
        runs = f" ({len(job.runs)} runs)" if len(job.runs) > 1 else ""
        rows.append(f"{job.id:<12}  {kind(job):<18}  {job.status:<9}  {job.total:>6}  {job.indexed:>7}  "
                    f"{job.skipped:>7}  {job.failed:>6}  {_when(job.created):<19}  "
                    f"{seconds(job.took())}{runs}")
    return rows


def _speed(pages_per_second: float | None) -> str:
    return f"{pages_per_second:.1f} pages/s" if pages_per_second else "- pages/s"


def progress_line(job: Job, now: float | None = None) -> str:
    """The plain-text progress line used when output is not a terminal: the console's figures
    (:func:`worker.jobs.progress.figures`), a ``+`` after the total while it may still grow."""
    f = figures(job, now if now is not None else time.time())
    counts = f"indexed {f.indexed}, skipped {f.skipped}, failed {f.failed}"
    return (f"job {job.id} {job.status_label}: {f.done}/{f.total}{'+' if f.counting else ''} "
            f"({counts}) {_speed(f.rate)}, ETA {seconds(f.eta_s)}")


def skip_reasons(pages: Iterable[PageRecord]) -> Counter[str]:
    return Counter(p.reason.split(":", 1)[0] for p in pages if p.state == "skipped")


def run_line(run: Run) -> str:
    return (f"  run {run.number}  {run.status_label:<24}  {_when(run.started)}  "
            f"{plural(run.total, 'page')}: indexed {run.indexed}, skipped {run.skipped}, "
            f"failed {run.failed}  "
            f"took {seconds(run.duration())}, {_speed(run.rate())}")


def summary(job: Job, pages: list[PageRecord], limit: int = 50) -> list[str]:
    lines = [f"job {job.id} ({kind(job)}) {job.status_label}: {plural(job.total, 'page')}, "
             f"indexed {job.indexed}, "
             f"skipped {job.skipped}, failed {job.failed}, took {seconds(duration(job))}"
             + (f" (run {job.run.number})" if len(job.runs) > 1 else "")]
    if job.error:
        lines.append(f"error: {job.error}")
    reasons = skip_reasons(pages)
    if reasons:
        lines.append("skipped: " + ", ".join(f"{reason} {count}" for reason, count in reasons.most_common()))
    failures = [p for p in pages if p.state == "failed"]
    if failures:
        lines.append(f"failures ({len(failures)}):")
        lines += [f"  {p.url}  [{p.stage or '-'}, {plural(p.attempts, 'attempt')}]  {p.reason}"
                  for p in failures[:limit]]
        if len(failures) > limit:
            lines.append(f"  ... and {len(failures) - limit} more: "
                         f"pagesift jobs show {job.id} --pages failed")
        lines.append(f"retry them: pagesift jobs retry {job.id}")
    return lines


def _params(job: Job) -> list[str]:
    """The job's parameters, one fact a line (the reindex result has lines of its own)."""
    lines = []
    for source in job.params.get("sources") or []:
        where = source.get("location", source) if isinstance(source, Mapping) else source
        lines.append(f"source    {where}")
    if job.params.get("base_url"):
        lines.append(f"base URL  {job.params['base_url']}")
    if job.params.get("mode"):
        lines.append(f"mode      {job.params['mode']}")
    if job.params.get("runner"):
        lines.append(f"ran in    {job.params['runner']}")
    return lines


def details(job: Job, pages: list[PageRecord]) -> list[str]:
    """`pagesift jobs show`: the job, each of its runs, its result and its pages' outcomes."""
    lines = [f"id        {job.id}", f"type      {kind(job)}", f"status    {job.status_label}",
             f"created   {_when(job.created)}", f"started   {_when(job.started)}",
             f"finished  {_when(job.finished)}", *_params(job)]
    lines += ["runs:", *(run_line(r) for r in job.runs)]
    if isinstance(job.params.get("result"), Mapping):
        lines += reindex_result(job.params["result"])
    return lines + summary(job, pages)


def reindex_result(result: Mapping[str, Any]) -> list[str]:
    """A rebuild's result (``ReindexResult.summary()``) in words."""
    pages = result.get("pages") or {}
    swapped = "swapped in" if result.get("swapped") else "not swapped in"
    lines = [f"{result.get('mode', 'reindex')}: {result.get('source') or '-'} -> {result.get('target')}, "
             f"{swapped}; {plural(result.get('count', 0), 'document')} "
             f"(previously {result.get('previous_count', 0)})"]
    if pages:
        lines.append(f"pages read {pages.get('pages', 0)}: indexed {pages.get('indexed', 0)}, "
                     f"skipped {pages.get('skipped', 0)}, failed {pages.get('failed', 0)}")
        reasons = pages.get("reasons") or {}
        if reasons:
            lines.append("reasons: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))
        lines += [f"  failed {f.get('url')}  {f.get('reason', '')}" for f in pages.get("failures") or []]
    if result.get("removed"):
        lines.append(f"removed since the build began: {result['removed']}")
    if result.get("pruned"):
        lines.append("old indices deleted: " + ", ".join(result["pruned"]))
    for key, what in (("refused", "refused"), ("after_swap", "after the swap")):
        if result.get(key):
            lines.append(f"{what}: {result[key]}")
    return lines
