"""The Celery application, bound to pagesift's settings (an application factory).

``create_celery(settings)`` builds an app for the given settings: tests and the CLI use it
directly. ``celery -A worker.app worker`` asks this module for ``app``; it is built from
:func:`indexer.config.load` on first access (PEP 562 ``__getattr__``), never at import.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any, cast

from celery import Celery
from celery.signals import worker_process_init

from indexer.config import Settings
from worker import redis_dbs

TASK_MODULES = ["worker.tasks"]


class PagesiftCelery(Celery):
    """A Celery app that carries the settings its tasks run with."""

    settings: Settings


def _restore_cadence(visibility_timeout: int) -> dict[str, int]:
    # kombu sweeps unacknowledged messages back into the queue on this cadence; a short
    # visibility timeout (tests) is useless unless the sweep runs about as often.
    if visibility_timeout < 300:
        return {"unacked_restore_interval": max(1, visibility_timeout // 5), "unacked_restore_throttle": 1}
    return {}


def celery_config(settings: Settings) -> dict[str, Any]:
    transport = {
        "visibility_timeout": settings.worker.visibility_timeout,
        "global_keyprefix": f"{settings.redis.namespace}:",
        "socket_timeout": 30,
        "socket_connect_timeout": 5,
        "health_check_interval": 30,
        **_restore_cadence(settings.worker.visibility_timeout),
    }
    return {
        "broker_url": redis_dbs.database_url(settings.redis.url, redis_dbs.BROKER),
        "result_backend": redis_dbs.database_url(settings.redis.url, redis_dbs.RESULTS),
        "broker_transport_options": transport,
        "result_backend_transport_options": {"global_keyprefix": f"{settings.redis.namespace}:"},
        "broker_connection_retry_on_startup": True,
        "broker_connection_max_retries": None,
        # JSON only: a pickled message from a compromised broker would run code in the worker.
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "result_accept_content": ["json"],
        # A task is acknowledged when done, and redelivered if its worker dies: tasks are idempotent.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_soft_time_limit": settings.worker.task_soft_time_limit,
        "task_time_limit": settings.worker.task_time_limit,
        # Progress lives in the job store; results would only fill Redis.
        "task_ignore_result": True,
        "result_expires": 3600,
        "task_default_queue": settings.redis.namespace,
        "worker_concurrency": settings.worker.concurrency,
        "worker_hijack_root_logger": False,
        "timezone": "UTC",
        "enable_utc": True,
    }


def _warm_up(cache_dir: Path, embedding_model: str, **_signal: Any) -> None:
    """A pool process loads the cleaner's and the embedding's models as it starts, not
    during its first batch."""
    from indexer import embedding
    from indexer.clean import keep_models_in, warm_up

    keep_models_in(cache_dir)
    warm_up()
    embedding.load(embedding_model)


def create_celery(settings: Settings) -> PagesiftCelery:
    # Connected here, not at import; the uid keeps it to one connection however many apps.
    worker_process_init.connect(partial(_warm_up, settings.cache_dir, settings.search.embedding_model),
                                weak=False, dispatch_uid="pagesift-warm-up")
    app = PagesiftCelery("pagesift", include=TASK_MODULES, set_as_current=False)
    app.settings = settings
    app.conf.update(celery_config(settings))
    from worker.beat import beat_schedule

    app.conf.beat_schedule = beat_schedule(settings)
    return app


_app: PagesiftCelery | None = None


def make() -> PagesiftCelery:
    """The process-wide app, from the environment's settings, built once."""
    global _app
    if _app is None:
        from indexer import config

        _app = create_celery(config.load())
        _app.set_current()
        _app.set_default()
    return _app


def __getattr__(name: str) -> Any:
    if name in ("app", "celery"):
        return make()
    raise AttributeError(name)


def settings_of(app: Any) -> Settings:
    return cast(PagesiftCelery, app).settings
