"""Takedowns: remove a URL from search and the raw store now, keep it out, and keep a record.

In the job store's Redis database, which survives restarts like jobs do:
- the takedown list, every id the page may be known by (canonical, fetched, redirected URL)
  and the ids of its copies (other URLs with the same or nearly the same text, marked
  ``duplicate_of`` it), never trimmed: every write, every reclean and every suggestion source
  consults it, so a recrawl, a sitemap still listing the page, a retry or a batch in flight
  cannot bring it back (:func:`blocked`); only :func:`reinstate` takes a URL off it;
- the page's text (``content_hash``), so an exact copy found later under a new URL is not
  written either (:func:`blocked_texts`);
- the record (URL, reason, who asked, when, what was removed, the copies), a capped list the
  console shows, and the takedowns begun but not finished (:func:`pending`).

A takedown is recorded as pending, with its ids listed, in one transaction before anything is
removed: an Elasticsearch failure midway leaves the page kept out of every write and a pending
record saying so, never a page searchable with no trace. Running it again (the command, the
console, or the worker's reconciler, :func:`resume`) finishes it.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import redis
from elasticsearch import ApiError, Elasticsearch, TransportError

from indexer.index.documents import canonical_url
from indexer.index.names import IndexNames
from indexer.index.purge import copies_of, known_ids, takedown, texts_of

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
    # Other URLs with the page's text (its copies), taken down with it.
    copies: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.indices) or self.raw


def _key(namespace: str) -> str:
    return f"{namespace}:takedowns"


def _list_key(namespace: str) -> str:
    return f"{namespace}:takedown-ids"


def _pending_key(namespace: str) -> str:
    return f"{namespace}:takedowns-pending"


def _texts_key(namespace: str) -> str:
    return f"{namespace}:takedown-texts"


class TakedownIncomplete(RuntimeError):
    """The page is on the takedown list (no write can bring it back) but removing it from the
    indices or the raw store failed; running the takedown again finishes it."""

    def __init__(self, url: str, cause: Exception) -> None:
        super().__init__(f"{url} is on the takedown list, but removing it from the index failed "
                         f"({type(cause).__name__}: {cause}); it is recorded as pending and is "
                         "finished by running the takedown again (the worker's reconciler retries it)")
        self.url = url


def remove(es: Elasticsearch, names: IndexNames, store: redis.Redis, namespace: str, url: str,
           reason: str, by: str) -> Takedown:
    address = canonical_url(url)
    # Read first (nothing is changed if these fail), then on the list with a pending record in
    # one transaction: a writer that checks the list after this cannot bring the page back, and
    # one that checked before re-checks after its write (see indexer.index.indexing). Each id
    # maps to the URL the takedown named, which is what a reinstatement names.
    ids = known_ids(es, names, url)
    copies = copies_of(es, names, ids.values())
    texts = texts_of(es, names, [*ids, *copies])
    started = Takedown(address, reason, by, time.time(), [], False, sorted(set(copies.values())))
    pipe = store.pipeline(transaction=True)
    pipe.hset(_list_key(namespace), mapping=dict.fromkeys([*ids, *copies], address))
    if texts:
        pipe.hset(_texts_key(namespace), mapping=dict.fromkeys(texts, address))
    pipe.hset(_pending_key(namespace), address, json.dumps(asdict(started)))
    pipe.execute()
    try:
        result = takedown(es, names, url, {**ids, **copies})
    except (ApiError, TransportError) as exc:
        log.error("takedown of %s by %s is pending: %s", address, by, exc)
        raise TakedownIncomplete(address, exc) from exc
    record = replace(started, indices=result.indices, raw=result.raw)
    pipe = store.pipeline(transaction=True)
    pipe.lpush(_key(namespace), json.dumps(asdict(record)))
    pipe.ltrim(_key(namespace), 0, KEPT - 1)
    pipe.hdel(_pending_key(namespace), address)
    pipe.execute()
    log.warning("takedown of %s by %s: %s (indices: %s, raw: %s, copies: %s)", record.url, by, reason,
                ", ".join(record.indices) or "none", record.raw, ", ".join(record.copies) or "none")
    return record


def pending(store: redis.Redis, namespace: str) -> list[Takedown]:
    """Takedowns begun but not finished (an Elasticsearch failure midway), oldest first."""
    raw: dict[Any, Any] = store.hgetall(_pending_key(namespace))
    return sorted((Takedown(**json.loads(value)) for value in raw.values()), key=lambda t: t.at)


def resume(es: Elasticsearch, names: IndexNames, store: redis.Redis, namespace: str) -> list[Takedown]:
    """Finish the pending takedowns (the reconciler's part); those finished."""
    done = []
    for begun in pending(store, namespace):
        try:
            done.append(remove(es, names, store, namespace, begun.url, begun.reason, begun.by))
        except TakedownIncomplete:
            continue  # still pending; tried again at the next round
    return done


def blocked(store: redis.Redis, namespace: str, ids: Iterable[str]) -> set[str]:
    """Those of ``ids`` on the takedown list, in one round trip."""
    return _listed(store, _list_key(namespace), ids)


def blocked_texts(store: redis.Redis, namespace: str, hashes: Iterable[str]) -> set[str]:
    """Those of ``hashes`` (``content_hash``) that are a taken-down page's text."""
    return _listed(store, _texts_key(namespace), hashes)


def _listed(store: redis.Redis, key: str, names: Iterable[str]) -> set[str]:
    wanted = sorted(set(names))
    if not wanted:
        return set()
    answers: list[Any] = store.hmget(key, wanted)
    return {name for name, url in zip(wanted, answers, strict=True) if url is not None}


def reinstate(store: redis.Redis, namespace: str, url: str) -> int:
    """Take ``url`` off the takedown list (every id it was listed under, its copies' and its
    text); how many ids. The page and its copies come back at their next ingest, not before:
    nothing was kept."""
    address = canonical_url(url)
    ids = _named(store, _list_key(namespace), address)
    texts = _named(store, _texts_key(namespace), address)
    pipe = store.pipeline(transaction=True)
    if ids:
        pipe.hdel(_list_key(namespace), *ids)
    if texts:
        pipe.hdel(_texts_key(namespace), *texts)
    pipe.hdel(_pending_key(namespace), address)
    pipe.execute()
    return len(ids)


def _named(store: redis.Redis, key: str, address: str) -> list[Any]:
    listed: dict[Any, Any] = store.hgetall(key)
    return [name for name, value in listed.items() if _text(value) == address]


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def since(store: redis.Redis, namespace: str, moment: float) -> list[Takedown]:
    """The kept takedowns made at or after ``moment`` (seconds since the epoch)."""
    return [t for t in recent(store, namespace, KEPT) if t.at >= moment]


def recent(store: redis.Redis, namespace: str, limit: int = 50) -> list[Takedown]:
    raw: list[Any] = store.lrange(_key(namespace), 0, limit - 1)
    return [Takedown(**json.loads(item)) for item in raw]
