"""Per-site extraction rules: view, edit (validated before saving), preview on a page."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from indexer.clean import RulesError
from indexer.clean.rules import Rules, parse
from web import settings_of
from web.admin import preview, services
from web.admin.blueprint import bp
from web.admin.forms import PreviewForm, RulesForm


@bp.get("/rules")
def rules() -> str:
    path = _path()
    text = path.read_text(encoding="utf-8") if path and path.exists() else ""
    return render_template("admin/rules.html", form=RulesForm(rules=text), preview_form=PreviewForm(),
                           path=path, problem=None, result=None)


@bp.post("/rules")
def save_rules() -> ResponseReturnValue:
    form, path = RulesForm(), _path()
    if not form.validate_on_submit():
        return _page(form, path, "The form was incomplete; reload the page and try again.", 400)
    if path is None:
        return _page(form, path, "Set PAGESIFT_RULES_FILE to a file path to edit rules here.", 409)
    text = form.rules.data or ""
    try:
        parse(text)
    except RulesError as exc:
        return _page(form, path, f"Not saved: {exc}", 400)
    _write_atomically(path, text)
    flash("Rules saved. Workers read them when they start: restart them, then run a reclean "
          "to apply the rules to pages already indexed.")
    return redirect(url_for("admin.rules"))


@bp.post("/rules/preview")
def preview_rules() -> ResponseReturnValue:
    form, preview_form, path = RulesForm(), PreviewForm(), _path()
    if not (form.validate_on_submit() and preview_form.validate()):
        return _page(form, path, "Give a page URL or upload a saved page.", 400, preview_form)
    try:
        rules: Rules | None = parse(form.rules.data or "")
    except RulesError as exc:
        return _page(form, path, f"The rules above do not load: {exc}", 400, preview_form)
    upload = request.files.get(preview_form.page.name)
    headers: dict[str, str] = {}
    try:
        if upload and upload.filename:
            raw, url = upload.read(), (preview_form.url.data or None)
        elif preview_form.url.data:
            raw, headers, url = preview.fetch(services.fetcher(), preview_form.url.data)
        else:
            return _page(form, path, "Give a page URL or upload a saved page.", 400, preview_form)
    except preview.FetchError as exc:
        return _page(form, path, f"Could not fetch the page: {exc}", 400, preview_form)
    result = preview.preview(raw, url, headers, rules, settings_of(current_app))
    return render_template("admin/rules.html", form=form, preview_form=preview_form, path=path,
                           problem=result.problem, result=result)


def _page(form: RulesForm, path: Path | None, problem: str, status: int,
          preview_form: PreviewForm | None = None) -> tuple[str, int]:
    return render_template("admin/rules.html", form=form, preview_form=preview_form or PreviewForm(),
                           path=path, problem=problem, result=None), status


def _path() -> Path | None:
    configured = settings_of(current_app).clean.rules_file
    return Path(configured) if configured else None


def _write_atomically(path: Path, text: str) -> None:
    # A worker starting mid-save reads the old file or the new one, never half of one.
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rules-", suffix=".toml")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, path)
