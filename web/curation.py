"""The web app's copy of the editors' curation (best bets, synonyms), kept a few seconds.

Each web process reads ``<prefix>-curation`` again once its copy is older than
``PAGESIFT_CURATION_CACHE_SECONDS``: a rule saved in the console reaches every process
within that time, and a reader search never waits on more than one small read per period.
A malformed record is skipped when read (:func:`indexer.curation.store.load` logs its id) and
the others apply; a read that fails altogether keeps the copy it had (a search is never failed
by its curation) and is tried again at the next period. The console drops its own process's
copy at once after a save.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from flask import Flask

from indexer.curation import store
from indexer.curation.model import NO_CURATION, Curation
from web import es, settings_of
from web.app_state import kept

log = logging.getLogger(__name__)
_EXTENSION = "pagesift_curation"


class CurationCache:
    def __init__(self, load: Callable[[], Curation], max_age_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._load, self._max_age, self._clock = load, max_age_s, clock
        self._value: Curation = NO_CURATION
        self._read_at: float | None = None
        self._lock = threading.Lock()

    def get(self) -> Curation:
        now = self._clock()
        if self._read_at is not None and now - self._read_at < self._max_age:
            return self._value
        with self._lock:  # one reader refreshes; the others keep using the copy they had
            if self._read_at is None or self._clock() - self._read_at >= self._max_age:
                self._refresh()
        return self._value

    def invalidate(self) -> None:
        self._read_at = None

    def _refresh(self) -> None:
        try:
            self._value = self._load()
        except Exception:  # whatever went wrong, it must not become the reader's error
            log.warning("curation unreadable; searches keep the copy they had", exc_info=True)
        self._read_at = self._clock()


def cache(app: Flask | None = None) -> CurationCache:
    return kept(_EXTENSION, _build, app)


def _build(app: Flask) -> CurationCache:
    settings = settings_of(app)
    return CurationCache(lambda: store.load(es.client(app), settings.index.prefix),
                         settings.curation.cache_seconds)


def current() -> Curation:
    return cache().get()
