"""What the dashboard shows, gathered from Elasticsearch, Redis, the job store and Celery.

Each part answers on its own: one service being down shows as "down" or "unknown" on its
line, never as an error page, because the dashboard is where an operator looks when things
are down.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import elasticsearch
import redis
from flask import Flask

from indexer.index import lifecycle
from web import es, health, settings_of
from web.admin import services
from worker.jobs import Job

log = logging.getLogger(__name__)

WORKER_PING_S = 0.5
# How far back the dashboard looks for the last reindex.
RECENT_JOBS = 200
ES_ERRORS = (elasticsearch.TransportError, elasticsearch.ApiError)


@dataclass(frozen=True)
class IndexStatus:
    live: str | None
    previous: str | None
    documents: int | None
    size_bytes: int | None


@dataclass(frozen=True)
class Status:
    elasticsearch: bool
    redis: bool
    workers: list[str] | None
    queue_length: int | None
    index: IndexStatus
    last_reindex: Job | None
    active_jobs: int | None


def gather(app: Flask) -> Status:
    services_up = health.check(app)
    es_up = services_up["elasticsearch"] == "ok"
    redis_up = services_up["redis"] == "ok"
    return Status(
        elasticsearch=es_up,
        redis=redis_up,
        workers=workers(app) if redis_up else None,
        queue_length=queue_length(app) if redis_up else None,
        index=index_status(app) if es_up else IndexStatus(None, None, None, None),
        last_reindex=last_reindex(app) if redis_up else None,
        active_jobs=len(services.jobs(app).records.active_ids()) if redis_up else None,
    )


def index_status(app: Flask) -> IndexStatus:
    client = es.client(app)
    names = services.names(app)
    try:
        live = lifecycle.current_index(client, names)
        if live is None:
            return IndexStatus(None, None, None, None)
        documents = int(client.count(index=names.read_alias)["count"])
        stats = client.indices.stats(index=live, metric="store")
        size = int(stats["_all"]["primaries"]["store"]["size_in_bytes"])
        return IndexStatus(live, lifecycle.previous_index(client, names), documents, size)
    except ES_ERRORS as exc:
        log.warning("index status unavailable: %s", exc)
        return IndexStatus(None, None, None, None)


def workers(app: Flask) -> list[str] | None:
    """Names of the Celery workers that answered a ping; None when the broker cannot be asked."""
    try:
        replies: list[dict[str, Any]] = services.celery(app).control.ping(timeout=WORKER_PING_S) or []
    except (OSError, redis.RedisError) as exc:
        log.warning("worker ping failed: %s", exc)
        return None
    return sorted(name for reply in replies for name in reply)


def queue_length(app: Flask) -> int | None:
    """Tasks waiting in the pipeline's queue, over every priority level of it."""
    queue = settings_of(app).redis.namespace
    try:
        with services.celery(app).connection_for_read() as conn:
            channel = conn.default_channel
            # Not queue_declare(passive=True): kombu's pipelined size check skips the
            # global_keyprefix and always finds the queue empty. The channel's own client
            # applies the prefix; _q_for_pri names each priority level's list.
            return sum(int(channel.client.llen(channel._q_for_pri(queue, pri)))
                       for pri in channel.priority_steps)
    except (OSError, redis.RedisError) as exc:
        log.warning("queue length unavailable: %s", exc)
        return None


def last_reindex(app: Flask) -> Job | None:
    for job in services.jobs(app).records.recent(RECENT_JOBS):
        if job.type == "reindex":
            return job
    return None
