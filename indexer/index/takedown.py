"""Remove one URL from search and from the raw store.

The document goes from every versioned index, not only the live one: the kept index would
bring it back on rollback, and a build in progress would bring it back on its swap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from elasticsearch import Elasticsearch

from indexer.index import lifecycle, raw_store
from indexer.index.documents import canonical_url, document_id
from indexer.index.names import IndexNames


@dataclass
class TakedownResult:
    url: str
    indices: list[str] = field(default_factory=list)
    raw: bool = False

    @property
    def found(self) -> bool:
        return bool(self.indices) or self.raw


def takedown(client: Elasticsearch, names: IndexNames, url: str) -> TakedownResult:
    result = TakedownResult(canonical_url(url))
    doc_id = document_id(url)
    for index in lifecycle.concrete_indices(client, names):
        answer = client.options(ignore_status=404).delete(index=index.name, id=doc_id, refresh=True)
        if answer.body.get("result") == "deleted":
            result.indices.append(index.name)
    result.raw = raw_store.delete(client, names, url) if client.indices.exists(index=names.raw) else False
    return result
