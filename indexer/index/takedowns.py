"""Takedowns: remove a URL from search and the raw store now, and keep a record of why.

The record (URL, reason, who asked, when, what was removed) is a capped Redis list in the job
store's database, so it survives restarts like jobs do and the console can show it.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass
from typing import Any

import redis
from elasticsearch import Elasticsearch

from indexer.index.names import IndexNames
from indexer.index.takedown import takedown

log = logging.getLogger(__name__)
KEPT = 1000


@dataclass(frozen=True)
class Takedown:
    url: str
    reason: str
    by: str
    at: float
    indices: list[str]
    raw: bool

    @property
    def found(self) -> bool:
        return bool(self.indices) or self.raw


def _key(namespace: str) -> str:
    return f"{namespace}:takedowns"


def remove(es: Elasticsearch, names: IndexNames, store: redis.Redis, namespace: str, url: str,
           reason: str, by: str) -> Takedown:
    result = takedown(es, names, url)
    record = Takedown(result.url, reason, by, time.time(), result.indices, result.raw)
    pipe = store.pipeline()
    pipe.lpush(_key(namespace), json.dumps(asdict(record)))
    pipe.ltrim(_key(namespace), 0, KEPT - 1)
    pipe.execute()
    log.warning("takedown of %s by %s: %s (indices: %s, raw: %s)", record.url, by, reason,
                ", ".join(record.indices) or "none", record.raw)
    return record


def since(store: redis.Redis, namespace: str, moment: float) -> list[Takedown]:
    """The kept takedowns made at or after ``moment`` (seconds since the epoch)."""
    return [t for t in recent(store, namespace, KEPT) if t.at >= moment]


def recent(store: redis.Redis, namespace: str, limit: int = 50) -> list[Takedown]:
    raw: list[Any] = store.lrange(_key(namespace), 0, limit - 1)
    return [Takedown(**json.loads(item)) for item in raw]
