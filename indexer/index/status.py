"""What the index looks like now: where the aliases point, every versioned index, the raw
store. Read by ``pagesift index status`` and the console."""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from indexer.index import lifecycle, mapping
from indexer.index.names import IndexNames


def describe(client: Elasticsearch, names: IndexNames) -> dict[str, Any]:
    stats = client.options(ignore_status=404).indices.stats(
        index=f"{names.pattern},{names.raw}", metric="docs,store", expand_wildcards="all")
    by_index: dict[str, Any] = stats.body.get("indices", {})
    indices = [{"name": c.name, "version": c.version, "created": c.created.isoformat(),
                **_sizes(by_index.get(c.name, {}))}
               for c in lifecycle.concrete_indices(client, names)]
    return {
        "read_alias": names.read_alias,
        "read": lifecycle.alias_indices(client, names.read_alias),
        "write_alias": names.write_alias,
        "write": lifecycle.alias_indices(client, names.write_alias),
        "mapping_version": mapping.load("pages").version,
        "previous": lifecycle.previous_index(client, names),
        "indices": indices,
        "raw": {"name": names.raw, **_sizes(by_index.get(names.raw, {}))} if names.raw in by_index else None,
    }


def _sizes(stats: dict[str, Any]) -> dict[str, int]:
    primaries = stats.get("primaries", {})
    return {"docs": int(primaries.get("docs", {}).get("count", 0)),
            "bytes": int(primaries.get("store", {}).get("size_in_bytes", 0))}
