"""Words editors never want offered in autocomplete, kept in the job store's Redis database
(which survives restarts, like the takedown list beside it).

An entry blocks every past query that contains its words in a row: blocking ``bad word``
hides ``bad word``, ``the bad word news`` but not ``bad news about a word``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import redis

from indexer.query.text import normal_form

MAX_ENTRY_CHARS = 200


@dataclass(frozen=True)
class Entry:
    words: str
    by: str
    at: float


class BlocklistError(ValueError):
    """An entry that is empty or too long."""


def _key(namespace: str) -> str:
    return f"{namespace}:suggest-blocklist"


def add(store: redis.Redis, namespace: str, words: str, by: str) -> Entry:
    entry = Entry(normal_form(words), by, time.time())
    if not entry.words or len(entry.words) > MAX_ENTRY_CHARS:
        raise BlocklistError(f"an entry is 1 to {MAX_ENTRY_CHARS} characters of words")
    store.hset(_key(namespace), entry.words, json.dumps({"by": entry.by, "at": entry.at}))
    return entry


def remove(store: redis.Redis, namespace: str, words: str) -> bool:
    return bool(store.hdel(_key(namespace), normal_form(words)))


def entries(store: redis.Redis, namespace: str) -> list[Entry]:
    raw: dict[Any, Any] = store.hgetall(_key(namespace))
    found = [Entry(_text(words), **json.loads(meta)) for words, meta in raw.items()]
    return sorted(found, key=lambda e: e.words)


def blocks(entry_words: Iterable[str], query: str) -> bool:
    """Whether any entry's words appear, in a row, among ``query``'s."""
    words = normal_form(query).split()
    for entry in entry_words:
        run = entry.split()
        if run and any(words[i:i + len(run)] == run for i in range(len(words) - len(run) + 1)):
            return True
    return False


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
