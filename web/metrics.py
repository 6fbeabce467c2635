"""``/metrics`` in Prometheus format: the web app's requests, and the pipeline read from Redis.

Two kinds of numbers, collected two ways:

* Requests (count and latency per endpoint) are counted in the process that served them.
  Under gunicorn's several workers, prometheus_client's multiprocess mode adds them up: the
  gunicorn config (:mod:`web.gunicorn_conf`) points ``PROMETHEUS_MULTIPROC_DIR`` at a fresh
  folder before the workers start, and each scrape reads every worker's file.
* The pipeline's numbers (pages indexed, skipped and failed, jobs by status, job durations,
  queue depth) are computed at scrape time from the job store and the broker
  (:mod:`web.pipeline_metrics`): the Celery workers keep no counters of their own, and the
  job store is already the durable record every process shares.

In production the endpoint asks for the admin token (Prometheus: ``authorization`` with
``credentials``); during development it is open.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.metrics_core import Metric

from web import settings_of
from web.admin import auth
from web.extensions import limiter
from web.pipeline_metrics import PipelineCollector

_EXTENSION = "pagesift_metrics"
_REGISTRY = "pagesift_metrics_registry"
# Searches take tens of milliseconds; the console's pages and uploads up to seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

bp = Blueprint("metrics", __name__)


class RequestMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter("pagesift_http_requests", "HTTP requests answered, by endpoint.",
                                ["endpoint", "method", "status"], registry=registry)
        self.latency = Histogram("pagesift_http_request_duration_seconds",
                                 "Time to answer an HTTP request, by endpoint.", ["endpoint", "method"],
                                 buckets=LATENCY_BUCKETS, registry=registry)


@bp.record_once
def _install(state: object) -> None:
    app: Flask = state.app  # type: ignore[attr-defined]
    registry = CollectorRegistry()
    app.extensions[_EXTENSION] = RequestMetrics(registry)
    app.extensions[_REGISTRY] = registry


@bp.before_app_request
def _start_timer() -> None:
    g.pagesift_request_started = time.perf_counter()


@bp.after_app_request
def _observe(response: Response) -> Response:
    started = g.pop("pagesift_request_started", None)
    metrics: RequestMetrics | None = current_app.extensions.get(_EXTENSION)
    if started is None or metrics is None:
        return response
    # The endpoint name, never the path, and a known method or "other": anything a client can
    # choose freely (a URL, any token as a method) must not grow a series per value.
    endpoint = request.endpoint or "unmatched"
    method = request.method if request.method in KNOWN_METHODS else "other"
    metrics.requests.labels(endpoint, method, str(response.status_code)).inc()
    metrics.latency.labels(endpoint, method).observe(time.perf_counter() - started)
    return response


@bp.get("/metrics")
@limiter.exempt
def metrics() -> Response:
    settings = settings_of(current_app)
    if settings.production:
        _, _, token = request.headers.get("Authorization", "").partition(" ")
        if not auth.token_ok(settings, token.strip()):
            return Response("admin token required\n", 401, {"WWW-Authenticate": 'Bearer realm="metrics"'},
                            mimetype="text/plain")
    return Response(generate_latest(_scrape_registry(current_app)), mimetype=CONTENT_TYPE_LATEST)


def _scrape_registry(app: Flask) -> CollectorRegistry:
    scrape = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Every worker's request counts, from their files; never this process's alone.
        multiprocess.MultiProcessCollector(scrape)
    else:
        scrape.register(_Merged(app.extensions[_REGISTRY]))
    scrape.register(PipelineCollector(app))
    return scrape


class _Merged:
    """Another registry's metrics, so one scrape registry can hold them and the pipeline's."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterable[Metric]:
        return self._registry.collect()
