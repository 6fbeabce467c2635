"""A copy of something read from the index, kept a few seconds and read again in the background.

The web app keeps the editors' curation (:mod:`web.curation`) and the site's names
(:mod:`web.site_names`) this way: each process reads again once its copy is older than its
period. No reader waits for that read: the copy goes stale, one thread reads the store in the
background, and every search meanwhile uses the copy there is. Only the very first read of a
process makes its first searches wait for it, at most ``FIRST_LOAD_WAIT_S``; past that they run
with the empty value until it arrives, and nobody waits again. A read that fails keeps the copy
it had (a search is never failed by it) and is tried again at the next period.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

log = logging.getLogger(__name__)
# A process's first searches wait this long at most for its first read (an Elasticsearch
# answering slowly, or not at all, must not hold the search page up with it).
FIRST_LOAD_WAIT_S = 2.0

Start = Callable[[Callable[[], None]], None]


def _in_background(work: Callable[[], None]) -> None:
    threading.Thread(target=work, name="refresh", daemon=True).start()


class Refreshed(Generic[T]):
    """A subclass says what searches use before the first read (``empty``) and what the logs
    call the value (``what``)."""

    empty: T
    what: str

    def __init__(self, load: Callable[[], T], max_age_s: float,
                 clock: Callable[[], float] = time.monotonic, *, first_wait_s: float = FIRST_LOAD_WAIT_S,
                 start: Start = _in_background) -> None:
        self._load, self._max_age, self._clock = load, max_age_s, clock
        self._first_wait, self._start = first_wait_s, start
        self._value: T = self.empty
        self._read_at: float | None = None
        self._loading = threading.Lock()  # one read of the store at a time
        self._first = threading.Event()  # set once the first read ended, or readers stopped waiting

    def get(self) -> T:
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
            log.warning("%s not read within %.1f s; searches run without it until it is",
                        self.what, self._first_wait)
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
            log.warning("%s unreadable; searches keep the copy they had", self.what, exc_info=True)
        finally:
            self._read_at = self._clock()
            self._first.set()
