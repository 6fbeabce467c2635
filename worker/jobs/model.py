"""A job and the record of one of its pages, as read back from Redis."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

JOB_TYPES = ("ingest", "reindex")
# "partial": every page was dealt with and some failed, but not all: the job did its work and
# its failures can be retried. "failed": the job could not run, or not one page got through.
JOB_STATUSES = ("queued", "running", "succeeded", "partial", "failed", "cancelled")
FINISHED_STATUSES = ("succeeded", "partial", "failed", "cancelled")
# What the store writes when a job's last page is final. It is never shown: how the job went
# is read from its counts by :func:`final_status`, the one place that decides it. (Jobs stored
# before "partial" existed say "succeeded" or "failed" and are read the same way.)
ENDED = "ended"
# The fields a job is counted in: its pages, and those final in each state.
COUNTS = ("total", "indexed", "skipped", "failed")
PAGE_STATES = ("queued", "running", "indexed", "skipped", "failed")
FINAL_PAGE_STATES = ("indexed", "skipped", "failed")
STAGES = ("fetch", "store", "clean", "index")
# Attempts at one page before it fails for good: transient fetch errors, and tries that never
# finished (the page killed or stalled its worker). Put-off tries (a busy host) do not count.
MAX_PAGE_ATTEMPTS = 5
# Every reason a page may be skipped for; anything else is a failure.
# "sitemap": a sitemap entry (failed at expansion, retried) read again: its pages are in the job.
SKIP_REASONS = ("unchanged", "duplicate", "robots", "noindex", "listing", "not_html", "empty", "gone",
                "protected", "removed", "taken_down", "sitemap")


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _float(value: Any) -> float | None:
    return float(value) if value not in (None, "") else None


def final_status(indexed: int, skipped: int, failed: int, error: str = "") -> str:
    """How a job, or one run of it, ended: the only place this is decided.

    ``error`` means the job could not run at all (an unreadable source, a reindex refused).
    Otherwise the counts decide: no failure is a success, failures beside pages that went
    through are a partial success, and failures alone are a failure.
    """
    if error:
        return "failed"
    if not failed:
        return "succeeded"
    return "partial" if indexed or skipped else "failed"


def status_label(status: str, failed: int) -> str:
    """The status in words, as the console and the CLI show it."""
    if status == "partial":
        return f"finished with {failed} failure{'' if failed == 1 else 's'}"
    return status


def _stored_status(status: str, indexed: int, skipped: int, failed: int, error: str) -> str:
    if status in (ENDED, "succeeded", "failed"):
        return final_status(indexed, skipped, failed, error)
    return status


@dataclass(frozen=True)
class Run:
    """One pass over a job's pages: the first, then one per retry of its failed pages.

    Its counts are of the pages this run dealt with; its times are its own, so a retry never
    changes how long the first run took or how fast it went.
    """

    number: int
    started: float | None
    finished: float | None
    total: int = 0
    indexed: int = 0
    skipped: int = 0
    failed: int = 0
    status: str = ""

    @property
    def done(self) -> int:
        return self.indexed + self.skipped + self.failed

    def duration(self, now: float | None = None) -> float | None:
        if self.started is None:
            return None
        end = self.finished if self.finished is not None else (now if now is not None else time.time())
        return max(end - self.started, 0.0)

    def rate(self, now: float | None = None) -> float | None:
        took = self.duration(now)
        return self.done / took if took and self.done else None

    @property
    def status_label(self) -> str:
        return status_label(self.status, self.failed)

    def to_dict(self, now: float | None = None) -> dict[str, Any]:
        return {"number": self.number, "status": self.status, "status_label": self.status_label,
                "started": self.started, "finished": self.finished, "total": self.total,
                "indexed": self.indexed, "skipped": self.skipped, "failed": self.failed,
                "duration_s": self.duration(now), "rate": self.rate(now)}


def _earlier_runs(raw: str) -> tuple[Run, ...]:
    runs = []
    for number, data in enumerate(json.loads(raw or "[]"), start=1):
        counts = {k: int(data.get(k, 0)) for k in COUNTS}
        status = final_status(counts["indexed"], counts["skipped"], counts["failed"])
        runs.append(Run(number, _float(data.get("started")), _float(data.get("finished")),
                        status=status, **counts))
    return tuple(runs)


@dataclass(frozen=True)
class RunBase:
    """Where the current run started: its start time and the job's counts before it."""

    started: float | None = None
    total: int = 0
    indexed: int = 0
    skipped: int = 0
    failed: int = 0


