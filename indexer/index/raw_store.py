"""The raw store: every fetched page's HTML (zlib, base64 in a binary field that is never
indexed) and its fetch metadata, so a reclean never needs the network.

It lives in ``<prefix>-raw``, outside the versioned pattern, with ``best_compression``. A page's
raw document has the same id as its index document, and the same rule for versions: the copy
stored last wins.
"""

from __future__ import annotations

import base64
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from elasticsearch import ConflictError, Elasticsearch
from elasticsearch.helpers import scan

from indexer.index import mapping
from indexer.index.bulk import BulkOptions, BulkReport, Progress, index_documents
from indexer.index.documents import Document, canonical_url, document_id, version_of
from indexer.index.names import IndexNames

_CODEC = "zlib"
# Level 1: about 2.5x faster than the default 6 on these pages for ~15% more bytes; the worker
# pays it per page on the ingest path, and the index's codec compresses the store again anyway.
_LEVEL = 1


@dataclass(frozen=True)
class RawPage:
    url: str
    html: bytes
    fetched_at: datetime
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    # When pagesift stored it: the page's ingested_at when a reclean rebuilds it.
    stored_at: datetime | None = None
    # Where the answer came from after redirects, when not ``url``.
    final_url: str | None = None
    # The URL its document was indexed under (its canonical), when it made one: what a
    # takedown or a "gone" answer for ``url`` must remove as well.
    canonical: str | None = None
    # What the publisher stated about the page when it pushed it (title, terms, dates...),
    # trusted over the markup by every clean of it, a reclean's too. None: fetched as it is.
    supplied: dict[str, Any] | None = None

    def ids(self) -> set[str]:
        """The document ids this page may be known by."""
        return {document_id(u) for u in (self.url, self.final_url, self.canonical) if u}


def ensure(client: Elasticsearch, names: IndexNames) -> None:
    """Create the raw store unless it exists; an existing one gets the fields added since it
    was created (the store is not versioned: new fields are only ever added)."""
    body = mapping.load("raw").body()
    if client.indices.exists(index=names.raw):
        client.indices.put_mapping(index=names.raw, properties=body["mappings"]["properties"])
        return
    client.options(ignore_status=400).indices.create(index=names.raw, **body)


def to_document(page: RawPage, stored_at: datetime | None = None) -> Document:
    moment = page.stored_at or stored_at or datetime.now(UTC)
    url = canonical_url(page.url)
    source = {
        "url": url,
        "status": page.status,
        "headers": dict(page.headers),
        "fetched_at": page.fetched_at.astimezone(UTC).isoformat(timespec="milliseconds"),
        "stored_at": moment.astimezone(UTC).isoformat(timespec="milliseconds"),
        "size": len(page.html),
        **{name: canonical_url(value) for name, value in
           (("final_url", page.final_url), ("canonical", page.canonical)) if value},
        **({"supplied": page.supplied} if page.supplied else {}),
        "encoding": _CODEC,
        "html": base64.b64encode(zlib.compress(page.html, _LEVEL)).decode("ascii"),
    }
    return Document(document_id(url), source, version_of(moment))


def from_source(source: dict[str, Any]) -> RawPage:
    return RawPage(
        url=source["url"],
        html=zlib.decompress(base64.b64decode(source["html"])),
        fetched_at=datetime.fromisoformat(source["fetched_at"]),
        status=int(source.get("status", 0)),
        headers=dict(source.get("headers") or {}),
        stored_at=datetime.fromisoformat(source["stored_at"]),
        final_url=source.get("final_url"),
        canonical=source.get("canonical"),
        supplied=source.get("supplied") or None,
    )


def put(client: Elasticsearch, names: IndexNames, page: RawPage) -> bool:
    """Store one page; False when a copy stored later is already there."""
    document = to_document(page)
    try:
        client.index(index=names.raw, id=document.id, document=document.source,
                     version=document.version, version_type="external_gte")
    except ConflictError:
        return False
    return True


def put_many(client: Elasticsearch, names: IndexNames, pages: Iterable[RawPage], options: BulkOptions,
             progress: Progress | None = None) -> BulkReport:
    return index_documents(client, names.raw, (to_document(p) for p in pages), options, progress)


def get(client: Elasticsearch, names: IndexNames, url: str) -> RawPage | None:
    answer = client.options(ignore_status=404).get(index=names.raw, id=document_id(url))
    return from_source(answer["_source"]) if answer.body.get("found") else None


def iterate(client: Elasticsearch, names: IndexNames) -> Iterator[RawPage]:
    """Every stored page, oldest first: the order decides which URL of a duplicated text a
    reclean keeps as the original, the same one live ingestion kept."""
    hits = scan(client, index=names.raw, preserve_order=True,
                query={"sort": [{"stored_at": "asc"}, {"url": "asc"}]})
    for hit in hits:
        yield from_source(hit["_source"])


def count(client: Elasticsearch, names: IndexNames) -> int:
    client.indices.refresh(index=names.raw)
    return int(client.count(index=names.raw)["count"])


def delete(client: Elasticsearch, names: IndexNames, url: str) -> bool:
    answer = client.options(ignore_status=404).delete(index=names.raw, id=document_id(url))
    return answer.body.get("result") == "deleted"


def known_as(client: Elasticsearch, names: IndexNames, url: str) -> list[RawPage]:
    """The stored pages fetched as ``url``, redirected to it, or indexed under it."""
    if not client.indices.exists(index=names.raw):
        return []
    address = canonical_url(url)
    answer = client.search(index=names.raw, size=100, query={"bool": {"should": [
        {"term": {field: address}} for field in ("url", "final_url", "canonical")]}})
    return [from_source(hit["_source"]) for hit in answer["hits"]["hits"]]
