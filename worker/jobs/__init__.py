"""Durable jobs in Redis: their records (status, counts, timing), a ledger of every page, and
how their progress is counted and read."""

from __future__ import annotations

from worker.jobs.ledger import PageLedger
from worker.jobs.model import FINAL_PAGE_STATES, JOB_STATUSES, SKIP_REASONS, Job, PageRecord
from worker.jobs.records import JobRecords
from worker.jobs.store import JobStore

__all__ = ["FINAL_PAGE_STATES", "JOB_STATUSES", "SKIP_REASONS", "Job", "JobRecords", "JobStore", "PageLedger",
           "PageRecord"]
