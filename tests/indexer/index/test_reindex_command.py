"""`pagesift reindex` without --job on the real services: recorded as a job, read as text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from indexer import config
from indexer.config import Settings
from indexer.index import lifecycle, raw_store
from indexer.index.bulk import BulkOptions
from indexer.index.locking import lock_key
from indexer.index.mapping import IndexSpec
from indexer.index.names import IndexNames
from indexer.index.raw_store import RawPage
from pagesift.cli import main
from worker.context import job_store

pytestmark = pytest.mark.integration

T0 = datetime(2026, 3, 1, tzinfo=UTC)


def _html(n: int) -> bytes:
    body = f"<p>Report {n}: the ferry timetable for district {n} changes on Monday, the council said.</p>" * 3
    return (f'<html lang="en"><head><title>Story {n}</title>'
            f'<link rel="canonical" href="https://example.org/p/{n}"></head>'
            f"<body><article><h1>Story {n}</h1>{body}</article></body></html>").encode()


@pytest.fixture
def cli_settings(monkeypatch, isolated: Settings, redis_client) -> Iterator[Settings]:  # type: ignore[no-untyped-def]
    """The command line's environment: this test's index prefix and Redis namespace."""
    monkeypatch.setenv("PAGESIFT_INDEX_PREFIX", isolated.index.prefix)
    monkeypatch.setenv("PAGESIFT_REDIS_NAMESPACE", isolated.index.prefix)
    settings = config.load()
    yield settings
    redis_client.delete(lock_key(settings))
    keys = list(redis_client.scan_iter(f"{settings.redis.namespace}:*"))
    if keys:
        redis_client.delete(*keys)


def test_a_reindex_on_the_command_line_is_a_job_and_reads_as_text(
        es, cli_settings: Settings, names: IndexNames, spec: IndexSpec, capsys) -> None:  # type: ignore[no-untyped-def]
    lifecycle.ensure_index(es, names, spec)
    raw_store.ensure(es, names)
    pages = [RawPage(f"https://example.org/p/{n}", _html(n), T0) for n in range(4)]
    assert raw_store.put_many(es, names, pages, BulkOptions(initial_backoff=0.1)).complete

    assert main(["reindex", "--reclean"]) == 0
    out = capsys.readouterr()
    assert "{" not in out.out, out.out
    assert "swapped in" in out.out and "pages read 4: indexed 4, skipped 0, failed 0" in out.out
    [job] = job_store(cli_settings).records.recent()
    assert (job.type, job.status, job.indexed, job.params["mode"]) == ("reindex", "succeeded", 4, "reclean")
    assert job.params["runner"].startswith("the command line") and f"job {job.id}" in out.err
    assert job.params["result"]["swapped"] is True

    assert main(["jobs", "show", job.id]) == 0
    shown = capsys.readouterr().out
    assert "status    succeeded" in shown and "mode      reclean" in shown and "  run 1  succeeded" in shown
    assert "{" not in shown, shown
    assert main(["jobs", "show", job.id, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == job.id

    assert main(["reindex", "--migrate", "--json"]) == 0
    machine = json.loads(capsys.readouterr().out)
    assert machine["job"]["status"] == "succeeded" and machine["result"]["mode"] == "migrate"
    assert [j.params["mode"] for j in job_store(cli_settings).records.recent()] == ["migrate", "reclean"]

    # A rollback is a reindex too: listed with the others, its outcome read from its result.
    live = lifecycle.current_index(es, names)
    assert main(["reindex", "--rollback"]) == 0
    out = capsys.readouterr()
    assert "{" not in out.out, out.out
    back = job_store(cli_settings).records.recent()[0]
    assert (back.type, back.status, back.params["mode"]) == ("reindex", "succeeded", "rollback")
    assert back.params["result"]["swapped"] is True and f"job {back.id}" in out.err
    assert lifecycle.current_index(es, names) not in (None, live)


def test_a_refused_reindex_is_a_failed_job(cli_settings: Settings, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["reindex", "--migrate"]) == 2, "nothing to migrate: no index yet"
    [job] = job_store(cli_settings).records.recent()
    assert job.status == "failed" and job.error
    assert f"error: {job.error}" in capsys.readouterr().out


def test_a_refused_rollback_is_a_failed_job(cli_settings: Settings, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["reindex", "--rollback"]) != 0, "no index to roll back from"
    [job] = job_store(cli_settings).records.recent()
    assert (job.status, job.params["mode"]) == ("failed", "rollback") and job.error
