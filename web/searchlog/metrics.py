"""The log's Prometheus counter: every event ends written, failed or dropped.

Registered in the app's metrics registry (web/metrics.py) so /metrics shows it; under
gunicorn, prometheus_client's multiprocess files add up every worker's count.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask
from prometheus_client import CollectorRegistry, Counter

_EXTENSION = "pagesift_searchlog_counter"
# web/metrics.py keeps the app's registry here.
_REGISTRY = "pagesift_metrics_registry"
_lock = threading.Lock()


def counter(app: Flask) -> Counter:
    with _lock:  # registering the same name twice in one registry is an error
        return app.extensions.get(_EXTENSION) or _register(app)


def _register(app: Flask) -> Counter:
    registry = app.extensions.get(_REGISTRY) or CollectorRegistry()
    found = Counter("pagesift_searchlog_events", "Search log events, by outcome (written, failed, dropped).",
                    ["outcome"], registry=registry)
    app.extensions[_EXTENSION] = found
    return found


def reporter(app: Flask) -> Callable[[str, int], None]:
    events = counter(app)
    return lambda outcome, count: events.labels(outcome).inc(count)
