"""Duplicate marking: the first URL seen with a text is its original, later URLs with the same
text, or nearly the same (:mod:`indexer.index.near_duplicates`: a date line, a "republished"
note), get ``duplicate_of`` pointing at it. Exact copies are found by ``content_hash``, near
ones by their LSH keys and decided on their MinHash signatures.

"First" is the earliest ``ingested_at`` in the index; within one run, the order documents are
marked in. The run's own map matters during a reindex, when refresh is off and the target
index cannot answer for documents written by the same run.

Two workers indexing the same text under two URLs within one refresh interval cannot see each
other in the index, so both would be kept as originals: live ingestion also passes
:class:`Claims`, a claim in Redis per content hash (``SET NX``) that the first batch to make
wins. Claims expire; by then the index itself answers.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

import redis
from elasticsearch import Elasticsearch

from indexer.index import near_duplicates
from indexer.index.documents import Document

CLAIM_TTL = 3600
# Near-duplicate candidates fetched per document of a batch: copies of one text are few.
NEAR_CANDIDATES_PER_DOCUMENT = 5


@dataclass(frozen=True)
class Claims:
    client: redis.Redis
    namespace: str
    prefix: str

    def settle(self, documents: Sequence[Document]) -> None:
        """Mark, in place, documents whose text another URL claimed first (and not already marked)."""
        open_docs = [d for d in documents
                     if d.source.get("content_hash") and not d.source.get("duplicate_of")]
        if not open_docs:
            return
        pipe = self.client.pipeline()
        for document in open_docs:
            key = f"{self.namespace}:original:{self.prefix}:{document.source['content_hash']}"
            pipe.set(key, document.url, nx=True, ex=CLAIM_TTL)
            pipe.get(key)
        answers = pipe.execute()
        for document, holder in zip(open_docs, answers[1::2], strict=True):
            original = holder.decode() if isinstance(holder, bytes) else holder
            if original and original != document.url:
                document.source["duplicate_of"] = original

    def release(self, digest: str, url: str) -> None:
        """Give up ``url``'s claim on a text (it left the index): the next URL with it is its
        original, not a copy of a page that is gone."""
        key = f"{self.namespace}:original:{self.prefix}:{digest}"
        self.client.eval(_RELEASE, 1, key, url)


# Delete a claim only if it is still the leaving URL's: another URL may hold it by now.
_RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"


class DuplicateFinder:
    def __init__(self, client: Elasticsearch, index: str, claims: Claims | None = None) -> None:
        self._client = client
        self._index = index
        self._claims = claims
        self._originals: dict[str, str] = {}
        # The run's own originals by LSH key, for what the index cannot answer yet (a reclean's
        # build is not refreshed): signatures kept encoded, a tenth of a tuple of ints' memory.
        self._near: dict[str, list[tuple[str, str]]] = {}
        # Documents leaving the index in this run: no one's original any more (a moved post's
        # old address is removed in the same write that indexes its new one).
        self._gone: set[str] = set()

    def forget(self, ids: Collection[str]) -> None:
        """``ids`` are leaving the index: they are not originals for what this run marks, and
        their claims are released."""
        wanted = sorted(set(ids) - self._gone)
        if not wanted:
            return
        self._gone.update(wanted)
        answer = self._client.options(ignore_status=404).mget(index=self._index, ids=wanted,
                                                              source=["url", "content_hash"])
        for doc in answer.body.get("docs", []):
            source = doc.get("_source") or {}
            digest, url = source.get("content_hash"), source.get("url")
            if not (doc.get("found") and digest and url):
                continue
            if self._originals.get(digest) == url:
                del self._originals[digest]
            if self._claims is not None:
                self._claims.release(digest, url)

    def _not_gone(self) -> list[dict[str, Any]]:
        return [{"ids": {"values": sorted(self._gone)}}] if self._gone else []

    def mark(self, documents: Sequence[Document]) -> None:
        """Set or clear ``duplicate_of`` on each document, in place."""
        unknown = {d.source["content_hash"] for d in documents if d.source.get("content_hash")}
        unknown -= set(self._originals)
        if unknown:
            self._originals.update(self._lookup(sorted(unknown)))
        for document in documents:
            document.source.pop("duplicate_of", None)
            digest = document.source.get("content_hash")
            if not digest:
                continue
            original = self._originals.setdefault(digest, document.url)
            if original != document.url:
                document.source["duplicate_of"] = original
        if self._claims is not None:
            self._claims.settle(documents)
        self._mark_near(documents)

    def _mark_near(self, documents: Sequence[Document]) -> None:
        """Originals first in the index (earliest ingested), then earlier in this run."""
        open_docs = [d for d in documents
                     if d.source.get("near_keys") and not d.source.get("duplicate_of")]
        if not open_docs:
            return
        indexed = self._near_lookup(open_docs)
        for document in open_docs:
            signature = near_duplicates.decode(document.source["near_signature"])
            keys = document.source["near_keys"]
            local = [(url, near_duplicates.decode(code))
                     for k in keys for url, code in self._near.get(k, [])]
            # The batch's lookup answers for all its documents: the signatures decide.
            original = next((url for url, other in (*indexed, *local)
                             if url != document.url and near_duplicates.same_article(signature, other)), None)
            if original is not None:
                document.source["duplicate_of"] = original
                continue
            for key in keys:
                self._near.setdefault(key, []).append((document.url, document.source["near_signature"]))

    def _near_lookup(self, documents: Sequence[Document]) -> list[tuple[str, near_duplicates.Signature]]:
        keys = sorted({k for d in documents for k in d.source["near_keys"]})
        answer = self._client.options(ignore_status=404).search(
            index=self._index, size=NEAR_CANDIDATES_PER_DOCUMENT * len(documents),
            query={"bool": {"filter": [{"terms": {"near_keys": keys}}],
                            "must_not": [{"exists": {"field": "duplicate_of"}}, *self._not_gone()]}},
            source_includes=["url", "near_signature"], sort=[{"ingested_at": "asc"}, {"url": "asc"}])
        hits: list[dict[str, Any]] = answer.body.get("hits", {}).get("hits", [])
        return [(h["_source"]["url"], near_duplicates.decode(h["_source"]["near_signature"]))
                for h in hits if h.get("_source", {}).get("near_signature")]
    def _lookup(self, hashes: list[str]) -> dict[str, str]:
        """The earliest original already indexed for each hash, in one request."""
        answer = self._client.options(ignore_status=404).search(
            index=self._index,
            size=0,
            query={"bool": {"filter": [{"terms": {"content_hash": hashes}}],
                            "must_not": [{"exists": {"field": "duplicate_of"}}, *self._not_gone()]}},
            aggs={"hashes": {
                "terms": {"field": "content_hash", "size": len(hashes)},
                "aggs": {"first": {"top_hits": {
                    "size": 1, "_source": ["url"],
                    "sort": [{"ingested_at": "asc"}, {"url": "asc"}]}}},
            }},
        )
        aggregations: dict[str, Any] = answer.body.get("aggregations", {})
        buckets: list[dict[str, Any]] = aggregations.get("hashes", {}).get("buckets", [])
        return {b["key"]: b["first"]["hits"]["hits"][0]["_source"]["url"] for b in buckets}
