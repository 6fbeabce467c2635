"""A job store of its own per test, under a fresh namespace, emptied afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from worker.jobs import JobRecords, JobStore, PageLedger


@pytest.fixture
def store(redis_client, unique_name: str) -> Iterator[JobStore]:  # type: ignore[no-untyped-def]
    yield JobStore(redis_client, unique_name)
    keys = list(redis_client.scan_iter(f"{unique_name}:*"))
    if keys:
        redis_client.delete(*keys)


@pytest.fixture
def records(store: JobStore) -> JobRecords:
    return store.records


@pytest.fixture
def ledger(store: JobStore) -> PageLedger:
    return store.ledger
