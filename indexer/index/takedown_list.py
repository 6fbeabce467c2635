"""Takedowns: remove a URL from search and the raw store now, keep it out, and keep a record.

Two things in the job store's Redis database, which survives restarts like jobs do:
- the takedown list, every id the page may be known by (canonical, fetched, redirected URL),
  never trimmed: every write, every reclean and every suggestion source consults it, so a
  recrawl, a sitemap still listing the page, a retry or a batch in flight cannot bring it back
  (:func:`blocked`); only :func:`reinstate` takes a URL off it;
- the record (URL, reason, who asked, when, what was removed), a capped list the console shows.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import redis
from elasticsearch import Elasticsearch

from indexer.index.documents import canonical_url
from indexer.index.names import IndexNames
from indexer.index.purge import known_ids, takedown

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


def _list_key(namespace: str) -> str:
    return f"{namespace}:takedown-ids"


def remove(es: Elasticsearch, names: IndexNames, store: redis.Redis, namespace: str, url: str,
           reason: str, by: str) -> Takedown:
    # On the list first: a writer that checks it after this cannot bring the page back, and
    # one that checked before re-checks after its write (see indexer.index.indexing).
    # Each id maps to the URL the takedown named, which is what a reinstatement names.
    address, ids = canonical_url(url), known_ids(es, names, url)
    store.hset(_list_key(namespace), mapping=dict.fromkeys(ids, address))
    result = takedown(es, names, url, ids)
    record = Takedown(result.url, reason, by, time.time(), result.indices, result.raw)
    pipe = store.pipeline()
    pipe.lpush(_key(namespace), json.dumps(asdict(record)))
    pipe.ltrim(_key(namespace), 0, KEPT - 1)
    pipe.execute()
    log.warning("takedown of %s by %s: %s (indices: %s, raw: %s)", record.url, by, reason,
                ", ".join(record.indices) or "none", record.raw)
    return record


def blocked(store: redis.Redis, namespace: str, ids: Iterable[str]) -> set[str]:
    """Those of ``ids`` on the takedown list, in one round trip."""
    wanted = sorted(set(ids))
    if not wanted:
        return set()
    answers: list[Any] = store.hmget(_list_key(namespace), wanted)
    return {doc_id for doc_id, url in zip(wanted, answers, strict=True) if url is not None}


def reinstate(store: redis.Redis, namespace: str, url: str) -> int:
    """Take ``url`` off the takedown list (every id it was listed under); how many ids. The
    page comes back at its next ingest, not before: nothing was kept."""
    address = canonical_url(url)
    listed: dict[Any, Any] = store.hgetall(_list_key(namespace))
    ids = [key for key, value in listed.items() if _text(value) == address]
    return int(store.hdel(_list_key(namespace), *ids)) if ids else 0


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def since(store: redis.Redis, namespace: str, moment: float) -> list[Takedown]:
    """The kept takedowns made at or after ``moment`` (seconds since the epoch)."""
    return [t for t in recent(store, namespace, KEPT) if t.at >= moment]


def recent(store: redis.Redis, namespace: str, limit: int = 50) -> list[Takedown]:
    raw: list[Any] = store.lrange(_key(namespace), 0, limit - 1)
    return [Takedown(**json.loads(item)) for item in raw]
