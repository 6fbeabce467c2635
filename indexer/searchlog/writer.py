"""The log writer: events queued in memory, written in bulk by a background thread.

A search hands its event over and returns at once: the write never adds to the reader's
wait and its failure never reaches them. The queue is bounded; when Elasticsearch is slow or
down, new events are dropped rather than waited for, and every event ends as one of
``written``, ``failed`` or ``dropped`` in the caller's counter (the web app's Prometheus
counter, see web/searchlog/metrics.py), so a log that stopped filling shows on /metrics.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from elasticsearch import Elasticsearch

from indexer.index import mapping
from indexer.searchlog import retention
from indexer.searchlog.events import Event
from indexer.searchlog.names import SearchLogNames, template_body

log = logging.getLogger(__name__)

WRITTEN, FAILED, DROPPED = "written", "failed", "dropped"
MAX_BATCH = 500
Report = Callable[[str, int], None]


def _ignore(outcome: str, count: int) -> None:
    """The default report: count nothing."""


@dataclass(frozen=True)
class WriterOptions:
    flush_seconds: float = 1.0
    queue_max: int = 10_000
    retention_days: int = 90


@dataclass
class _Flush:
    """A marker in the queue: write what came before it now, then say so."""

    done: threading.Event


def bulk_operations(names: SearchLogNames, events: Iterable[Event]) -> list[dict[str, Any]]:
    """``create`` actions into each event's day, by event id: a batch sent twice (a retry
    after a timeout that had in fact succeeded) does not count its searches twice, and a click
    reported twice is written once (its id and day come from what was clicked)."""
    ops: list[dict[str, Any]] = []
    for event in events:
        ops.append({"create": {"_index": names.daily(event.filed_at), "_id": event.event_id}})
        ops.append(event.to_doc())
    return ops


def count_outcomes(answer: dict[str, Any]) -> tuple[int, int]:
    """(written, failed) in a bulk answer; a 409 is an event already written."""
    written = failed = 0
    for item in answer.get("items", []):
        status = next(iter(item.values())).get("status", 500)
        if status < 300 or status == 409:
            written += 1
        else:
            failed += 1
    return written, failed


class LogWriter:
    """One per process and app. ``submit`` never blocks and never raises."""

    def __init__(self, client: Callable[[], Elasticsearch], names: SearchLogNames,
                 options: WriterOptions = WriterOptions(), report: Report = _ignore) -> None:
        self._client = client
        self._names = names
        self._options = options
        self._report = report
        self._queue: queue.Queue[Event | _Flush] = queue.Queue(maxsize=options.queue_max)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._template_ready = False
        self._pruned_on: date | None = None
        atexit.register(self.flush, 1.0)

    def submit(self, event: Event) -> bool:
        try:
            self._ensure_thread()
            self._queue.put_nowait(event)
            return True
        except queue.Full:
            self._safe_report(DROPPED, 1)
        except Exception:  # a thread that cannot start, say: still never the reader's problem
            log.exception("search log: event not queued")
            self._safe_report(DROPPED, 1)
        return False

    def flush(self, timeout: float = 10.0) -> bool:
        """Write everything submitted so far; False if that took longer than ``timeout``."""
        if self._thread is None or not self._thread.is_alive():
            return True
        marker = _Flush(threading.Event())
        try:
            self._queue.put(marker, timeout=timeout)
        except queue.Full:
            return False
        return marker.done.wait(timeout)

    def _ensure_thread(self) -> None:
        # After a fork (gunicorn's workers) the parent's thread does not exist in the child.
        if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="searchlog-writer", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            batch, markers = self._collect()
            if batch:
                self._write(batch)
            for marker in markers:
                marker.done.set()

    def _collect(self) -> tuple[list[Event], list[_Flush]]:
        """Events until the flush interval has passed since the first, a batch is full or a
        flush is asked for."""
        first = self._queue.get()
        if isinstance(first, _Flush):
            return [], [first]
        batch: list[Event] = [first]
        deadline = time.monotonic() + self._options.flush_seconds
        while len(batch) < MAX_BATCH:
            try:
                item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            if isinstance(item, _Flush):
                return batch, [item]
            batch.append(item)
        return batch, []

    def _write(self, batch: Sequence[Event]) -> None:
        try:
            client = self._client()
            self._prepare(client, batch)
            answer = client.bulk(operations=bulk_operations(self._names, batch)).body
            written, failed = count_outcomes(answer)
        except Exception as exc:
            log.warning("search log: %d events not written: %s", len(batch), exc)
            written, failed = 0, len(batch)
        if failed and written:
            log.warning("search log: %d of %d events refused", failed, len(batch))
        self._safe_report(WRITTEN, written)
        self._safe_report(FAILED, failed)

    def _prepare(self, client: Elasticsearch, batch: Sequence[Event]) -> None:
        """The template before the first write (without it a new day's index would get
        dynamic mappings), and retention once a day."""
        if not self._template_ready:
            ensure_template(client, self._names)
            self._template_ready = True
        today = max(event.at for event in batch).date()
        if self._pruned_on != today:
            self._pruned_on = today
            try:
                retention.prune(client, self._names, today, self._options.retention_days)
            except Exception as exc:  # retention is tried again tomorrow; writing goes on
                log.warning("search log retention failed: %s", exc)

    def _safe_report(self, outcome: str, count: int) -> None:
        if not count:
            return
        try:
            self._report(outcome, count)
        except Exception:
            log.exception("search log: counting %s failed", outcome)


def ensure_template(client: Elasticsearch, names: SearchLogNames) -> None:
    """Install (or update) the daily indices' template, and give the days already made the
    fields added since (the mapping is strict: today's index, made by the previous release,
    would refuse every event carrying a new field until midnight). Idempotent."""
    spec = mapping.load("searchlog")
    client.indices.put_index_template(name=names.template, body=template_body(names, spec))
    client.indices.put_mapping(index=names.pattern, properties=spec.mappings["properties"],
                               allow_no_indices=True, expand_wildcards="open")
