"""The one path from a parsed request to shaped results, shared by the page and the API."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from typing import Any

import redis
from flask import current_app
from flask_babel import gettext
from werkzeug.exceptions import NotFound

from indexer import embedding, searching
from indexer import related as relating
from indexer.index import takedown_list
from indexer.query import SearchRequest, build_autocomplete, shape_autocomplete
from indexer.query.autocomplete import merge_suggestions
from indexer.query.request import RelatedRequest
from web import curation, es, reader_redis, searchlog, settings_of, site_names
from web.searchlog import suggesting

MIN_SUGGEST_CHARS = 2

log = logging.getLogger(__name__)


def search(req: SearchRequest, deferred_log: bool = False) -> dict[str, Any]:
    settings = settings_of(current_app)
    req = replace(req, mode=req.mode or settings.search.mode)
    started = time.perf_counter()
    result = searching.search(es.client(), settings.index.prefix, req, timeout_s=settings.web.search_timeout,
                              embedder=_embedder(settings.search.embedding_model),
                              curation=curation.current(), site_names=site_names.current())
    searchlog.record_search(req, result, started, deferred=deferred_log)
    return result


@cache
def _embedder(model: str) -> embedding.Embedder | None:
    """The configured model; a model that cannot load leaves this process's searches lexical
    rather than failing every one of them. Tried once per process (a load costs a fraction of
    a second and the reason is logged once): fix the setting, then restart the web service."""
    try:
        return embedding.load(model)
    except Exception:  # a bad name, a missing package or files: never the reader's error
        log.exception("the embedding model %r did not load: searches are lexical", model)
        return None


def related(req: RelatedRequest) -> dict[str, Any]:
    """Articles related to ``req.url``'s; :class:`~werkzeug.exceptions.NotFound` when it is not indexed."""
    settings = settings_of(current_app)
    try:
        return relating.related(es.client(), settings.index.prefix, req.url, size=req.size,
                                same_category=req.same_category, blocked=_taken_down,
                                hidden=curation.current().decide(req.q).hidden)
    except relating.NotIndexed:
        raise NotFound(gettext("No article with that address is in the index.")) from None


def _taken_down(ids: Iterable[str]) -> set[str]:
    """Those of ``ids`` on the takedown list. Fails open when Redis cannot answer: a takedown
    writes the list first and then purges the page from every index, so a page it names is
    already out of the index unless one is in flight, and none can be while Redis is away
    (it could not write the list). Search results never consult the list at all."""
    namespace = settings_of(current_app).redis.namespace
    try:
        return reader_redis.call(lambda store: takedown_list.blocked(store, namespace, ids))
    except redis.RedisError:
        log.warning("takedown list unreadable; related articles not checked against it")
        return set()


def suggest(prefix: str) -> list[dict[str, Any]]:
    if len(prefix) < MIN_SUGGEST_CHARS:
        return []
    settings = settings_of(current_app)
    resp = es.client().search(index=settings.index.prefix,
                              body=build_autocomplete(prefix, timeout_s=settings.web.search_timeout,
                                                      curated=curation.current().hiding(prefix)))
    return merge_suggestions(suggesting.suggested_queries(prefix), shape_autocomplete(resp.body))
