"""Cross-origin reads of the reader API, for the origins an operator allows.

A site's own pages (the WordPress plugin's live search) call ``/api/search`` and
``/api/suggest`` from the reader's browser. Only those two read-only endpoints, only GET, and
never with credentials: the answers are the same public results the search page shows, and no
cookie or token rides along. With no origin allowed nothing is added to any answer, so other
callers see exactly what they saw before.

Written here rather than with Flask-CORS, which leaves ``Vary: Origin`` out when one origin is
allowed: a shared cache could then hand the answer it kept for a request without ``Origin``
(no CORS header) to the site's pages, and the reader's browser would refuse it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Flask, Response, request

# The reader API's paths a page on another origin may call.
PATHS = frozenset({"/api/search", "/api/suggest"})
METHODS = "GET"
# A browser may reuse a preflight's answer this long (seconds); browsers cap it lower anyway.
PREFLIGHT_MAX_AGE = "86400"


def init_app(app: Flask, origins: Sequence[str]) -> None:
    if origins:
        app.before_request(_preflight)
        app.after_request(_allow(frozenset(origins)))


def _preflight() -> Response | None:
    """A preflight is answered here, before the rate limit: it asks no search of its own."""
    if request.method != "OPTIONS" or request.path not in PATHS:
        return None
    if not request.headers.get("Access-Control-Request-Method"):
        return None  # a plain OPTIONS, answered by Flask as before
    return Response(status=204)


def _allow(origins: frozenset[str]) -> Callable[[Response], Response]:
    def apply(response: Response) -> Response:
        if request.path not in PATHS:
            return response
        # Every answer here differs by Origin now, allowed or not: caches must key on it.
        response.vary.add("Origin")
        origin = request.headers.get("Origin", "")
        if origin not in origins:
            return response
        response.headers["Access-Control-Allow-Origin"] = origin
        if request.method == "OPTIONS" and request.headers.get("Access-Control-Request-Method"):
            response.headers["Access-Control-Allow-Methods"] = METHODS
            response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        return response

    return apply
