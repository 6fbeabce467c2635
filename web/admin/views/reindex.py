"""Reindex (reclean or migrate) and roll back, each after a confirmation page."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from indexer.index import lifecycle
from web.admin import operations, services
from web.admin.blueprint import bp
from web.admin.forms import ActionForm, ReindexForm, submitted

EXPLAIN = {
    "reclean": "Every page in the raw store goes through the current cleaner and rules into a new index; "
               "search keeps using the live index until the new one is complete, then switches at once.",
    "migrate": "The live index is copied into a new index with the current mapping; search switches "
               "when the copy is complete.",
}


@bp.get("/reindex")
def reindex() -> str:
    es, names = services.es(), services.names()
    return render_template("admin/reindex.html", form=ReindexForm(mode=request.args.get("mode")),
                           explain=EXPLAIN, live=lifecycle.current_index(es, names),
                           previous=lifecycle.previous_index(es, names), action=ActionForm())


@bp.post("/reindex")
def start_reindex() -> ResponseReturnValue:
    form = submitted(ReindexForm(), "Choose reclean or migrate.")
    if "confirmed" not in request.form:
        return render_template("admin/confirm_reindex.html", form=form, mode=form.mode.data,
                               explain=EXPLAIN[form.mode.data or ""])
    job = operations.reindex(current_app, form.mode.data or "")
    flash(f"Reindex ({job.params.get('mode')}) queued as job {job.id}.")
    return redirect(url_for("admin.job", job_id=job.id))


@bp.post("/rollback")
def rollback() -> ResponseReturnValue:
    form = submitted(ActionForm())
    if "confirmed" not in request.form:
        es, names = services.es(), services.names()
        return render_template("admin/confirm_rollback.html", form=form,
                               live=lifecycle.current_index(es, names),
                               previous=lifecycle.previous_index(es, names))
    job, result = operations.rollback(current_app)
    flash(f"Rolled back (job {job.id}): search now uses {result.target} (was {result.source}).")
    return redirect(url_for("admin.dashboard"))
