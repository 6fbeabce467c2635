"""Body limits, Retry-After and per-host delay parsing: pure functions of the fetcher."""

from __future__ import annotations

import gzip
import zlib
from datetime import UTC, datetime

import pytest

from worker.fetch import body
from worker.fetch.errors import TooLarge
from worker.fetch.fetcher import retry_after_seconds
from worker.fetch.politeness import parse_host_delays

pytestmark = pytest.mark.unit


def test_gzip_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024))
    assert len(bomb) < 100_000
    with pytest.raises(TooLarge):
        body.decompress([bomb[i:i + 4096] for i in range(0, len(bomb), 4096)], "gzip", 1024 * 1024)


def test_decompress_within_cap_round_trips() -> None:
    text = b"<html>" + b"x" * 5000 + b"</html>"
    assert body.decompress([gzip.compress(text)], "gzip", 10_000) == text
    assert body.decompress([zlib.compress(text)], "deflate", 10_000) == text
    assert body.decompress([text[:10], text[10:]], "", 10_000) == text
    with pytest.raises(TooLarge):
        body.decompress([text], "identity", 100)


def test_gunzip_only_when_gzipped() -> None:
    assert body.gunzip_if_gzipped(b"<urlset/>", 100) == b"<urlset/>"
    assert body.gunzip_if_gzipped(gzip.compress(b"<urlset/>"), 100) == b"<urlset/>"


def test_retry_after_forms() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_host_delays() -> None:
    assert parse_host_delays(["127.0.0.1:8000=0", "example.com=2.5"]) == {
        "127.0.0.1:8000": 0.0, "example.com": 2.5}
    with pytest.raises(ValueError, match="host"):
        parse_host_delays(["example.com"])
