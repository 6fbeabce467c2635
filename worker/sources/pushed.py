"""Pages a publisher pushes (the WordPress plugin): each URL's latest state, staged in the job
store's Redis until the pipeline applies it.

A push or an unpublish stages the URL's new state and starts an ingest job whose page takes
its bytes from here instead of a fetch; from there on it is an ingested page like any other
(takedown list, cleaning, raw store, outcome in the job's ledger). One state per URL, the
latest: a later push replaces an earlier one before or after its job ran, so jobs that run out
of order can never bring an older state back. Once applied, a state is dropped (unless a newer
one replaced it meanwhile); a failed page keeps it for its retry, for :data:`KEPT_SECONDS`.
"""

from __future__ import annotations

import html
import json
import secrets
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import redis

from indexer.index.documents import document_id
from worker.sources.detect import Source

KIND = "pushed"
PUBLISHED, UNPUBLISHED = "published", "unpublished"
STATES = (PUBLISHED, UNPUBLISHED)
# Long enough for a failed page's retry days later; a state is dropped as soon as it applies.
KEPT_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Pushed:
    url: str
    state: str
    # The page as pagesift keeps it (see :func:`document`) and what its publisher stated.
    html: str = ""
    supplied: dict[str, Any] = field(default_factory=dict)
    # Tells this state from any later one of the same URL.
    token: str = field(default_factory=lambda: secrets.token_hex(8))


def source(urls: Sequence[str]) -> Source:
    """The job source of pushed URLs: their batch, in the order they were pushed."""
    return Source(KIND, "\n".join(urls))


def urls_of(location: str) -> list[str]:
    return [url for url in location.split("\n") if url]


def _key(namespace: str, url: str) -> str:
    return f"{namespace}:pushed:{document_id(url)}"


def stage(store: redis.Redis, namespace: str, pushed: Pushed) -> None:
    if pushed.state not in STATES:
        raise ValueError(f"state must be one of {', '.join(STATES)}")
    value = zlib.compress(json.dumps(asdict(pushed)).encode("utf-8"), 1)
    store.set(_key(namespace, pushed.url), value, ex=KEPT_SECONDS)


def latest(store: redis.Redis, namespace: str, url: str) -> Pushed | None:
    value: Any = store.get(_key(namespace, url))
    if value is None:
        return None
    return Pushed(**json.loads(zlib.decompress(value)))


def applied(store: redis.Redis, namespace: str, pushed: Pushed) -> None:
    """Drop ``pushed``'s state, unless a newer one of its URL replaced it meanwhile."""
    key = _key(namespace, pushed.url)

    def drop(pipe: redis.client.Pipeline) -> None:
        value: Any = pipe.get(key)
        if value is not None and json.loads(zlib.decompress(value)).get("token") == pushed.token:
            pipe.multi()
            pipe.delete(key)

    store.transaction(drop, key)


def document(url: str, title: str, body_html: str, language: str | None = None) -> str:
    """The page pagesift keeps for a pushed post: its own body in an ``<article>`` under its
    title, nothing around it, so the cleaner has no theme to strip and the raw store holds
    exactly what was cleaned (a reclean gives the same document)."""
    lang = f' lang="{html.escape(language)}"' if language else ""
    heading = html.escape(title)
    return (f'<!DOCTYPE html>\n<html{lang}><head><meta charset="utf-8"><title>{heading}</title>'
            f'<link rel="canonical" href="{html.escape(url)}"></head>\n'
            f"<body><article><h1>{heading}</h1>\n{body_html}\n</article></body></html>\n")


def published(url: str, page: Mapping[str, Any]) -> Pushed:
    """The state of a pushed post: ``page`` holds its body (``content``, HTML) and its facts."""
    facts = {k: v for k, v in page.items() if k != "content"}
    body = document(url, str(page.get("title") or ""), str(page.get("content") or ""),
                    page.get("language") if isinstance(page.get("language"), str) else None)
    return Pushed(url, PUBLISHED, body, facts)
