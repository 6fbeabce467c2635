"""Deleting what a test made under an index prefix: the node refuses wildcard deletes, so each
versioned index of the prefix is named, then its template."""

from __future__ import annotations

from elasticsearch import Elasticsearch

from indexer.index.names import IndexNames


def drop_prefix(es: Elasticsearch, names: IndexNames) -> None:
    for index in es.options(ignore_status=404).indices.get(index=names.pattern).body:
        if names.parse(index):
            es.indices.delete(index=index)
    es.options(ignore_status=404).indices.delete_index_template(name=names.template)
