"""Service status for ``/healthz``: whether Elasticsearch and Redis answer, never where they are."""

from __future__ import annotations

from typing import Any

import redis
from flask import Flask

from web import es, settings_of

TIMEOUT_S = 1.0


def check(app: Flask) -> dict[str, Any]:
    checks = {"elasticsearch": _elasticsearch(app), "redis": _redis(app)}
    ok = all(checks.values())
    return {"status": "ok" if ok else "unavailable",
            **{name: "ok" if up else "down" for name, up in checks.items()}}


def _elasticsearch(app: Flask) -> bool:
    try:
        return bool(es.client(app).options(request_timeout=TIMEOUT_S).ping())
    except Exception:  # ping() already maps most failures to False; the rest are "down" too.
        return False


def _redis(app: Flask) -> bool:
    from worker.redis_dbs import fail_fast

    client = fail_fast(settings_of(app).redis.url, TIMEOUT_S)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()
