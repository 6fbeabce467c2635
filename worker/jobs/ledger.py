"""The page ledger: one record per page a job accepted, moved queued -> running -> final by
the scripts of :mod:`worker.jobs.transitions`, which count it on the job in the same step.

A URL is in a job's ledger once; the pending set orders its unfinished pages by when they
were last touched, for the reconciler (:meth:`PageLedger.stale_refs`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from typing import Any

import redis

from worker.jobs.model import FINAL_PAGE_STATES, MAX_PAGE_ATTEMPTS, PageRecord
from worker.jobs.records import JobRecords
from worker.jobs.transitions import Transitions

_SCRIPTS = ("add_pages", "add_skipped", "expanded", "start_page", "defer_pages", "set_stage", "finish_page",
            "retry_failed", "stale_pages")
# What finish_page answers when the page it made final was the job's last: the job ended.
_CLOSED_THE_JOB = 2


def _place(ref: dict[str, Any]) -> str:
    """Where a page reference's bytes come from: its URL, file or archive record."""
    if ref.get("origin") == "file" and ref.get("path"):
        return f"file://{ref['path']}"
    if ref.get("origin") == "warc" and ref.get("path"):
        return f"file://{ref['path']}#offset={ref.get('offset', 0)}"
    return str(ref["url"])


def _entry(key: str, state: str, ref: dict[str, Any], reason: str = "") -> str:
    return json.dumps({"url": key, "state": state, "ref": ref, "reason": reason, "attempts": 0,
                       "updated": time.time()})


