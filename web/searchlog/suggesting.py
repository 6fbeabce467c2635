"""Past queries for autocomplete (part of ``/api/suggest``): never an error for the reader."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app

from indexer.searchlog.events import now
from indexer.searchlog.names import SearchLogNames
from indexer.searchlog.suggestions import past_queries
from web import es, reader_redis, settings_of

log = logging.getLogger(__name__)


def suggested_queries(typed: str) -> list[str]:
    """The past queries to offer for ``typed``; none when the log or Redis cannot say."""
    settings = settings_of(current_app)
    if not settings.searchlog.enabled or settings.searchlog.suggest_max <= 0:
        return []
    wanted = settings.searchlog
    since = now() - timedelta(days=wanted.retention_days)
    # Fails closed: the takedown list and the blocklist, which only Redis holds, are all that
    # keep a past query's text out (no takedown purges the log), so with Redis away none is
    # offered. Titles still are: a takedown purged its page from the index.
    try:
        return reader_redis.call(lambda store: past_queries(
            es.client(), SearchLogNames(settings.index.prefix), store, settings.redis.namespace, typed,
            since=since, min_visits=wanted.suggest_min_count, size=wanted.suggest_max))
    except Exception:  # autocomplete is a nicety: titles alone are still offered
        log.warning("past-query suggestions unavailable", exc_info=True)
        return []
