"""Documents taken out of the live index (gone, noindex, now a listing), and the log that lets
a rollback take them out of the index it goes back to.

A rollback copies what was ingested since the index it leaves was built; a removal leaves
nothing to copy, so without this log a page that went 410 last week would be searchable again
after a rollback. Takedowns need no entry: they remove from every index at once and stay on
their own list.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from typing import Any

import redis
from elasticsearch import Elasticsearch

# How long and how many removals are kept for a rollback to replay: a rollback goes back to the
# previous index, normally days old; one older than this replays only what is still logged.
KEPT_SECONDS = 90 * 24 * 3600
KEPT_ENTRIES = 500_000


def _key(namespace: str, prefix: str) -> str:
    return f"{namespace}:removed:{prefix}"


def remove(client: Elasticsearch, index: str, store: redis.Redis, namespace: str, prefix: str,
           ids: Collection[str]) -> int:
    """Delete ``ids`` from ``index`` (the write alias); logged first, so a crash in between
    leaves an entry too many (harmless on replay), never one too few. How many were there."""
    if not ids:
        return 0
    now = time.time()
    pipe = store.pipeline()
    pipe.zadd(_key(namespace, prefix), dict.fromkeys(ids, now))
    pipe.zremrangebyscore(_key(namespace, prefix), "-inf", now - KEPT_SECONDS)
    pipe.zremrangebyrank(_key(namespace, prefix), 0, -KEPT_ENTRIES - 1)
    pipe.execute()
    return _delete(client, index, ids, refresh=False)


def replay(client: Elasticsearch, index: str, store: redis.Redis, namespace: str, prefix: str,
           since: float) -> int:
    """Delete from ``index`` what was removed from the live index at or after ``since``."""
    logged: list[Any] = store.zrangebyscore(_key(namespace, prefix), since, "+inf")
    ids = [i.decode() if isinstance(i, bytes) else str(i) for i in logged]
    return _delete(client, index, ids, refresh=True)


def _delete(client: Elasticsearch, index: str, ids: Collection[str], *, refresh: bool) -> int:
    """``refresh`` for a rollback, whose readers must not see the pages again; ingestion leaves
    it to the refresh interval, as it does for its writes."""
    if not ids:
        return 0
    answer = client.bulk(operations=[{"delete": {"_index": index, "_id": i}} for i in sorted(ids)],
                         refresh=refresh)
    return sum(1 for item in answer["items"] if item["delete"].get("result") == "deleted")
