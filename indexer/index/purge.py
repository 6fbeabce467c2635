"""Remove one URL from search and from the raw store, under every id it may be known by.

A page is indexed under its canonical URL and stored raw under the URL fetched; a redirect
adds a third. Taking down any of them finds the others through the raw store, so neither copy
is left for the next reclean. The document goes from every versioned index, not only the live
one: the kept index would bring it back on rollback, and a build in progress on its swap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from elasticsearch import Elasticsearch

from indexer.index import lifecycle, raw_store
from indexer.index.documents import canonical_url, document_id
from indexer.index.names import IndexNames
from indexer.query.fields import DUPLICATE_OF

CONTENT_HASH = "content_hash"
# Copies of one text are few; a page copied more often than this is taken down in several goes
# (each takedown finds the copies still there).
COPIES_MAX = 1000


@dataclass
class TakedownResult:
    url: str
    ids: dict[str, str] = field(default_factory=dict)
    indices: list[str] = field(default_factory=list)
    raw: bool = False

    @property
    def found(self) -> bool:
        return bool(self.indices) or self.raw


def takedown(client: Elasticsearch, names: IndexNames, url: str,
             ids: dict[str, str] | None = None) -> TakedownResult:
    """``ids``: :func:`known_ids` of ``url`` when the caller has them already."""
    result = TakedownResult(canonical_url(url), ids=ids if ids is not None else known_ids(client, names, url))
    for index in lifecycle.concrete_indices(client, names):
        for doc_id in result.ids:
            answer = client.options(ignore_status=404).delete(index=index.name, id=doc_id, refresh=True)
            if answer.body.get("result") == "deleted" and index.name not in result.indices:
                result.indices.append(index.name)
    if client.indices.exists(index=names.raw):
        for address in set(result.ids.values()):
            result.raw = raw_store.delete(client, names, address) or result.raw
    return result


def copies_of(client: Elasticsearch, names: IndexNames, addresses: Iterable[str]) -> dict[str, str]:
    """The exact and near copies of a page known by ``addresses``, in any of our indices: each
    copy's id and URL. They carry its text under another URL, marked ``duplicate_of`` it, and
    the next ingest or reclean of a copy would make it an original once the page is gone."""
    answer = client.options(ignore_status=404).search(
        index=names.pattern, size=COPIES_MAX, source_includes=[DUPLICATE_OF, "url"], ignore_unavailable=True,
        allow_no_indices=True, query={"terms": {DUPLICATE_OF: sorted(set(addresses))}})
    hits = answer.body.get("hits", {}).get("hits", [])
    return {hit["_id"]: str(hit["_source"].get("url") or hit["_id"]) for hit in hits}


def texts_of(client: Elasticsearch, names: IndexNames, ids: Iterable[str]) -> set[str]:
    """The ``content_hash`` of the documents ``ids`` name, in any of our indices."""
    answer = client.options(ignore_status=404).search(
        index=names.pattern, size=COPIES_MAX, source_includes=[CONTENT_HASH], ignore_unavailable=True,
        allow_no_indices=True, query={"ids": {"values": sorted(set(ids))}})
    hits = answer.body.get("hits", {}).get("hits", [])
    return {str(hit["_source"][CONTENT_HASH]) for hit in hits if hit["_source"].get(CONTENT_HASH)}


def known_ids(client: Elasticsearch, names: IndexNames, url: str) -> dict[str, str]:
    """Every id ``url``'s page may be known by, with the URL each stands for."""
    addresses = {canonical_url(url)}
    for page in raw_store.known_as(client, names, url):
        addresses |= {canonical_url(u) for u in (page.url, page.final_url, page.canonical) if u}
    return {document_id(a): a for a in sorted(addresses)}
