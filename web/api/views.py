"""Thin views: parse, call the shared search path, answer JSON."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from indexer.query import parse_search_args, parse_suggest_args
from indexer.query.related import DEFAULT_SIZE, MAX_SIZE
from indexer.query.request import parse_related_args
from web import health
from web.api import openapi
from web.extensions import limiter, search_rate_limited, suggest_rate_limited
from web.search import results

bp = Blueprint("api", __name__)
bp.record_once(lambda state: openapi.contribute(state.app, openapi.READER_PATHS))


@bp.get("/api/search")
@search_rate_limited
def search() -> Response:
    return jsonify(results.search(parse_search_args(request.args)))


@bp.get("/api/related")
@search_rate_limited
def related() -> Response:
    req = parse_related_args(request.args, default_size=DEFAULT_SIZE, max_size=MAX_SIZE)
    return jsonify(results.related(req))


@bp.get("/api/suggest")
@suggest_rate_limited
def suggest() -> Response:
    q = parse_suggest_args(request.args)
    return jsonify(q=q, suggestions=results.suggest(q))


@bp.get("/healthz")
@limiter.exempt
def healthz() -> tuple[Response, int]:
    report = health.check(current_app)
    return jsonify(report), 200 if report["status"] == "ok" else 503


@bp.get("/api/openapi.json")
def openapi_json() -> Response:
    return jsonify(openapi.document(current_app))


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    xml = render_template("opensearch.xml")
    return Response(xml, mimetype="application/opensearchdescription+xml")
