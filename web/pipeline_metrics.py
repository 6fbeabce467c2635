"""The pipeline's metrics, computed at scrape time from the job store, the broker and ES.

Counts are over the jobs the store keeps (finished jobs expire after 30 days), so they are
gauges: ``pagesift_job_pages`` can go down when an old job expires. Use them for "how is
ingest going" panels and alerts on failures, not as lifetime totals.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterator

import redis
from flask import Flask
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.metrics_core import Metric

from web.admin import services, status
from worker.jobs import Job
from worker.jobs.model import JOB_STATUSES, JOB_TYPES

log = logging.getLogger(__name__)

# How many of the newest jobs a scrape reads (one Redis round trip each).
JOBS_SCRAPED = 500
DURATION_BUCKETS = (1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0, 4 * 3600.0, 24 * 3600.0)
OUTCOMES = ("indexed", "skipped", "failed")


class PipelineCollector:
    def __init__(self, app: Flask) -> None:
        self._app = app

    def collect(self) -> Iterator[Metric]:
        try:
            jobs = services.jobs(self._app).records.recent(JOBS_SCRAPED)
        except redis.RedisError as exc:
            log.warning("pipeline metrics unavailable: %s", exc)
            yield GaugeMetricFamily("pagesift_job_store_up", "1 when the job store answered the scrape.", 0)
            return
        yield GaugeMetricFamily("pagesift_job_store_up", "1 when the job store answered the scrape.", 1)
        yield from job_metrics(jobs, time.time())
        depth = status.queue_length(self._app)
        if depth is not None:
            yield GaugeMetricFamily("pagesift_queue_depth", "Pipeline tasks waiting in the queue.", depth)


def job_metrics(jobs: list[Job], now: float) -> Iterator[Metric]:
    """Pure: the job-derived metric families for ``jobs``."""
    by_status = GaugeMetricFamily("pagesift_jobs", "Jobs kept in the store, by type and status.",
                                  labels=["type", "status"])
    counts = Counter((j.type, j.status) for j in jobs)
    for job_type in JOB_TYPES:
        for job_status in JOB_STATUSES:
            by_status.add_metric([job_type, job_status], counts[(job_type, job_status)])
    yield by_status

    pages = GaugeMetricFamily("pagesift_job_pages", "Pages recorded by the jobs kept in the store.",
                              labels=["type", "outcome"])
    for job_type in JOB_TYPES:
        of_type = [j for j in jobs if j.type == job_type]
        for outcome in OUTCOMES:
            pages.add_metric([job_type, outcome], sum(getattr(j, outcome) for j in of_type))
    yield pages

    durations = HistogramMetricFamily("pagesift_job_duration_seconds",
                                      "Run time of finished jobs kept in the store.", labels=["type"])
    for job_type in JOB_TYPES:
        # Time spent running, each run of a retried job its own span (not the wait between).
        took = [t for j in jobs if j.type == job_type and j.finished_status
                for t in [j.took(now)] if t is not None]
        buckets = [(_bound(b), sum(1 for t in took if t <= b)) for b in DURATION_BUCKETS]
        buckets.append(("+Inf", len(took)))
        durations.add_metric([job_type], buckets, sum(took))
    yield durations

    # A retried job's age counts from its retry: the wait before it was not running.
    running = [j.run.started for j in jobs if j.status == "running" and j.run.started is not None]
    oldest = GaugeMetricFamily("pagesift_running_job_age_seconds",
                               "How long the oldest running job has been running (0: none).",
                               max((now - started for started in running), default=0.0))
    yield oldest


def _bound(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)