class PageLedger:
    """The ledgers of the jobs in ``records``: a job that ends here is expired there."""

    def __init__(self, client: redis.Redis, records: JobRecords) -> None:
        self._client, self._records, self._keys = client, records, records.keys
        self._transitions = Transitions(client, records.keys, _SCRIPTS)

    # Accepting pages ------------------------------------------------------------------------
    def add_pages(self, job_id: str, refs: Iterable[dict[str, Any]]) -> int:
        """Accept pages into the job; returns how many entries the ledger gained.

        A URL already in the job is not queued twice. When it came from the same place (a
        source expanded again after a redelivery) nothing is added; when another file or
        archive record carries the same URL, that one is entered as skipped ``duplicate``, so
        every submitted page shows in the ledger.
        """
        refs = list(refs)
        args = [part for ref in refs for part in (ref["url"], _entry(ref["url"], "queued", ref))]
        if not args:
            return 0
        answer = self._transitions.run("add_pages", job_id, *args)
        added, collisions = int(answer[0]), answer[1:]
        aliases = self._aliases(refs, collisions)
        if aliases:
            added += int(self._transitions.run("add_skipped", job_id, *aliases))
            self._records.expire_if_finished(job_id)
        return added

    @staticmethod
    def _aliases(refs: list[dict[str, Any]], collisions: list[Any]) -> list[str]:
        """Skipped entries for the pages whose URL the ledger holds from another place."""
        aliases: list[str] = []
        for index, existing in zip(collisions[::2], collisions[1::2], strict=True):
            ref = refs[(int(index) - 3) // 2]
            if _place(PageRecord.from_json(existing).ref) != _place(ref):
                reason = f"duplicate: same URL as another page of this job ({ref['url']})"
                aliases += [_place(ref), _entry(_place(ref), "skipped", ref, reason)]
        return aliases

    def expansion_done(self, job_id: str) -> None:
        self._transitions.run("expanded", job_id)
        self._records.expire_if_finished(job_id)

    # Working on pages -----------------------------------------------------------------------
    def start_page(self, job_id: str, url: str, stage: str, cap: int = MAX_PAGE_ATTEMPTS) -> int:
        """The page's attempt number when it is to be worked on now; 0 when it is final already
        or the job is not running (cancelled); minus the attempts when ``cap`` attempts started
        and none finished, for the caller to fail the page."""
        return int(self._transitions.run("start_page", job_id, url, stage, cap))

    def start_pages(self, job_id: str, urls: Sequence[str], stage: str,
                    cap: int = MAX_PAGE_ATTEMPTS) -> list[int]:
        """:meth:`start_page` for several pages in one round trip (each still its own script,
        so a cancel between two of them is seen by the later ones)."""
        if not urls:
            return []
        pipe, now = self._client.pipeline(transaction=False), time.time()
        for url in urls:
            self._transitions.queue(pipe, "start_page", job_id, now, url, stage, cap)
        return [int(a) for a in pipe.execute()]

    def set_stage(self, job_id: str, urls: Iterable[str], stage: str) -> None:
        """Record the stage running pages reached, for a whole batch in one round trip."""
        urls = list(urls)
        if urls:
            self._transitions.run("set_stage", job_id, stage, *urls)

    def defer_pages(self, job_id: str, deferred: Sequence[tuple[str, float, bool]]) -> int:
        """Pages put off: ``(url, due epoch, uncount)``; ``uncount`` when the attempt just
        started was not one (the host was busy, a service was away)."""
        args = [part for url, due, uncount in deferred for part in (url, due, int(uncount))]
        return int(self._transitions.run("defer_pages", job_id, *args)) if args else 0

    def finish_page(self, job_id: str, url: str, state: str, reason: str = "", stage: str = "") -> bool:
        """Make a page final; False when it already was (a second delivery of its task)."""
        return self.finish_pages(job_id, [(url, state, reason, stage)]) == 1

    def finish_pages(self, job_id: str, outcomes: Sequence[tuple[str, str, str, str]]) -> int:
        """:meth:`finish_page` for several ``(url, state, reason, stage)`` in one round trip;
        returns how many this call made final."""
        if any(state not in FINAL_PAGE_STATES for _url, state, _reason, _stage in outcomes):
            raise ValueError(f"not a final page state in {[o[1] for o in outcomes]!r}")
        if not outcomes:
            return 0
        pipe, now = self._client.pipeline(transaction=False), time.time()
        for url, state, reason, stage in outcomes:
            self._transitions.queue(pipe, "finish_page", job_id, now, url, state, reason, stage)
        answers = [int(a) for a in pipe.execute()]
        if _CLOSED_THE_JOB in answers:
            self._records.expire(job_id)
        return sum(1 for a in answers if a > 0)

    def retry_failed(self, job_id: str) -> list[dict[str, Any]]:
        """Failed pages back to queued; their references, for the caller to enqueue again."""
        records = self._transitions.run("retry_failed", job_id)
        if records:
            self._records.keep(job_id)
        return [PageRecord.from_json(r).ref for r in records]

    # Reading pages --------------------------------------------------------------------------
    def unfinished(self, job_id: str, urls: Sequence[str]) -> list[str]:
        """Of ``urls``, those whose last attempt started and never finished: the worker died
        on them or the batch ran out of time."""
        if not urls:
            return []
        raws = self._client.hmget(self._keys.pages(job_id), list(urls))
        return [url for url, raw in zip(urls, raws, strict=True)
                if raw is not None and PageRecord.from_json(raw).state == "running"]

    def stale_refs(self, job_id: str, older_than: float) -> list[dict[str, Any]]:
        """References of pages accepted but not final since before ``older_than`` (epoch)."""
        return [PageRecord.from_json(r).ref for r in self._transitions.run("stale_pages", job_id, older_than)]

    def record(self, job_id: str, url: str) -> PageRecord | None:
        raw = self._client.hget(self._keys.pages(job_id), url)
        return PageRecord.from_json(raw) if raw is not None else None

    def pages(self, job_id: str, state: str | None = None) -> list[PageRecord]:
        records = [PageRecord.from_json(v) for v in self._client.hvals(self._keys.pages(job_id))]
        return sorted((r for r in records if state is None or r.state == state), key=lambda r: r.url)
