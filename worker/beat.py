"""Periodic work for ``celery beat``: the reconciler, and re-crawls from a TOML schedules file.

Schedules file (``PAGESIFT_SCHEDULES_FILE``)::

    [[recrawl]]
    source = "https://example.org/sitemap_index.xml"
    every = "6h"          # seconds, or a number with s, m, h or d
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.config import Settings

RECONCILE_TASK = "worker.tasks.reconcile"
RECRAWL_TASK = "worker.tasks.recrawl"
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")


class ScheduleError(ValueError):
    """The schedules file is unreadable or has a bad entry; the message names it."""


@dataclass(frozen=True)
class Recrawl:
    source: str
    every: float


def seconds(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    match = _DURATION.fullmatch(str(value).strip().lower())
    if not match or float(match.group(1)) <= 0:
        raise ScheduleError(f"not a duration: {value!r} (say 90, 30m, 6h or 1d)")
    return float(match.group(1)) * _UNITS[match.group(2)]


def load(path: Path) -> list[Recrawl]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ScheduleError(f"{path}: {exc}") from exc
    found = []
    for number, entry in enumerate(data.get("recrawl", []), 1):
        if not isinstance(entry, dict) or not entry.get("source"):
            raise ScheduleError(f"{path}: recrawl entry {number} has no source")
        found.append(Recrawl(str(entry["source"]), seconds(entry.get("every", "1d"))))
    return found


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    schedule: dict[str, dict[str, Any]] = {
        # A few sweeps per limit: a lost page waits at most ~1.25 x the limit.
        "reconcile": {"task": RECONCILE_TASK, "schedule": max(5.0, settings.worker.reconcile_after / 4)},
    }
    if settings.worker.schedules_file:
        for number, recrawl in enumerate(load(Path(settings.worker.schedules_file)), 1):
            schedule[f"recrawl-{number}"] = {"task": RECRAWL_TASK, "schedule": recrawl.every,
                                             "args": [recrawl.source]}
    return schedule
