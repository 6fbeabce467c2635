"""The three Redis databases derived from ``settings.redis.url``: broker n, results n+1, jobs n+2.

Separate databases keep a ``FLUSHDB`` of the result backend from ever touching jobs or queued
tasks, and let an operator size or inspect each on its own.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import redis
from redis.backoff import ExponentialWithJitterBackoff, NoBackoff
from redis.retry import Retry

BROKER, RESULTS, JOBS = 0, 1, 2


def database_url(url: str, offset: int) -> str:
    """``url`` with its database number raised by ``offset`` (``redis://h:p/3`` + 1 -> ``/4``)."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    base = int(path) if path.isdigit() else 0
    if base + offset > 15:
        raise ValueError(f"{url}: pagesift needs databases {base} to {base + 2}; choose a lower one")
    return urlunsplit((parts.scheme, parts.netloc, f"/{base + offset}", parts.query, parts.fragment))


def redacted(url: str) -> str:
    """``url`` fit for a message or a log: its password (or a lone user part, which may well be
    a password written without the colon) replaced by ``***``."""
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    if not at:
        return url
    name, colon, _secret = userinfo.partition(":")
    shown = f"{name}:***" if colon else "***"
    return urlunsplit((parts.scheme, f"{shown}@{host}", parts.path, parts.query, parts.fragment))


def client(url: str, offset: int) -> redis.Redis:
    """A client that rides out a Redis restart: reconnects with jittered backoff for ~30 s."""
    retry = Retry(ExponentialWithJitterBackoff(base=0.1, cap=2.0), retries=20)
    return redis.Redis.from_url(
        database_url(url, offset), retry=retry,
        retry_on_error=[redis.exceptions.ConnectionError, redis.exceptions.TimeoutError],
        socket_connect_timeout=5, socket_timeout=30, health_check_interval=30)


def fail_fast(url: str, timeout_s: float) -> redis.Redis:
    """A client that gives up at once: for a request someone is waiting on (a reader's page, a
    sign-in, a health check), where the reconnect budget of :func:`client` would hang it."""
    return redis.Redis.from_url(url, retry=Retry(NoBackoff(), 0), socket_connect_timeout=timeout_s,
                                socket_timeout=timeout_s)
