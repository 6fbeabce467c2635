"""Duplicates across workers running at the same time.

:class:`~indexer.index.duplicates.DuplicateFinder` asks the index which URL holds a text
first. Two workers indexing the same text under two URLs within one refresh interval cannot
see each other there, so both would be kept as originals. A claim in Redis per content hash
(``SET NX``) settles the race: the first batch to claim a text keeps it, later URLs are marked
``duplicate_of`` it. Claims expire; by then the index itself answers.
"""

from __future__ import annotations

from collections.abc import Sequence

import redis

from indexer.index.documents import Document

CLAIM_TTL = 3600


def claim_originals(client: redis.Redis, namespace: str, prefix: str, documents: Sequence[Document]) -> None:
    """Mark, in place, documents whose text another URL claimed first (and not already marked)."""
    open_docs = [d for d in documents if d.source.get("content_hash") and not d.source.get("duplicate_of")]
    if not open_docs:
        return
    pipe = client.pipeline()
    for document in open_docs:
        key = f"{namespace}:original:{prefix}:{document.source['content_hash']}"
        pipe.set(key, document.url, nx=True, ex=CLAIM_TTL)
        pipe.get(key)
    answers = pipe.execute()
    for document, holder in zip(open_docs, answers[1::2], strict=True):
        original = holder.decode() if isinstance(holder, bytes) else holder
        if original and original != document.url:
            document.source["duplicate_of"] = original
