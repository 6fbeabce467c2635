"""One reindex at a time per index prefix: a Redis lock kept alive while the work runs.

The lock has a short expiry, renewed from a background thread, so a crashed reindex frees it
within :data:`LOCK_TTL` seconds instead of blocking every later one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from redis import Redis
from redis.exceptions import LockError
from redis.lock import Lock

from indexer.config import Settings

LOCK_TTL = 120.0


class ReindexBusy(RuntimeError):
    """Another reindex of the same prefix holds the lock."""


def lock_key(settings: Settings) -> str:
    return f"{settings.redis.namespace}:reindex-lock:{settings.index.prefix}"


@contextmanager
def reindex_lock(redis: Redis, settings: Settings, *, wait: bool = False,
                 wait_timeout: float | None = None) -> Iterator[None]:
    """Hold the reindex lock for the block; :class:`ReindexBusy` if it is taken and ``wait``
    is false (or ``wait_timeout`` seconds pass)."""
    # thread_local=False: the keep-alive thread must see the token the caller acquired with.
    lock = redis.lock(lock_key(settings), timeout=LOCK_TTL, thread_local=False)
    if not lock.acquire(blocking=wait, blocking_timeout=wait_timeout):
        raise ReindexBusy(f"a reindex of {settings.index.prefix!r} is already running")
    stop = threading.Event()
    keeper = threading.Thread(target=_keep_alive, args=(lock, stop), daemon=True)
    keeper.start()
    try:
        yield
    finally:
        stop.set()
        keeper.join()
        # LockError: it expired after all; there is nothing of ours left to release.
        with suppress(LockError):
            lock.release()


def _keep_alive(lock: Lock, stop: threading.Event) -> None:
    while not stop.wait(LOCK_TTL / 3):
        lock.extend(LOCK_TTL, replace_ttl=True)
