"""Jobs: the list with live progress, one job's page, and its buttons."""

from __future__ import annotations

import time

from flask import Response, current_app, flash, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from web.admin import operations, services
from web.admin.blueprint import bp
from web.admin.forms import ActionForm, submitted
from web.admin.progress import job_view
from worker.jobs.progress import figures

LIST_SIZE = 50
# Failures listed on a job's page; the JSON API has them all.
FAILURES_SHOWN = 500


@bp.get("/jobs")
def jobs() -> str:
    now = time.time()
    listed = services.jobs().records.recent(LIST_SIZE)
    return render_template("admin/jobs.html", jobs=[(job, figures(job, now)) for job in listed])


@bp.get("/jobs.json")
def jobs_json() -> Response:
    now = time.time()
    return jsonify(jobs=[job_view(job, now) for job in services.jobs().records.recent(LIST_SIZE)])


@bp.get("/jobs/<job_id>")
def job(job_id: str) -> str:
    found = operations.job_or_404(current_app, job_id)
    failures = services.jobs().ledger.pages(job_id, state="failed")
    now = time.time()
    return render_template("admin/job.html", job=found, progress=figures(found, now), now=now,
                           failures=failures[:FAILURES_SHOWN], failures_total=len(failures))


@bp.get("/jobs/<job_id>.json")
def job_json(job_id: str) -> Response:
    found = operations.job_or_404(current_app, job_id)
    return jsonify(job_view(found, time.time()))


@bp.post("/jobs/<job_id>/retry")
def retry(job_id: str) -> ResponseReturnValue:
    submitted(ActionForm())
    count = operations.retry(current_app, job_id)
    flash(f"{count} failed page{'s' if count != 1 else ''} sent again." if count
          else "No failed pages to retry.")
    return redirect(url_for("admin.job", job_id=job_id))


@bp.post("/jobs/<job_id>/cancel")
def cancel(job_id: str) -> ResponseReturnValue:
    submitted(ActionForm())
    done = operations.cancel(current_app, job_id)
    flash("Job cancelled." if done else "The job had already finished.")
    return redirect(url_for("admin.job", job_id=job_id))

