"""Every failure answers plainly: JSON ``{"error", "message"}`` for the API, a page otherwise.

Elasticsearch being unreachable, timing out or missing the index is a 503 with a plain
message; neither its address nor a stack trace ever reaches the client.
"""

from __future__ import annotations

import logging

import elasticsearch
from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_babel import gettext
from flask_limiter.errors import RateLimitExceeded
from werkzeug.exceptions import HTTPException

from indexer.query import SearchRequestError

log = logging.getLogger(__name__)

# What the ES client raises when the cluster cannot answer: refused connection, timeout,
# TLS trouble, or an error status such as 404 for a missing alias or 503 during recovery.
ES_UNAVAILABLE = (elasticsearch.TransportError, elasticsearch.ApiError)


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, code: str, message: str) -> tuple[Response | str, int]:
    if wants_json():
        return jsonify(error=code, message=message), status
    return render_template("error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
    app.register_error_handler(SearchRequestError, _bad_request)
    app.register_error_handler(RateLimitExceeded, _rate_limited)
    for exc in ES_UNAVAILABLE:
        app.register_error_handler(exc, _search_unavailable)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def _bad_request(exc: SearchRequestError) -> tuple[Response | str, int]:
    return error_response(400, exc.code, exc.message)


def _rate_limited(exc: RateLimitExceeded) -> Response:
    message = gettext("Too many searches in a short time. Please wait a minute and try again.")
    body, status = error_response(429, "rate_limited", message)
    response = make_response(body, status)
    # The limit's window: by then the count has started again (fixed windows).
    response.headers["Retry-After"] = str(exc.limit.limit.get_expiry())
    return response


def _search_unavailable(exc: Exception) -> tuple[Response | str, int]:
    log.warning("search unavailable: %s", exc)
    return error_response(503, "search_unavailable",
                          gettext("Search is unavailable right now. Please try again in a few minutes."))


def _http_error(exc: HTTPException) -> tuple[Response | str, int]:
    status = exc.code or 500
    return error_response(status, (exc.name or "error").lower().replace(" ", "_"), exc.description or "")


def _unexpected(exc: Exception) -> tuple[Response | str, int]:
    log.exception("unexpected error")
    return error_response(500, "internal_error", gettext("Something went wrong on our side."))

