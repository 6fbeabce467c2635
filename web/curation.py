"""The web app's copy of the editors' curation (best bets, synonyms), kept a few seconds.

Each web process reads ``<prefix>-curation`` again once its copy is older than
``PAGESIFT_CURATION_CACHE_SECONDS``: a rule saved in the console reaches every process
within that time. No reader waits for that read: the copy goes stale, one thread reads the
store in the background, and every search meanwhile uses the copy there is. Only the very
first read of a process makes its first searches wait for it, at most ``FIRST_LOAD_WAIT_S``;
past that they run without curation until it arrives, and nobody waits again.
A malformed record is skipped when read (:func:`indexer.curation.store.load` logs its id) and
the others apply; a read that fails altogether keeps the copy it had (a search is never failed
by its curation) and is tried again at the next period. The console reloads its own process's
copy at once after a save (:meth:`CurationCache.reload`, in the editor's request).
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
# A process's first searches wait this long at most for its first read of the curation (an
# Elasticsearch answering slowly, or not at all, must not hold the search page up with it).
FIRST_LOAD_WAIT_S = 2.0

Start = Callable[[Callable[[], None]], None]


def _in_background(work: Callable[[], None]) -> None:
    threading.Thread(target=work, name="curation-refresh", daemon=True).start()


class CurationCache:
    def __init__(self, load: Callable[[], Curation], max_age_s: float,
                 clock: Callable[[], float] = time.monotonic, *, first_wait_s: float = FIRST_LOAD_WAIT_S,
                 start: Start = _in_background) -> None:
        self._load, self._max_age, self._clock = load, max_age_s, clock
        self._first_wait, self._start = first_wait_s, start
        self._value: Curation = NO_CURATION
        self._read_at: float | None = None
        self._loading = threading.Lock()  # one read of the store at a time
        self._first = threading.Event()  # set once the first read ended, or readers stopped waiting

    def get(self) -> Curation:
        """The copy there is, at once; a stale one starts a read in the background."""
        read_at = self._read_at
        if read_at is not None and self._clock() - read_at < self._max_age:
            return self._value
        if self._loading.acquire(blocking=False):  # else a read is under way
            try:
                self._start(self._refresh_and_release)
            except BaseException:
                self._loading.release()
                raise
        if not self._first.is_set() and not self._first.wait(self._first_wait):
            log.warning("curation not read within %.1f s; searches run without it until it is",
                        self._first_wait)
            self._first.set()
        return self._value

    def reload(self) -> None:
        """Read the store now, in the caller's thread (the console's, after a save), after any
        read under way: this process's next search has the change."""
        with self._loading:
            self._refresh()

    def _refresh_and_release(self) -> None:
        try:
            self._refresh()
        finally:
            self._loading.release()

    def _refresh(self) -> None:
        try:
            self._value = self._load()
        except Exception:  # whatever went wrong, it must not become the reader's error
            log.warning("curation unreadable; searches keep the copy they had", exc_info=True)
        finally:
            self._read_at = self._clock()
            self._first.set()


def cache(app: Flask | None = None) -> CurationCache:
    return kept(_EXTENSION, _build, app)


def _build(app: Flask) -> CurationCache:
    settings = settings_of(app)
    return CurationCache(lambda: store.load(es.client(app), settings.index.prefix),
                         settings.curation.cache_seconds)


def current() -> Curation:
    return cache().get()
