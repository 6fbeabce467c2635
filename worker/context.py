"""What a worker process needs to run tasks, built once per process on first use.

Built lazily in the process that runs tasks (after Celery's fork), so no client is shared
across processes and nothing connects at import. The commands import this module for
:func:`job_store` alone, so the worker's heavier modules (Elasticsearch's client, the
cleaner) are imported when a context is built, not with the module: a `pagesift ingest`
starts the job that much sooner.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from indexer.config import Settings
from worker import redis_dbs
from worker.jobs import JobStore

if TYPE_CHECKING:
    import redis
    from elasticsearch import Elasticsearch

    from indexer.embedding import Embedder
    from indexer.index.bulk import BulkOptions
    from indexer.index.indexing import Registry
    from indexer.index.names import IndexNames
    from indexer.index.preparing import Cleaning
    from worker.fetch import Fetcher


@dataclass(frozen=True)
class Context:
    settings: Settings
    es: Elasticsearch
    redis: redis.Redis
    jobs: JobStore
    fetcher: Fetcher
    names: IndexNames
    bulk: BulkOptions
    cleaning: Cleaning
    registry: Registry
    embedder: Embedder | None


def job_store(settings: Settings) -> JobStore:
    return JobStore(redis_dbs.client(settings.redis.url, redis_dbs.JOBS), settings.redis.namespace)


@cache
def ensure_indices(settings: Settings) -> None:
    """The read/write aliases and the raw store exist, once per process: a batch written
    before them would make Elasticsearch auto-create a plain index named like the alias."""
    from indexer.index import lifecycle, mapping, raw_store

    ctx = context(settings)
    lifecycle.ensure_index(ctx.es, ctx.names, mapping.load())
    raw_store.ensure(ctx.es, ctx.names)


@cache
def context(settings: Settings) -> Context:
    from indexer import embedding
    from indexer.es import make_client
    from indexer.index import mapping
    from indexer.index.bulk import BulkOptions
    from indexer.index.indexing import Registry
    from indexer.index.names import IndexNames
    from indexer.index.preparing import Cleaning
    from worker.fetch import Fetcher

    client = redis_dbs.client(settings.redis.url, redis_dbs.JOBS)
    return Context(
        settings=settings,
        es=make_client(settings.es),
        redis=client,
        jobs=JobStore(client, settings.redis.namespace),
        fetcher=Fetcher(settings.fetch, settings.redis.namespace, client),
        names=IndexNames.from_settings(settings.index),
        bulk=BulkOptions.from_settings(settings.index),
        cleaning=Cleaning.from_settings(settings.clean),
        registry=Registry(client, settings.redis.namespace, settings.index.prefix),
        embedder=embedding.for_mapping(settings.search.embedding_model, mapping.load()),
    )
