"""The web app's copy of the site's category, tag and author names (:mod:`indexer.site_names`),
read again every ``PAGESIFT_SITE_WORDS_CACHE_SECONDS`` in the background (:mod:`web.refreshed`):
a new category, or an article filed under one, is offered within that time, and an index the
alias moves to is read at the next period."""

from __future__ import annotations

from flask import Flask

from indexer import site_names
from indexer.query.sitewords import NO_NAMES, SiteNames
from web import es, settings_of
from web.app_state import kept
from web.refreshed import Refreshed

_EXTENSION = "pagesift_site_names"


class SiteNamesCache(Refreshed[SiteNames]):
    empty = NO_NAMES
    what = "the site's names"


def _build(app: Flask) -> SiteNamesCache:
    settings = settings_of(app)
    return SiteNamesCache(lambda: site_names.load(es.client(app), settings.index.prefix),
                          settings.search.site_words_cache_seconds)


def current() -> SiteNames:
    return kept(_EXTENSION, _build).get()
