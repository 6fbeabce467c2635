"""Durable job records in Redis: status, counts, timing and a ledger of every page."""

from __future__ import annotations

from worker.jobs.model import FINAL_PAGE_STATES, JOB_STATUSES, SKIP_REASONS, Job, PageRecord
from worker.jobs.store import JobStore

__all__ = ["FINAL_PAGE_STATES", "JOB_STATUSES", "SKIP_REASONS", "Job", "JobStore", "PageRecord"]
