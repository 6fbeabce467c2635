"""Thin views: check the token, parse the JSON body, call the console's operations, answer JSON."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest, Unauthorized

from web import settings_of
from web.admin import auth, operations, services
from web.admin.progress import job_view
from web.admin_api import spec
from web.admin_api.body import parse_job_request, parse_page_events, parse_page_request
from web.api import openapi
from worker.sources import SourceError

bp = Blueprint("admin_api", __name__, url_prefix="/api/admin")
bp.record_once(lambda state: openapi.contribute(state.app, spec.PATHS, spec.SCHEMAS, spec.SECURITY_SCHEMES))

LIST_SIZE = 100


@bp.before_request
def require_token() -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not auth.token_ok(settings_of(current_app), token.strip()):
        raise Unauthorized("A valid admin token is required: Authorization: Bearer <token>.",
                           www_authenticate=None)


@bp.after_request
def challenge(response: Response) -> Response:
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="pagesift admin"'
    return response


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.")
    return data


@bp.post("/jobs")
def create_job() -> ResponseReturnValue:
    wanted = parse_job_request(_body())
    try:
        if wanted.type == "reindex":
            job = operations.reindex(current_app, wanted.mode or "")
        else:
            job = operations.ingest(current_app, wanted.sources)
    except SourceError as exc:
        raise BadRequest(str(exc)) from exc
    return jsonify(job_view(job, time.time())), 202, {"Location": f"{bp.url_prefix}/jobs/{job.id}"}


@bp.get("/jobs")
def list_jobs() -> Response:
    now = time.time()
    return jsonify(jobs=[job_view(job, now) for job in services.jobs().records.recent(LIST_SIZE)])


@bp.get("/jobs/<job_id>")
def get_job(job_id: str) -> Response:
    job = operations.job_or_404(current_app, job_id)
    failures = [{"url": p.url, "stage": p.stage, "reason": p.reason, "attempts": p.attempts}
                for p in services.jobs().ledger.pages(job_id, state="failed")]
    return jsonify({**job_view(job, time.time()), "failures": failures})


@bp.post("/jobs/<job_id>/retry")
def retry_job(job_id: str) -> Response:
    return jsonify(id=job_id, retried=operations.retry(current_app, job_id))


@bp.post("/jobs/<job_id>/cancel")
def cancel_job(job_id: str) -> Response:
    return jsonify(id=job_id, cancelled=operations.cancel(current_app, job_id))


@bp.post("/pages")
def page_webhook() -> ResponseReturnValue:
    body = _body()
    if "events" in body:
        events = parse_page_events(body)
        job = operations.publish(current_app, events)
        return jsonify(events=len(events), job=job_view(job, time.time())), 202
    wanted = parse_page_request(body)
    if wanted.action == "delete":
        record = operations.take_down(current_app, wanted.url, wanted.reason, by="api")
        return jsonify(url=record.url, action="delete", removed=record.found, indices=record.indices,
                       copies=record.copies)
    job = operations.publish(current_app, [wanted])
    return jsonify(url=wanted.url, action=wanted.action, job=job_view(job, time.time())), 202
