"""Fixtures for the index tests: one private prefix per test, and everything under it
(indices, aliases, the template) removed afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from indexer import config
from indexer.config import Settings
from indexer.index.mapping import IndexSpec
from indexer.index.mapping import load as load_spec
from indexer.index.names import IndexNames


@pytest.fixture
def spec() -> IndexSpec:
    return load_spec("pages")


@pytest.fixture
def isolated(es, unique_name: str) -> Iterator[Settings]:  # type: ignore[no-untyped-def]
    """Settings whose prefix is this test's own; its indices and template go afterwards."""
    settings = config.load(index_prefix=unique_name)
    yield settings
    names = IndexNames.from_settings(settings.index)
    # The node refuses wildcard deletes, so resolve the names first.
    ours = es.options(ignore_status=404).indices.get(index=f"{names.prefix}-*", expand_wildcards="all")
    for index in ours.body:
        es.options(ignore_status=404).indices.delete(index=index)
    es.options(ignore_status=404).indices.delete_index_template(name=names.template)


@pytest.fixture
def names(isolated: Settings) -> IndexNames:
    return IndexNames.from_settings(isolated.index)
