"""Session-wide fixtures for the real services.

`make test` starts Elasticsearch and Redis under a test home and test ports before pytest
runs. Without them, integration tests skip locally; with CI=true they fail, so a broken set-up
can never pass as a green run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from indexer import config
from indexer.config import Settings

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _missing(what: str) -> None:
    message = f"{what} is not reachable; run `make test` (it starts the test services)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return config.load()


@pytest.fixture(scope="session")
def es(settings: Settings):  # type: ignore[no-untyped-def]
    from indexer.es import make_client

    client = make_client(settings, timeout=30)
    if not client.ping():
        _missing(f"Elasticsearch at {settings.es_url}")
    yield client
    client.close()


@pytest.fixture(scope="session")
def redis_client(settings: Settings):  # type: ignore[no-untyped-def]
    import redis

    client = redis.Redis.from_url(settings.redis_url)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        _missing(f"Redis at {settings.redis_url}")
    yield client
    client.close()


@pytest.fixture
def unique_name() -> str:
    """A fresh lower-case name for indices, aliases and key prefixes of one test."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def index_cleanup(es) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """Append index names or patterns; they are deleted after the test.

    Patterns are expanded here because Elasticsearch 8 refuses wildcard deletes
    (``action.destructive_requires_name`` defaults to true).
    """
    names: list[str] = []
    yield names
    delete_indices(es, names)


def delete_indices(es, patterns: list[str]) -> None:  # type: ignore[no-untyped-def]
    for pattern in patterns:
        found = es.options(ignore_status=404).indices.get(index=pattern, expand_wildcards="all")
        for name in found.body:
            if name not in {"error", "status"}:
                es.options(ignore_status=404).indices.delete(index=name)
