"""``since``: a number and a unit, and the window before it."""

from __future__ import annotations

import datetime as dt

import pytest

from indexer.searchlog.periods import PeriodError, Window, parse_since

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("text", "span"), [("24h", dt.timedelta(hours=24)), ("7d", dt.timedelta(days=7)),
                                            ("2w", dt.timedelta(days=14)), (" 30D ", dt.timedelta(days=30)),
                                            (None, dt.timedelta(days=7))])
def test_since(text: str | None, span: dt.timedelta) -> None:
    assert parse_since(text) == span


@pytest.mark.parametrize("text", ["7", "d", "7x", "-1d", "0d", "1.5d", "99999w"])
def test_since_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_since(text)


def test_the_previous_window_is_as_long_and_ends_where_this_starts() -> None:
    now = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
    window = Window.since("7d", now)
    assert (window.start, window.end) == (now - dt.timedelta(days=7), now)
    assert window.previous.end == window.start and window.previous.span == window.span
