"""Judgments: the results for a query, each with a grade, stored as pagesift eval's list."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from indexer.curation import store
from indexer.curation.judging import GRADES
from indexer.query.text import tidy
from web.admin import curating, services
from web.admin.blueprint import bp
from web.admin.forms import JudgmentsForm

# Enough to find the articles that should be in the first ten and are not.
JUDGED_RESULTS = 20
NOT_GRADED = ""


@bp.route("/curation/judgments/new", methods=["GET", "POST"])
def new_judgments() -> ResponseReturnValue:
    if request.method == "POST":
        return _save()
    q = tidy(request.args.get("q", ""))
    return _page(JudgmentsForm(q=q), q)


def _save() -> ResponseReturnValue:
    form = JudgmentsForm()
    if not form.validate_on_submit():
        abort(400, "The form was incomplete; reload the page and try again.")
    q = tidy(form.q.data or "")
    by = curating.editor(form.editor.data)
    try:
        changed = store.save_judgments(services.es(), curating.prefix(), q, _grades(), by)
    except store.GradesConflict:
        return _page(JudgmentsForm(q=q), q, problem="Another editor changed some of these grades meanwhile: "
                     "theirs are shown now, and the rest of yours were saved. Grade again where needed."), 409
    flash(f"{changed} grade{'' if changed == 1 else 's'} saved for “{q}”.")
    return redirect(url_for("admin.new_judgments", q=q))


def _grades() -> dict[str, int | None]:
    """``url-<n>`` with ``grade-<n>``: a grade, or none (an empty choice takes it away)."""
    grades: dict[str, int | None] = {}
    for key, url in request.form.items():
        if not key.startswith("url-") or not url.strip():
            continue
        raw = request.form.get(f"grade-{key.removeprefix('url-')}", NOT_GRADED)
        if raw != NOT_GRADED and not (raw.isdigit() and int(raw) in GRADES):
            abort(400, "A grade is 0 to 3.")
        grades[url.strip()] = int(raw) if raw != NOT_GRADED else None
    return grades


def _page(form: JudgmentsForm, q: str, problem: str | None = None) -> str:
    stored = {j.url: j.grade for j in store.judgments(services.es(), curating.prefix(), q)} if q else {}
    hits = curating.preview(q, curating.stored(), size=JUDGED_RESULTS)["hits"] if q else []
    shown = {hit["url"] for hit in hits}
    # Articles judged before that the search no longer finds stay gradable: they are often the point.
    missing = [url for url in stored if url not in shown]
    return render_template("admin/curation_judgments.html", form=form, q=q, hits=hits, missing=missing,
                           stored=stored, grades=GRADES, problem=problem)
