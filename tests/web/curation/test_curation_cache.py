"""The web app's timed copy of the curation, without services."""

from __future__ import annotations

import pytest
from elasticsearch import ConnectionError as ESConnectionError

from indexer.curation.best_bets import BestBet
from indexer.curation.model import Curation
from web.curation import CurationCache

pytestmark = pytest.mark.unit


def test_the_web_apps_copy_is_read_again_after_its_time_only() -> None:
    now, loads = [0.0], []

    def load() -> Curation:
        loads.append(now[0])
        return Curation((BestBet(str(len(loads)), "q"),))

    cache = CurationCache(load, 5.0, clock=lambda: now[0])
    assert cache.get().best_bets[0].id == "1"
    now[0] = 4.9
    assert cache.get().best_bets[0].id == "1"
    now[0] = 5.0
    assert cache.get().best_bets[0].id == "2"
    cache.invalidate()
    assert cache.get().best_bets[0].id == "3" and loads == [0.0, 5.0, 5.0]


def test_an_unreadable_curation_keeps_the_copy_it_had() -> None:
    now, fail = [0.0], [False]

    def load() -> Curation:
        if fail[0]:
            raise ESConnectionError("down")
        return Curation((BestBet("kept", "q"),))

    cache = CurationCache(load, 1.0, clock=lambda: now[0])
    assert cache.get().best_bets[0].id == "kept"
    fail[0], now[0] = True, 2.0
    assert cache.get().best_bets[0].id == "kept"


def test_a_load_failing_in_any_way_keeps_the_copy_it_had() -> None:
    now, fail = [0.0], [False]

    def load() -> Curation:
        if fail[0]:
            raise ValueError("a store nobody can read")
        return Curation((BestBet("kept", "q"),))

    cache = CurationCache(load, 1.0, clock=lambda: now[0])
    assert cache.get().best_bets[0].id == "kept"
    fail[0], now[0] = True, 2.0
    assert cache.get().best_bets[0].id == "kept"
