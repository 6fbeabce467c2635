"""The web app's timed copy of the curation, without services."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from elasticsearch import ConnectionError as ESConnectionError

from indexer.curation.best_bets import BestBet
from indexer.curation.model import NO_CURATION, Curation
from web.curation import CurationCache

pytestmark = pytest.mark.unit


def at_once(work: Callable[[], None]) -> None:
    """A refresh run in the reader's thread: the tests of what is read, not of who waits."""
    work()


def test_the_web_apps_copy_is_read_again_after_its_time_only() -> None:
    now, loads = [0.0], []

    def load() -> Curation:
        loads.append(now[0])
        return Curation((BestBet(str(len(loads)), "q"),))

    cache = CurationCache(load, 5.0, clock=lambda: now[0], start=at_once)
    assert cache.get().best_bets[0].id == "1"
    now[0] = 4.9
    assert cache.get().best_bets[0].id == "1"
    now[0] = 5.0
    assert cache.get().best_bets[0].id == "2"
    cache.reload()
    assert cache.get().best_bets[0].id == "3" and loads == [0.0, 5.0, 5.0]


def test_an_unreadable_curation_keeps_the_copy_it_had() -> None:
    now, fail = [0.0], [False]

    def load() -> Curation:
        if fail[0]:
            raise ESConnectionError("down")
        return Curation((BestBet("kept", "q"),))

    cache = CurationCache(load, 1.0, clock=lambda: now[0], start=at_once)
    assert cache.get().best_bets[0].id == "kept"
    fail[0], now[0] = True, 2.0
    assert cache.get().best_bets[0].id == "kept"


def test_a_load_failing_in_any_way_keeps_the_copy_it_had() -> None:
    now, fail = [0.0], [False]

    def load() -> Curation:
        if fail[0]:
            raise ValueError("a store nobody can read")
        return Curation((BestBet("kept", "q"),))

    cache = CurationCache(load, 1.0, clock=lambda: now[0], start=at_once)
    assert cache.get().best_bets[0].id == "kept"
    fail[0], now[0] = True, 2.0
    assert cache.get().best_bets[0].id == "kept"


def within(seconds: float, work: Callable[[], Curation]) -> Curation | None:
    """What ``work`` returns in another thread, or None if it did not return in time."""
    answer: list[Curation] = []
    reader = threading.Thread(target=lambda: answer.append(work()), daemon=True)
    reader.start()
    reader.join(seconds)
    return answer[0] if answer else None


def test_readers_get_the_copy_there_is_while_one_thread_reads_the_store() -> None:
    now, release, loads = [0.0], threading.Event(), []

    def load() -> Curation:
        loads.append(now[0])
        if len(loads) > 1:
            release.wait(10)  # the store answers slowly
        return Curation((BestBet(str(len(loads)), "q"),))

    cache = CurationCache(load, 5.0, clock=lambda: now[0])
    assert cache.get().best_bets[0].id == "1"
    now[0] = 6.0
    try:
        for _ in range(3):  # stale: every reader answers at once, from the copy it has
            copy = within(1.0, cache.get)
            assert copy is not None, "a reader waited for the curation's refresh"
            assert copy.best_bets[0].id == "1"
    finally:
        release.set()
    assert loads == [0.0, 6.0]  # one read under way, not one per reader
    deadline = time.monotonic() + 5
    while cache.get().best_bets[0].id != "2":
        assert time.monotonic() < deadline, "the refresh never arrived"
        time.sleep(0.01)


def test_a_first_read_that_hangs_holds_readers_up_once_and_briefly() -> None:
    release = threading.Event()

    def load() -> Curation:
        release.wait(10)
        return Curation((BestBet("late", "q"),))

    cache = CurationCache(load, 5.0, first_wait_s=0.3)
    try:
        started = time.monotonic()
        first = within(3.0, cache.get)
        assert first is NO_CURATION and time.monotonic() - started < 2.0
        started = time.monotonic()
        assert within(3.0, cache.get) is NO_CURATION and time.monotonic() - started < 0.2  # no second wait
    finally:
        release.set()
    deadline = time.monotonic() + 5
    while not cache.get().best_bets:
        assert time.monotonic() < deadline
        time.sleep(0.01)
