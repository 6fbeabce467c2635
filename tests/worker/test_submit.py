"""How accepted pages are cut into pipeline tasks, read back from the real Redis broker."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from worker import redis_dbs, submit

pytestmark = pytest.mark.integration


def _queued_batches(settings: Any) -> list[list[dict[str, Any]]]:
    """The page references of each queued task, in queue order (no worker is running)."""
    broker = redis_dbs.client(settings.redis.url, redis_dbs.BROKER)
    queue = f"{settings.redis.namespace}:{settings.redis.namespace}"
    messages = [json.loads(m) for m in reversed(broker.lrange(queue, 0, -1))]
    batches = []
    for message in messages:
        assert message["headers"]["task"] == submit.PROCESS_BATCH
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        batches.append(args[1])
    return batches


def test_local_pages_go_in_larger_batches_than_fetched_ones(kit, redis_client) -> None:  # type: ignore[no-untyped-def]
    settings = kit.settings(f"test-{uuid.uuid4().hex[:10]}", [], ingest_batch_size=3,
                            ingest_local_batch_size=7)
    files = [{"url": f"https://local.example/{n}", "origin": "file", "path": f"/saved/{n}.html"}
             for n in range(10)]
    archived = [{"url": f"https://warc.example/{n}", "origin": "warc", "path": "/a.warc.gz", "offset": n}
                for n in range(4)]
    fetched = [{"url": f"https://site.example/{n}"} for n in range(5)]
    app = submit.producer(settings)
    try:
        sent = submit.enqueue_refs(app, "job1", files + fetched + archived, settings)
        batches = _queued_batches(settings)
    finally:
        app.close()
        kit.cleanup(settings)
    assert sent == len(batches) == 4
    assert [len(b) for b in batches] == [7, 7, 3, 2]
    assert [r["url"] for b in batches[:2] for r in b] == [r["url"] for r in files + archived]
    assert [r["url"] for b in batches[2:] for r in b] == [r["url"] for r in fetched]


def _queued_etas(settings: Any) -> list[datetime]:
    broker = redis_dbs.client(settings.redis.url, redis_dbs.BROKER)
    queue = f"{settings.redis.namespace}:{settings.redis.namespace}"
    messages = [json.loads(m) for m in reversed(broker.lrange(queue, 0, -1))]
    return [datetime.fromisoformat(m["headers"]["eta"]) for m in messages]


def test_countdowns_stay_under_the_visibility_timeout(kit, redis_client) -> None:  # type: ignore[no-untyped-def]
    # A Retry-After of an hour equals the default visibility timeout: the broker would hand the
    # delayed task to a second worker while the first still holds it.
    settings = kit.settings(f"test-{uuid.uuid4().hex[:10]}", [], worker_visibility_timeout=3600,
                            task_time_limit=660)
    app = submit.producer(settings)
    refs = [{"url": "https://site.example/busy"}]
    try:
        sent_at = datetime.now(UTC)
        submit.enqueue_pages(app, "job1", refs, 5, countdown=3600.0)
        submit.enqueue_pages(app, "job1", refs, 5, countdown=30.0)
        hour, short = (eta - sent_at for eta in _queued_etas(settings))
    finally:
        app.close()
        kit.cleanup(settings)
    # The countdown and then the task's whole run must fit in the visibility timeout.
    assert timedelta(seconds=2800) < hour <= timedelta(seconds=3600 - 660)
    assert timedelta(seconds=29) < short < timedelta(seconds=32), "short countdowns are kept"
