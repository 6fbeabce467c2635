"""Moving documents between concrete indices: a whole copy (for ``migrate``) and a catch-up
of what writers added to one index while another was being built.

Both keep each document's external version where they can, so a copy never replaces a
document ingested later than the one it carries.
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


def copy_index(client: Elasticsearch, source: str, target: str, options: BulkOptions,
               progress: Progress | None = None) -> BulkReport:
    """Every document of ``source`` into ``target``: Elasticsearch's ``_reindex`` where the
    node has it, a client-side scroll and bulk where it does not (the embedded node)."""
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


def catch_up(client: Elasticsearch, source: str, target: str, since: datetime, options: BulkOptions,
             progress: Progress | None = None) -> BulkReport:
    """Copy the documents of ``source`` ingested at or after ``since`` into ``target``."""
    client.indices.refresh(index=source)
    query = {"range": {"ingested_at": {"gte": since.isoformat()}}}
    return index_documents(client, target, _documents(client, source, query), options, progress)


def _documents(client: Elasticsearch, index: str, query: dict[str, Any]) -> Iterator[Document]:
    """The index's documents with their versions: ``ingested_at``, as every writer sets it."""
    for hit in scan(client, index=index, query={"query": query}, size=500):
        source = hit["_source"]
        yield Document(hit["_id"], source, version_of(datetime.fromisoformat(source["ingested_at"])))
