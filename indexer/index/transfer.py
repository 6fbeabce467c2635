"""Moving documents between concrete indices: a whole copy (for ``migrate``) and catch-ups
of what writers added to one index while another was being built.

Catch-ups during a build go by sequence numbers: each shard numbers every write, so "every
document written after this mark" is exact, whatever the writers' clocks say. All copies keep
each document's external version, so a copy never replaces a document ingested later than the
one it carries.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from elasticsearch import ApiError, Elasticsearch
from elasticsearch.helpers import scan

from indexer.index.bulk import BulkOptions, BulkReport, Failure, Progress, index_documents
from indexer.index.documents import Document, version_of

# What a node answers for an API it does not have (the embedded node lacks _reindex).
_MISSING_API = {400, 404, 405}

# Per primary shard, the highest sequence number written so far.
Marks = dict[int, int]


def marks(client: Elasticsearch, index: str) -> Marks:
    stats = client.indices.stats(index=index, level="shards", metric="docs")
    shards: dict[str, list[dict[str, Any]]] = stats["indices"][index]["shards"]
    return {int(number): copy["seq_no"]["max_seq_no"]
            for number, copies in shards.items() for copy in copies if copy["routing"]["primary"]}


def copy_written_after(client: Elasticsearch, source: str, target: str, after: Marks,
                       options: BulkOptions) -> BulkReport:
    """Copy the documents written to ``source`` after ``after`` (taken by :func:`marks`)."""
    client.indices.refresh(index=source)
    return index_documents(client, target, _written_after(client, source, after), options)


def _written_after(client: Elasticsearch, index: str, after: Marks) -> Iterator[Document]:
    for shard, mark in sorted(after.items()):
        query = {"range": {"_seq_no": {"gt": mark}}}
        yield from _documents(client, index, query, preference=f"_shards:{shard}")


def copy_index(client: Elasticsearch, source: str, target: str, options: BulkOptions,
               progress: Progress | None = None) -> BulkReport:
    """Every document of ``source`` into ``target``: Elasticsearch's ``_reindex`` where the
    node has it, a client-side scroll and bulk where it does not (the embedded node)."""
    client.indices.refresh(index=source)
    try:
        answer = client.reindex(
            source={"index": source, "size": options.chunk_docs},
            dest={"index": target, "version_type": "external_gte"},
            conflicts="proceed", wait_for_completion=True, refresh=False,
        )
    except ApiError as exc:
        if exc.status_code not in _MISSING_API or "_reindex" not in str(exc):
            raise
        # Not helpers.reindex: on a node without data streams its probe fails with a 405 it
        # does not catch, and it can carry neither the external versions nor per-page outcomes.
        return index_documents(client, target, _documents(client, source, {"match_all": {}}), options,
                               progress)
    report = _server_report(answer.body)
    if progress is not None:
        progress(report.total)
    return report


def _server_report(body: dict[str, Any]) -> BulkReport:
    report = BulkReport()
    report.counts.update({"created": int(body.get("created", 0)), "updated": int(body.get("updated", 0)),
                          "stale": int(body.get("version_conflicts", 0))})
    for failure in body.get("failures", []):
        cause = failure.get("cause", {})
        report.add_failure(Failure(str(failure.get("id", "")), "", int(failure.get("status", 0)),
                                   str(cause.get("type", "error")), str(cause.get("reason", ""))))
    report.sent = report.total
    return report


def copy_ingested_since(client: Elasticsearch, source: str, target: str, since: datetime,
                        options: BulkOptions) -> BulkReport:
    """Copy the documents of ``source`` ingested at or after ``since`` into ``target`` (for a
    rollback, when no marks were taken)."""
    client.indices.refresh(index=source)
    query = {"range": {"ingested_at": {"gte": since.isoformat()}}}
    return index_documents(client, target, _documents(client, source, query), options)


def _documents(client: Elasticsearch, index: str, query: dict[str, Any],
               preference: str | None = None) -> Iterator[Document]:
    """The index's documents with their versions: ``ingested_at``, as every writer sets it."""
    for hit in scan(client, index=index, query={"query": query}, size=500, preference=preference):
        source = hit["_source"]
        yield Document(hit["_id"], source, version_of(datetime.fromisoformat(source["ingested_at"])))