@dataclass(frozen=True)
class Job:
    id: str
    type: str
    status: str
    created: float
    started: float | None = None
    finished: float | None = None
    total: int = 0
    indexed: int = 0
    skipped: int = 0
    failed: int = 0
    expanded: bool = False
    params: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    searchable: float | None = None  # when its pages were made visible to search (a refresh)
    # Runs before the current one (retries start a new run), and where the current one began.
    earlier_runs: tuple[Run, ...] = ()
    base: RunBase = field(default_factory=RunBase)

    @classmethod
    def from_hash(cls, raw: dict[Any, Any]) -> Job:
        data = {_text(k): _text(v) for k, v in raw.items()}
        counts = {k: int(data.get(k, 0)) for k in COUNTS}
        error = data.get("error", "")
        status = _stored_status(data["status"], counts["indexed"], counts["skipped"], counts["failed"], error)
        base = RunBase(_float(data.get("run_started")),
                       *(int(data.get(f"base_{k}", 0)) for k in COUNTS))
        return cls(
            id=data["id"], type=data["type"], status=status, created=float(data["created"]),
            started=_float(data.get("started")), finished=_float(data.get("finished")),
            expanded=data.get("expanded") == "1", params=json.loads(data.get("params") or "{}"),
            error=error, searchable=_float(data.get("searchable")),
            earlier_runs=_earlier_runs(data.get("runs", "")), base=base, **counts)

    @property
    def done(self) -> int:
        return self.indexed + self.skipped + self.failed

    @property
    def finished_status(self) -> bool:
        return self.status in FINISHED_STATUSES

    @property
    def status_label(self) -> str:
        return status_label(self.status, self.failed)

    @property
    def run(self) -> Run:
        """The current run (the latest): the job's counts since it began."""
        b = self.base
        started = b.started if b.started is not None else self.started
        return Run(len(self.earlier_runs) + 1, started, self.finished if self.finished_status else None,
                   self.total - b.total, self.indexed - b.indexed, self.skipped - b.skipped,
                   self.failed - b.failed, self.status)

    @property
    def runs(self) -> tuple[Run, ...]:
        return (*self.earlier_runs, self.run)

    def took(self, now: float | None = None) -> float | None:
        """Time spent running, over every run (the waits between runs left out)."""
        spans = [d for d in (r.duration(now) for r in self.runs) if d is not None]
        return sum(spans) if spans else None

    def to_dict(self, now: float | None = None) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "status": self.status, "status_label": self.status_label,
                "created": self.created, "started": self.started, "finished": self.finished,
                "total": self.total, "indexed": self.indexed, "skipped": self.skipped, "failed": self.failed,
                "expanded": self.expanded, "params": self.params, "error": self.error,
                "searchable": self.searchable, "runs": [r.to_dict(now) for r in self.runs]}


@dataclass(frozen=True)
class PageRecord:
    url: str
    state: str
    ref: dict[str, Any]
    stage: str = ""
    reason: str = ""
    attempts: int = 0
    updated: float = 0.0

    @classmethod
    def from_json(cls, raw: Any) -> PageRecord:
        data = json.loads(_text(raw))
        return cls(url=data["url"], state=data["state"], ref=data.get("ref") or {"url": data["url"]},
                   stage=data.get("stage", ""), reason=data.get("reason", ""),
                   attempts=int(data.get("attempts", 0)), updated=float(data.get("updated", 0)))
