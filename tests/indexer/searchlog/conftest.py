"""Helpers the search log's tests share (imported as ``tests.indexer.searchlog.conftest``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from indexer.query import SearchRequest
from indexer.searchlog.events import SearchEvent, search_event

UNWRITABLE = ("write block", "closed")


def logged_search(q: str, total: int, at: dt.datetime | None = None,
                  visit_id: str | None = None) -> SearchEvent:
    """A search event for ``q`` that found ``total`` (three ids shown at most), at ``at``."""
    result = {"total": total, "hits": [{"id": f"doc-{q}-{n}"} for n in range(min(total, 3))]}
    event = search_event(SearchRequest(q=q), result, mode="lexical", latency_ms=5, visit_id=visit_id)
    return replace(event, at=at) if at else event


@contextmanager
def unwritable(es, index: str, how: str) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """``index`` refusing writes for the block: a write block, or closed."""
    if how == "write block":
        es.indices.put_settings(index=index, settings={"index.blocks.write": True})
    else:
        es.indices.close(index=index)
    try:
        yield
    finally:
        if how == "write block":
            es.indices.put_settings(index=index, settings={"index.blocks.write": False})
        else:
            es.indices.open(index=index)


def delete_log(es, prefix: str) -> None:  # type: ignore[no-untyped-def]
    """Every daily index of ``prefix``'s search log (closed ones too), and its template."""
    from indexer.searchlog.names import SearchLogNames

    names = SearchLogNames(prefix)
    found = es.options(ignore_status=404).indices.get(index=names.pattern, expand_wildcards="all").body
    for index in found:
        if names.day_of(index):
            es.options(ignore_status=404).indices.delete(index=index)
    es.options(ignore_status=404).indices.delete_index_template(name=names.template)
