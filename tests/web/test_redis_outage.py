"""Readers with Redis away: every reader path answers at once, from a private redis-server
that is shut down (connections refused) and then frozen (SIGSTOP: connections hang, the worse
case). The search page and API never depend on Redis; the takedown list, the autocomplete
blocklist, the rate limit and the health check do, each with a fail-fast client."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pagesift.stack import redis as stack_redis
from tests.indexer.searchlog.conftest import delete_log
from tests.web.conftest import CORPUS
from tests.worker.conftest import free_port
from web import reader_redis

pytestmark = pytest.mark.integration

# A reader path with Redis away must answer within this (the old clients took 31 s). Generous:
# the machine is shared; the point is "no reconnect budget", not a latency target.
WITHIN_S = 3.0
ARTICLE = "https://news.example.org/1"
READER_PATHS = [
    "/?q=energy", "/api/search?q=energy", "/api/suggest?q=ener", f"/api/related?url={ARTICLE}",
    f"/related?url={ARTICLE}", f"/embed/related?url={ARTICLE}", "/healthz",
]


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[stack_redis.LocalRedis]:
    server = stack_redis.LocalRedis(tmp_path / "redis-home", free_port())
    stack_redis.start(server)
    try:
        yield server
    finally:
        pid = server.pid()
        if pid is not None:
            os.kill(pid, signal.SIGCONT)
        stack_redis.stop(server)


@pytest.fixture
def outage_app(es, index_corpus, make_app, private_redis: stack_redis.LocalRedis, settle):  # type: ignore[no-untyped-def]
    """An app over a corpus of its own whose search log already offers a past query, so the
    suggestion path reads the takedown list and the blocklist."""
    for prefix in index_corpus(CORPUS, "outage"):
        # The rate limit on, as in production: its storage is a reader path's Redis too.
        app = make_app(prefix, redis_url=private_redis.url, RATELIMIT_ENABLED=True, search_mode="lexical",
                       searchlog_flush_seconds=0.05, searchlog_suggest_min_count=1)
        assert app.test_client().get("/?q=energy+report", headers=READER).status_code == 200
        settle(app)
        assert _past_queries(app) == ["energy report"]
        yield app
        delete_log(es, prefix)


def _past_queries(app: Any) -> list[str]:
    answer = app.test_client().get("/api/suggest?q=ener", headers=READER).get_json()
    return [s["title"] for s in answer["suggestions"] if s["url"] is None]


READER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}


def _timed(client: Any, path: str) -> tuple[float, int]:
    started = time.monotonic()
    answer = client.get(path, headers=READER)
    return time.monotonic() - started, answer.status_code


def _all_paths(app: Any) -> dict[str, tuple[float, int]]:
    client = app.test_client()
    return {path: _timed(client, path) for path in READER_PATHS}


def test_readers_are_answered_at_once_with_redis_shut_down(outage_app, private_redis) -> None:  # type: ignore[no-untyped-def]
    up = _all_paths(outage_app)
    assert {path: status for path, (_, status) in up.items()} == dict.fromkeys(READER_PATHS, 200)
    stack_redis.stop(private_redis)
    down = _all_paths(outage_app)
    slow = {path: round(seconds, 2) for path, (seconds, _) in down.items() if seconds > WITHIN_S}
    assert slow == {}
    statuses = {path: status for path, (_, status) in down.items()}
    # Everything answers; only the health check says Redis is down.
    assert statuses == {**dict.fromkeys(READER_PATHS, 200), "/healthz": 503}


def test_readers_are_answered_at_once_with_redis_frozen(outage_app, private_redis) -> None:  # type: ignore[no-untyped-def]
    _all_paths(outage_app)  # connections open, as in a running server
    pid = private_redis.pid()
    assert pid is not None
    os.kill(pid, signal.SIGSTOP)
    try:
        frozen = _all_paths(outage_app)
    finally:
        os.kill(pid, signal.SIGCONT)
    slow = {path: round(seconds, 2) for path, (seconds, _) in frozen.items() if seconds > WITHIN_S}
    assert slow == {}
    assert {p: s for p, (_, s) in frozen.items() if p != "/healthz"} == dict.fromkeys(READER_PATHS[:-1], 200)


def test_past_queries_are_not_offered_when_redis_cannot_vet_them(outage_app, private_redis) -> None:  # type: ignore[no-untyped-def]
    """Fails closed: a past query is vetted against the takedown list and the blocklist, which
    only Redis holds; titles (purged from the index by every takedown) are still offered."""
    related = outage_app.test_client().get(f"/api/related?url={ARTICLE}", headers=READER).get_json()
    assert related["hits"], "related articles must exist for the takedown list to be read"
    stack_redis.stop(private_redis)
    assert _past_queries(outage_app) == []
    answer = outage_app.test_client().get("/api/suggest?q=ener", headers=READER).get_json()
    assert answer["suggestions"] and all(s["url"] for s in answer["suggestions"])
    related = outage_app.test_client().get(f"/api/related?url={ARTICLE}", headers=READER).get_json()
    assert related["hits"], "related articles fail open"
    stack_redis.start(private_redis)
    # Back after the readers' pause: the past query is offered again.
    time.sleep(reader_redis.PAUSE_S)
    assert _past_queries(outage_app) == ["energy report"]
