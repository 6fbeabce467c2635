"""The console's clients, built on first use and kept on the app: the job store, the Celery
app (to enqueue work and ask after workers) and index names. Nothing connects at import."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app

from indexer.index.names import IndexNames
from web import settings_of

T = TypeVar("T")
_lock = threading.Lock()


def _cached(key: str, build: Callable[[Flask], T], app: Flask | None = None) -> T:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    value: Any = app.extensions.get(key)
    if value is None:
        with _lock:
            value = app.extensions.get(key)
            if value is None:
                value = build(app)
                app.extensions[key] = value
    return value  # type: ignore[no-any-return]


def _job_store(app: Flask) -> Any:
    from worker.context import job_store

    return job_store(settings_of(app))


def _celery(app: Flask) -> Any:
    from worker.app import create_celery

    return create_celery(settings_of(app))


def jobs(app: Flask | None = None) -> Any:
    """The pipeline's :class:`worker.jobs.JobStore`."""
    return _cached("pagesift_admin_jobs", _job_store, app)


def celery(app: Flask | None = None) -> Any:
    """A Celery app bound to these settings: the same broker and queue as the workers."""
    return _cached("pagesift_admin_celery", _celery, app)


def names(app: Flask | None = None) -> IndexNames:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return IndexNames.from_settings(settings_of(app))
