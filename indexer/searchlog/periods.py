"""``--since 7d`` and ``?since=7d``: the window an analytics view covers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

_UNITS = {"h": timedelta(hours=1), "d": timedelta(days=1), "w": timedelta(weeks=1)}
DEFAULT_SINCE = "7d"
LONGEST = timedelta(days=3660)


class PeriodError(ValueError):
    """A ``since`` that is not a number and a unit."""


def parse_since(text: str | None) -> timedelta:
    """``"7d"`` → 7 days; hours (``h``), days (``d``) and weeks (``w``)."""
    raw = (text or DEFAULT_SINCE).strip().lower()
    match = re.fullmatch(r"(\d{1,5})\s*([hdw])", raw)
    if match is None:
        raise PeriodError(f"since is a number and a unit, like 24h, 7d or 4w (not {text!r})")
    span = int(match.group(1)) * _UNITS[match.group(2)]
    if not timedelta(0) < span <= LONGEST:
        raise PeriodError(f"since is between 1h and {LONGEST.days}d")
    return span


@dataclass(frozen=True)
class Window:
    """``[start, end)`` in UTC, and the same length just before it (what trends compare with)."""

    start: datetime
    end: datetime
    label: str = DEFAULT_SINCE

    @classmethod
    def since(cls, text: str | None, now: datetime | None = None) -> Window:
        end = now or datetime.now(UTC)
        return cls(end - parse_since(text), end, (text or DEFAULT_SINCE).strip().lower())

    @property
    def span(self) -> timedelta:
        return self.end - self.start

    @property
    def previous(self) -> Window:
        return Window(self.start - self.span, self.start, self.label)
