"""Submit pages: a URL list, a sitemap (or site) URL, uploaded pages, a zip or a WARC."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from web import settings_of
from web.admin import operations, uploads
from web.admin.blueprint import bp
from web.admin.forms import SubmitForm
from worker.sources import SourceError


@bp.route("/submit", methods=["GET", "POST"])
def submit() -> ResponseReturnValue:
    form = SubmitForm()
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("admin/submit.html", form=form, problem=None), status
    settings = settings_of(current_app)
    try:
        sources = _sources(form, settings.home, settings.admin.upload_max_bytes)
        if not sources:
            raise uploads.UploadError("Give at least one URL, a sitemap URL or a file.")
        job = operations.ingest(current_app, sources, form.base_url.data)
    except (uploads.UploadError, SourceError) as exc:
        return render_template("admin/submit.html", form=form, problem=str(exc)), 400
    flash(f"Job {job.id} queued.")
    return redirect(url_for("admin.job", job_id=job.id))


def _sources(form: SubmitForm, home: Path, max_bytes: int) -> list[str]:
    sources: list[str] = []
    urls = uploads.url_list(form.urls.data or "")
    files = [f for f in request.files.getlist(form.uploads.name) if f and f.filename]
    folder = uploads.new_folder(home) if urls or files else None
    if folder is not None and urls:
        sources.append(str(uploads.write_url_list(folder, urls)))
    if form.sitemap.data:
        sources.append(form.sitemap.data.strip())
    if folder is not None and files:
        sources += [str(p) for p in uploads.save_files(folder, files, max_bytes)]
    return sources
