"""The console's clients, built on first use and kept on the app: the job store, the Celery
app (to enqueue work and ask after workers) and index names. Nothing connects at import."""

from __future__ import annotations

from typing import TYPE_CHECKING

import redis
from elasticsearch import Elasticsearch
from flask import Flask, current_app

from indexer.index.names import IndexNames
from web import settings_of
from web.admin import attempts
from web.admin.attempts import SignInLimit
from web.app_state import kept
from worker.fetch import Fetcher
from worker.jobs import JobStore

if TYPE_CHECKING:
    from worker.app import PagesiftCelery



def _job_store(app: Flask) -> JobStore:
    from worker.context import job_store

    return job_store(settings_of(app))


def _celery(app: Flask) -> PagesiftCelery:
    from worker.app import create_celery

    return create_celery(settings_of(app))


def jobs(app: Flask | None = None) -> JobStore:
    return kept("pagesift_admin_jobs", _job_store, app)


def celery(app: Flask | None = None) -> PagesiftCelery:
    """A Celery app bound to these settings: the same broker and queue as the workers."""
    return kept("pagesift_admin_celery", _celery, app)


def names(app: Flask | None = None) -> IndexNames:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return IndexNames.from_settings(settings_of(app).index)


def _es(app: Flask) -> Elasticsearch:
    from indexer.es import make_client

    # Takedowns and rollbacks copy documents: they get the full timeout, not a search's budget.
    return make_client(settings_of(app).es, retries=1)


def _redis(app: Flask) -> redis.Redis:
    from worker import redis_dbs

    return redis_dbs.client(settings_of(app).redis.url, redis_dbs.JOBS)


def es(app: Flask | None = None) -> Elasticsearch:
    return kept("pagesift_admin_es", _es, app)


def store(app: Flask | None = None) -> redis.Redis:
    """The job store's Redis database: also where the reindex lock and takedown log live."""
    return kept("pagesift_admin_redis", _redis, app)


def fetcher(app: Flask | None = None) -> Fetcher:
    """The pipeline's fetcher (SSRF guard, robots, politeness), for previews."""
    def build(a: Flask) -> Fetcher:
        settings = settings_of(a)
        return Fetcher(settings.fetch, settings.redis.namespace, store(a))

    return kept("pagesift_admin_fetcher", build, app)


def _sign_in_limit(app: Flask) -> SignInLimit:
    # Where the other rate limits are kept, under their prefix.
    client = attempts.connect(app.config["RATELIMIT_STORAGE_URI"])
    return SignInLimit(client, f"{app.config['RATELIMIT_KEY_PREFIX']}:signin")


def sign_in_limit(app: Flask | None = None) -> SignInLimit:
    """The console's sign-in limit (web.admin.attempts)."""
    return kept("pagesift_admin_sign_in_limit", _sign_in_limit, app)
