"""The writer never raises into the search and accounts for every event (no Elasticsearch
here: an unreachable address and a stand-in that raises show the failure paths; the real
writes are in test_log_integration.py)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest

from indexer.searchlog.events import ClickEvent
from indexer.searchlog.names import SearchLogNames
from indexer.searchlog.writer import LogWriter, WriterOptions, bulk_operations, count_outcomes

pytestmark = pytest.mark.unit

NAMES = SearchLogNames("pages")


def _click(day: int = 3) -> ClickEvent:
    return ClickEvent("s", "q", 1, "d", "https://example.org/d", at=dt.datetime(2026, 1, day, tzinfo=dt.UTC))


def test_each_event_is_created_in_its_own_day_under_its_id() -> None:
    first, second = _click(3), _click(4)
    ops = bulk_operations(NAMES, [first, second])
    assert ops[0] == {"create": {"_index": "pages-searchlog-2026.01.03", "_id": first.event_id}}
    assert ops[2]["create"]["_index"] == "pages-searchlog-2026.01.04"
    assert ops[1] == first.to_doc()


def test_a_click_is_filed_in_the_day_its_results_were_shown() -> None:
    shown = dt.datetime(2026, 1, 3, 23, 59, tzinfo=dt.UTC)
    late = ClickEvent("s", "q", 1, "d", "https://example.org/d", at=shown + dt.timedelta(hours=1),
                      shown_at=shown)
    (action, doc) = bulk_operations(NAMES, [late])
    assert action["create"]["_index"] == "pages-searchlog-2026.01.03"
    assert doc["at"] == "2026-01-04T00:59:00+00:00"  # the click keeps its own time


def test_a_conflict_is_an_event_already_written() -> None:
    answer = {"errors": True, "items": [{"create": {"status": 201}}, {"create": {"status": 409}},
                                        {"create": {"status": 403}}, {"create": {"status": 429}}]}
    assert count_outcomes(answer) == (2, 2)


class _Tally:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()

    def __call__(self, outcome: str, count: int) -> None:
        with self.lock:
            self.counts[outcome] += count


def test_a_client_that_fails_counts_the_batch_failed_and_raises_nowhere() -> None:
    def broken() -> object:
        raise ConnectionError("no cluster")

    tally = _Tally()
    writer = LogWriter(broken, NAMES, WriterOptions(flush_seconds=0.01), tally)  # type: ignore[arg-type]
    assert writer.submit(_click()) and writer.submit(_click())
    assert writer.flush(5)
    assert tally.counts == {"failed": 2}


def test_a_full_queue_drops_and_counts_instead_of_waiting() -> None:
    gate = threading.Event()

    def slow() -> object:
        gate.wait(5)  # the writer is stuck on a slow cluster
        raise ConnectionError("timed out")

    tally = _Tally()
    writer = LogWriter(slow, NAMES, WriterOptions(flush_seconds=0.0, queue_max=2), tally)  # type: ignore[arg-type]
    accepted = [writer.submit(_click()) for _ in range(10)]
    assert accepted.count(False) >= 7  # one in the writer's hands, two queued, the rest dropped
    assert tally.counts["dropped"] == accepted.count(False)
    gate.set()
    assert writer.flush(5)
    assert sum(tally.counts.values()) == 10
