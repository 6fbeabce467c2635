"""The web app's copy of the editors' curation (best bets, synonyms), kept a few seconds.

Each web process reads ``<prefix>-curation`` again once its copy is older than
``PAGESIFT_CURATION_CACHE_SECONDS``: a rule saved in the console reaches every process within
that time, read in the background as :mod:`web.refreshed` says. A malformed record is skipped
when read (:func:`indexer.curation.store.load` logs its id) and the others apply. The console
reloads its own process's copy at once after a save (:meth:`CurationCache.reload`, in the
editor's request).
"""

from __future__ import annotations

from flask import Flask

from indexer.curation import store
from indexer.curation.model import NO_CURATION, Curation
from web import es, settings_of
from web.app_state import kept
from web.refreshed import Refreshed

_EXTENSION = "pagesift_curation"


class CurationCache(Refreshed[Curation]):
    empty = NO_CURATION
    what = "curation"


def cache(app: Flask | None = None) -> CurationCache:
    return kept(_EXTENSION, _build, app)


def _build(app: Flask) -> CurationCache:
    settings = settings_of(app)
    return CurationCache(lambda: store.load(es.client(app), settings.index.prefix),
                         settings.curation.cache_seconds)


def current() -> Curation:
    return cache().get()
