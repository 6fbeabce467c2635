"""A job and the record of one of its pages, as read back from Redis."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

JOB_TYPES = ("ingest", "reindex")
JOB_STATUSES = ("queued", "running", "succeeded", "failed", "cancelled")
FINISHED_STATUSES = ("succeeded", "failed", "cancelled")
PAGE_STATES = ("queued", "running", "indexed", "skipped", "failed")
FINAL_PAGE_STATES = ("indexed", "skipped", "failed")
STAGES = ("fetch", "store", "clean", "index")
# Attempts at one page before it fails for good: transient fetch errors, and tries that never
# finished (the page killed or stalled its worker). Put-off tries (a busy host) do not count.
MAX_PAGE_ATTEMPTS = 5
# Every reason a page may be skipped for; anything else is a failure.
# "sitemap": a sitemap entry (failed at expansion, retried) read again: its pages are in the job.
SKIP_REASONS = ("unchanged", "duplicate", "robots", "noindex", "listing", "not_html", "empty", "gone",
                "removed", "taken_down", "sitemap")


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _float(value: str | None) -> float | None:
    return float(value) if value else None


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

    @classmethod
    def from_hash(cls, raw: dict[Any, Any]) -> Job:
        data = {_text(k): _text(v) for k, v in raw.items()}
        return cls(
            id=data["id"], type=data["type"], status=data["status"], created=float(data["created"]),
            started=_float(data.get("started")), finished=_float(data.get("finished")),
            total=int(data.get("total", 0)), indexed=int(data.get("indexed", 0)),
            skipped=int(data.get("skipped", 0)), failed=int(data.get("failed", 0)),
            expanded=data.get("expanded") == "1", params=json.loads(data.get("params") or "{}"),
            error=data.get("error", ""), searchable=_float(data.get("searchable")))

    @property
    def done(self) -> int:
        return self.indexed + self.skipped + self.failed

    @property
    def finished_status(self) -> bool:
        return self.status in FINISHED_STATUSES

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "status": self.status, "created": self.created,
                "started": self.started, "finished": self.finished, "total": self.total,
                "indexed": self.indexed, "skipped": self.skipped, "failed": self.failed,
                "expanded": self.expanded, "params": self.params, "error": self.error,
                "searchable": self.searchable}


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
