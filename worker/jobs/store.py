"""The job store: one Redis hash per job, one ledger hash of page records, a pending set.

Redis runs with AOF, so jobs outlive restarts of workers, the web app and Redis itself.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import redis
from redis.typing import EncodableT, FieldT

from worker.jobs import transitions
from worker.jobs.model import ENDED, FINAL_PAGE_STATES, JOB_TYPES, MAX_PAGE_ATTEMPTS, Job, PageRecord

# Finished jobs (and their ledgers) are kept this long, then Redis expires them.
KEEP_FINISHED = 30 * 24 * 3600


def _place(ref: dict[str, Any]) -> str:
    """Where a page reference's bytes come from: its URL, file or archive record."""
    if ref.get("origin") == "file" and ref.get("path"):
        return f"file://{ref['path']}"
    if ref.get("origin") == "warc" and ref.get("path"):
        return f"file://{ref['path']}#offset={ref.get('offset', 0)}"
    return str(ref["url"])


class JobStore:
    def __init__(self, client: redis.Redis, namespace: str) -> None:
        self._client = client
        self._ns = namespace
        names = ("add_pages", "add_skipped", "expanded", "start_page", "defer_pages", "set_stage",
                 "finish_page", "retry_failed", "stale_pages", "cancel")
        self._scripts = {name: client.register_script(getattr(transitions, name.upper())) for name in names}

    # Keys ---------------------------------------------------------------------------------
    def _job_key(self, job_id: str) -> str:
        return f"{self._ns}:job:{job_id}"

    def _keys(self, job_id: str) -> list[str]:
        base = self._job_key(job_id)
        return [base, f"{base}:pages", f"{base}:pending", f"{self._ns}:jobs:active"]

    def _run(self, name: str, job_id: str, *args: Any) -> Any:
        return self._scripts[name](keys=self._keys(job_id), args=[job_id, time.time(), *args])

    # Jobs ---------------------------------------------------------------------------------
    def create(self, job_type: str, params: dict[str, Any] | None = None) -> Job:
        if job_type not in JOB_TYPES:
            raise ValueError(f"unknown job type {job_type!r}")
        job_id = uuid.uuid4().hex[:12]
        now = time.time()
        record: dict[FieldT, EncodableT] = {
            "id": job_id, "type": job_type, "status": "queued", "created": now, "total": 0, "indexed": 0,
            "skipped": 0, "failed": 0, "expanded": 0, "params": json.dumps(params or {})}
        pipe = self._client.pipeline()
        pipe.hset(self._job_key(job_id), mapping=record)
        pipe.zadd(f"{self._ns}:jobs", {job_id: now})
        pipe.sadd(f"{self._ns}:jobs:active", job_id)
        pipe.execute()
        job = self.get(job_id)
        assert job is not None
        return job

    def get(self, job_id: str) -> Job | None:
        raw = self._client.hgetall(self._job_key(job_id))
        return Job.from_hash(raw) if raw else None

    def mark_searchable(self, job_id: str) -> None:
        """Record that every page this job indexed can be found by a search (after a refresh)."""
        self._client.hset(self._job_key(job_id), "searchable", time.time())

    def recent(self, limit: int = 20) -> list[Job]:
        ids: list[bytes] = self._client.zrevrange(f"{self._ns}:jobs", 0, limit - 1)  # type: ignore[assignment]
        jobs = [self.get(i.decode()) for i in ids]
        return [j for j in jobs if j is not None]

    def active_ids(self) -> list[str]:
        return sorted(i.decode() if isinstance(i, bytes) else i
                      for i in self._client.smembers(f"{self._ns}:jobs:active"))

    def mark_running(self, job_id: str) -> bool:
        """queued -> running (a worker took the job); False when it was cancelled meanwhile."""
        key = self._job_key(job_id)
        with self._client.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    status = pipe.hget(key, "status")
                    if status not in (b"queued", b"running"):
                        return False
                    pipe.multi()
                    if status == b"queued":
                        pipe.hset(key, mapping={"status": "running", "started": time.time()})
                    pipe.execute()
                    return True
                except redis.WatchError:
                    continue

    def fail(self, job_id: str, error: str) -> None:
        """The job could not run at all (its source is unreadable, say)."""
        self.close(job_id, error)

    def cancel(self, job_id: str) -> bool:
        done = bool(self._run("cancel", job_id))
        if done:
            self._expire(job_id)
        return done

    def progress(self, job_id: str, *, total: int | None = None, indexed: int = 0, failed: int = 0) -> None:
        """Counts of a job without a page ledger (a reindex reports in bulk)."""
        pipe = self._client.pipeline()
        if total is not None:
            pipe.hset(self._job_key(job_id), "total", total)
        if indexed:
            pipe.hincrby(self._job_key(job_id), "indexed", indexed)
        if failed:
            pipe.hincrby(self._job_key(job_id), "failed", failed)
        pipe.execute()

    def set_counts(self, job_id: str, *, indexed: int, failed: int, skipped: int = 0) -> None:
        """The final counts of a job without a page ledger, replacing the running tally."""
        self._client.hset(self._job_key(job_id), mapping={"indexed": indexed, "skipped": skipped,
                                                          "failed": failed})

    def close(self, job_id: str, error: str = "") -> None:
        """End a job without a page ledger (a reindex). With ``error`` it could not do its work;
        otherwise its counts say how it went (:func:`worker.jobs.model.final_status`)."""
        pipe = self._client.pipeline()
        status = "failed" if error else ENDED
        record: dict[FieldT, EncodableT] = {"status": status, "error": error, "finished": time.time()}
        pipe.hset(self._job_key(job_id), mapping=record)
        pipe.srem(f"{self._ns}:jobs:active", job_id)
        pipe.execute()
        self._expire(job_id)

    def set_params(self, job_id: str, **params: Any) -> None:
        job = self.get(job_id)
        merged = {**(job.params if job else {}), **params}
        self._client.hset(self._job_key(job_id), "params", json.dumps(merged))

    def delete(self, job_id: str) -> None:
        pipe = self._client.pipeline()
        pipe.delete(*self._keys(job_id)[:3])
        pipe.zrem(f"{self._ns}:jobs", job_id)
        pipe.srem(f"{self._ns}:jobs:active", job_id)
        pipe.execute()

    def _expire(self, job_id: str) -> None:
        pipe = self._client.pipeline()
        for key in self._keys(job_id)[:3]:
            pipe.expire(key, KEEP_FINISHED)
        pipe.execute()

    # The ledger ---------------------------------------------------------------------------
    def add_pages(self, job_id: str, refs: Iterable[dict[str, Any]]) -> int:
        """Accept pages into the job; returns how many entries the ledger gained.

        A URL already in the job is not queued twice. When it came from the same place (a
        source expanded again after a redelivery) nothing is added; when another file or
        archive record carries the same URL, that one is entered as skipped ``duplicate``, so
        every submitted page shows in the ledger.
        """
        refs = list(refs)
        args: list[str] = []
        for ref in refs:
            args += [ref["url"], self._record(ref["url"], "queued", ref)]
        if not args:
            return 0
        answer = self._run("add_pages", job_id, *args)
        added, collisions = int(answer[0]), answer[1:]
        aliases: list[str] = []
        for index, existing in zip(collisions[::2], collisions[1::2], strict=True):
            ref = refs[(int(index) - 3) // 2]
            held = PageRecord.from_json(existing).ref
            if _place(held) != _place(ref):
                reason = f"duplicate: same URL as another page of this job ({ref['url']})"
                aliases += [_place(ref), self._record(_place(ref), "skipped", ref, reason)]
        if aliases:
            added += int(self._run("add_skipped", job_id, *aliases))
            self._expire_if_finished(job_id)
        return added

    @staticmethod
    def _record(key: str, state: str, ref: dict[str, Any], reason: str = "") -> str:
        return json.dumps({"url": key, "state": state, "ref": ref, "reason": reason, "attempts": 0,
                           "updated": time.time()})

    def expansion_done(self, job_id: str) -> None:
        self._run("expanded", job_id)
        self._expire_if_finished(job_id)

    def start_page(self, job_id: str, url: str, stage: str, cap: int = MAX_PAGE_ATTEMPTS) -> int:
        """The page's attempt number when it is to be worked on now; 0 when it is final already
        or the job is not running (cancelled); minus the attempts when ``cap`` attempts started
        and none finished, for the caller to fail the page."""
        return int(self._run("start_page", job_id, url, stage, cap))

    def start_pages(self, job_id: str, urls: Sequence[str], stage: str,
                    cap: int = MAX_PAGE_ATTEMPTS) -> list[int]:
        """:meth:`start_page` for several pages in one round trip (each still its own script,
        so a cancel between two of them is seen by the later ones)."""
        pipe = self._client.pipeline(transaction=False)
        keys, now = self._keys(job_id), time.time()
        for url in urls:
            self._scripts["start_page"](keys=keys, args=[job_id, now, url, stage, cap], client=pipe)
        return [int(a) for a in pipe.execute()] if urls else []

    def finish_pages(self, job_id: str, outcomes: Sequence[tuple[str, str, str, str]]) -> int:
        """:meth:`finish_page` for several ``(url, state, reason, stage)`` in one round trip;
        returns how many this call made final."""
        if any(state not in FINAL_PAGE_STATES for _url, state, _reason, _stage in outcomes):
            raise ValueError(f"not a final page state in {[o[1] for o in outcomes]!r}")
        if not outcomes:
            return 0
        pipe = self._client.pipeline(transaction=False)
        keys, now = self._keys(job_id), time.time()
        finish = self._scripts["finish_page"]
        for url, state, reason, stage in outcomes:
            finish(keys=keys, args=[job_id, now, url, state, reason, stage], client=pipe)
        answers = [int(a) for a in pipe.execute()]
        if 2 in answers:
            self._expire(job_id)
        return sum(1 for a in answers if a > 0)

    def defer_pages(self, job_id: str, deferred: Sequence[tuple[str, float, bool]]) -> int:
        """Pages put off: ``(url, due epoch, uncount)``; ``uncount`` when the attempt just
        started was not one (the host was busy, a service was away)."""
        args = [part for url, due, uncount in deferred for part in (url, due, int(uncount))]
        return int(self._run("defer_pages", job_id, *args)) if args else 0

    def unfinished(self, job_id: str, urls: Sequence[str]) -> list[str]:
        """Of ``urls``, those whose last attempt started and never finished: the worker died
        on them or the batch ran out of time."""
        if not urls:
            return []
        raws = self._client.hmget(f"{self._job_key(job_id)}:pages", list(urls))
        return [url for url, raw in zip(urls, raws, strict=True)
                if raw is not None and PageRecord.from_json(raw).state == "running"]

    def record(self, job_id: str, url: str) -> PageRecord | None:
        raw = self._client.hget(f"{self._job_key(job_id)}:pages", url)
        return PageRecord.from_json(raw) if raw is not None else None

    def set_stage(self, job_id: str, urls: Iterable[str], stage: str) -> None:
        """Record the stage running pages reached, for a whole batch in one round trip."""
        urls = list(urls)
        if urls:
            self._run("set_stage", job_id, stage, *urls)

    def finish_page(self, job_id: str, url: str, state: str, reason: str = "", stage: str = "") -> bool:
        """Make a page final; False when it already was (a second delivery of its task)."""
        if state not in FINAL_PAGE_STATES:
            raise ValueError(f"not a final page state: {state!r}")
        outcome = int(self._run("finish_page", job_id, url, state, reason, stage))
        if outcome == 2:
            self._expire(job_id)
        return outcome > 0

    def retry_failed(self, job_id: str) -> list[dict[str, Any]]:
        """Failed pages back to queued; their references, for the caller to enqueue again."""
        records = self._run("retry_failed", job_id)
        if records:
            for key in self._keys(job_id)[:3]:
                self._client.persist(key)
        return [PageRecord.from_json(r).ref for r in records]

    def stale_refs(self, job_id: str, older_than: float) -> list[dict[str, Any]]:
        """References of pages accepted but not final since before ``older_than`` (epoch)."""
        return [PageRecord.from_json(r).ref for r in self._run("stale_pages", job_id, older_than)]

    def pages(self, job_id: str, state: str | None = None) -> list[PageRecord]:
        records = [PageRecord.from_json(v) for v in self._client.hvals(f"{self._job_key(job_id)}:pages")]
        return sorted((r for r in records if state is None or r.state == state), key=lambda r: r.url)

    def _expire_if_finished(self, job_id: str) -> None:
        job = self.get(job_id)
        if job is not None and job.finished_status:
            self._expire(job_id)
