"""Redis as a reader's request meets it: answered at once, or not at all.

Searching never needs Redis. A few reader paths read the job store's database: the takedown
list (related articles, past-query suggestions), the autocomplete blocklist and the search
log's daily salt. The pipeline's clients ride out a Redis restart by reconnecting for about
30 s; a reader cannot wait that long (a handful of page views would hold every web thread).
So these paths use a client without retries and with short timeouts, and after a failure
skip Redis for a few seconds instead of paying the timeout on every request.

Each path decides what an unanswered Redis means for it, and says why where it calls
:func:`call`: related articles fail open, past-query suggestions fail closed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

import redis
from flask import Flask

from web import settings_of
from web.app_state import kept

T = TypeVar("T")

# Loopback Redis answers in well under a millisecond; a quarter second is an outage.
TIMEOUT_S = 0.25
# After a failure, readers skip Redis this long: an outage costs one timeout per pause, not one
# per request.
PAUSE_S = 5.0


class Unavailable(redis.RedisError):
    """Redis did not answer in time, or failed within the last :data:`PAUSE_S`."""


class ReaderRedis:
    def __init__(self, client: redis.Redis, pause_s: float = PAUSE_S) -> None:
        self._client, self._pause_s = client, pause_s
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def call(self, use: Callable[[redis.Redis], T]) -> T:
        if time.monotonic() < self._paused_until:
            raise Unavailable("Redis failed moments ago; not asked again yet")
        try:
            return use(self._client)
        except redis.RedisError as exc:
            with self._lock:
                self._paused_until = time.monotonic() + self._pause_s
            raise Unavailable(str(exc)) from exc


def _build(app: Flask) -> ReaderRedis:
    from worker import redis_dbs

    url = redis_dbs.database_url(settings_of(app).redis.url, redis_dbs.JOBS)
    return ReaderRedis(redis_dbs.fail_fast(url, TIMEOUT_S))


def store(app: Flask | None = None) -> ReaderRedis:
    """The job store's database (takedown list, blocklist), for reader paths."""
    return kept("pagesift_reader_redis", _build, app)


def call(use: Callable[[redis.Redis], T], app: Flask | None = None) -> T:
    """``use(client)`` on the readers' client; :class:`Unavailable` when Redis cannot answer now."""
    return store(app).call(use)
