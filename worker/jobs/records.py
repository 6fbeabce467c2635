"""Job records: one Redis hash per job (status, counts, times, parameters, runs), listed by
creation time, the unfinished ones in a set; how long a finished job is kept.

Redis runs with AOF, so jobs outlive restarts of workers, the web app and Redis itself. A job's
pages are in its ledger (:mod:`worker.jobs.ledger`), under the same key scheme.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import redis
from redis.typing import EncodableT, FieldT

from worker.jobs.keys import KEEP_FINISHED, JobKeys
from worker.jobs.model import COUNTS, ENDED, JOB_TYPES, Job
from worker.jobs.transitions import Transitions


class JobRecords:
    def __init__(self, client: redis.Redis, keys: JobKeys) -> None:
        self.client, self.keys = client, keys
        self._transitions = Transitions(client, keys, ("cancel",))

    def create(self, job_type: str, params: dict[str, Any] | None = None) -> Job:
        if job_type not in JOB_TYPES:
            raise ValueError(f"unknown job type {job_type!r}")
        job_id = uuid.uuid4().hex[:12]
        now = time.time()
        record: dict[FieldT, EncodableT] = {
            "id": job_id, "type": job_type, "status": "queued", "created": now, **dict.fromkeys(COUNTS, 0),
            "expanded": 0, "params": json.dumps(params or {})}
        pipe = self.client.pipeline()
        pipe.hset(self.keys.job(job_id), mapping=record)
        pipe.zadd(self.keys.listed, {job_id: now})
        pipe.sadd(self.keys.active, job_id)
        pipe.execute()
        job = self.get(job_id)
        assert job is not None
        return job

    def get(self, job_id: str) -> Job | None:
        raw = self.client.hgetall(self.keys.job(job_id))
        return Job.from_hash(raw) if raw else None

    def recent(self, limit: int = 20) -> list[Job]:
        ids: list[bytes] = self.client.zrevrange(self.keys.listed, 0, limit - 1)  # type: ignore[assignment]
        jobs = [self.get(i.decode()) for i in ids]
        return [j for j in jobs if j is not None]

    def active_ids(self) -> list[str]:
        members = self.client.smembers(self.keys.active)
        return sorted(i.decode() if isinstance(i, bytes) else i for i in members)

    def mark_running(self, job_id: str) -> bool:
        """queued -> running (a worker took the job); False when it was cancelled meanwhile."""
        key = self.keys.job(job_id)
        with self.client.pipeline() as pipe:
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

    def mark_searchable(self, job_id: str) -> None:
        """Record that every page this job indexed can be found by a search (after a refresh)."""
        self.client.hset(self.keys.job(job_id), "searchable", time.time())

    def fail(self, job_id: str, error: str) -> None:
        """The job could not run at all (its source is unreadable, say)."""
        self.close(job_id, error)

    def cancel(self, job_id: str) -> bool:
        done = bool(self._transitions.run("cancel", job_id))
        if done:
            self.expire(job_id)
        return done

    def close(self, job_id: str, error: str = "") -> None:
        """End a job without a page ledger (a reindex). With ``error`` it could not do its work;
        otherwise its counts say how it went (:func:`worker.jobs.model.final_status`)."""
        pipe = self.client.pipeline()
        status = "failed" if error else ENDED
        record: dict[FieldT, EncodableT] = {"status": status, "error": error, "finished": time.time()}
        pipe.hset(self.keys.job(job_id), mapping=record)
        pipe.srem(self.keys.active, job_id)
        pipe.execute()
        self.expire(job_id)

    def set_params(self, job_id: str, **params: Any) -> None:
        job = self.get(job_id)
        merged = {**(job.params if job else {}), **params}
        self.client.hset(self.keys.job(job_id), "params", json.dumps(merged))

    def delete(self, job_id: str) -> None:
        pipe = self.client.pipeline()
        pipe.delete(*self.keys.owned(job_id))
        pipe.zrem(self.keys.listed, job_id)
        pipe.srem(self.keys.active, job_id)
        pipe.execute()

    # Expiry: a finished job, ledger and all, is kept KEEP_FINISHED; a retried one again for good.
    def expire(self, job_id: str) -> None:
        pipe = self.client.pipeline()
        for key in self.keys.owned(job_id):
            pipe.expire(key, KEEP_FINISHED)
        pipe.execute()

    def expire_if_finished(self, job_id: str) -> None:
        job = self.get(job_id)
        if job is not None and job.finished_status:
            self.expire(job_id)

    def keep(self, job_id: str) -> None:
        pipe = self.client.pipeline()
        for key in self.keys.owned(job_id):
            pipe.persist(key)
        pipe.execute()
