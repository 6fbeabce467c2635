"""Search analytics: what readers looked for, what failed them, and one click to fix it.

Every number is in a table the server renders; the charts (Chart.js, served from
web/static/vendor) are drawn from those tables by the page's script, so the page says all
it knows without JavaScript.
"""

from __future__ import annotations

from elasticsearch import ApiError, TransportError
from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from indexer.query.text import normal_form
from indexer.searchlog import blocklist
from indexer.searchlog.analytics import Analytics
from indexer.searchlog.names import SearchLogNames
from indexer.searchlog.periods import PeriodError, Window
from web import settings_of
from web.admin import services
from web.admin.blueprint import bp

# The windows offered as links; any other `since` (e.g. 36h) works typed in the URL.
WINDOWS = ("24h", "7d", "30d", "90d")
ROWS = 50
# The curation pages (another part of the console) take the query to act on as `q`. Each link
# is a word in the row (the rows stay one line high), its accessible name the whole action.
FIXES = (("best bet", "Add a best bet", "admin.new_best_bet"),
         ("synonym", "Add a synonym", "admin.new_synonym"),
         ("judge", "Judge the results", "admin.new_judgments"))


def fixes(query: str) -> list[tuple[str, str, str]]:
    """The "add a best bet / synonym / judge results" links of one query row, and the
    blocklist's form with the query filled in: (word, action, URL) each."""
    return [*((word, action, url_for(endpoint, q=query)) for word, action, endpoint in FIXES),
            ("hide", "Hide from autocomplete", url_for("admin.suggestion_blocklist", words=query))]


class BlockForm(FlaskForm):
    words = StringField("Words", validators=[DataRequired(), Length(max=blocklist.MAX_ENTRY_CHARS)])


@bp.get("/analytics")
def analytics() -> tuple[str, int]:
    try:
        window = Window.since(request.args.get("since"))
    except PeriodError as exc:
        return _page(None, str(exc), 400)
    try:
        report = _analytics().report(window, ROWS)
    except (ApiError, TransportError) as exc:
        return _page(None, f"The search log could not be read: {exc}", 503)
    return _page(report, None, 200)


def _analytics() -> Analytics:
    return Analytics(services.es(), SearchLogNames(settings_of(current_app).index.prefix))


def _page(report: object, problem: str | None, status: int) -> tuple[str, int]:
    settings = settings_of(current_app)
    return render_template("admin/analytics.html", report=report, problem=problem, windows=WINDOWS,
                           since=request.args.get("since", "7d"), fixes=fixes,
                           logging=settings.searchlog.enabled,
                           retention_days=settings.searchlog.retention_days), status


@bp.route("/analytics/blocklist", methods=["GET", "POST"])
def suggestion_blocklist() -> ResponseReturnValue:
    """Words never offered in autocomplete: any past query containing them is left out."""
    namespace = settings_of(current_app).redis.namespace
    form = BlockForm(words=request.args.get("words", ""))
    if form.validate_on_submit():
        entry = blocklist.add(services.store(), namespace, form.words.data or "", by="console")
        flash(f"Past queries containing “{entry.words}” are no longer suggested.")
        return redirect(url_for("admin.suggestion_blocklist"))
    listed = blocklist.entries(services.store(), namespace)
    return render_template("admin/suggestion_blocklist.html", form=form, entries=listed), \
        400 if form.errors else 200


@bp.post("/analytics/blocklist/remove")
def suggestion_unblock() -> ResponseReturnValue:
    words = request.form.get("words", "")
    if blocklist.remove(services.store(), settings_of(current_app).redis.namespace, words):
        flash(f"“{normal_form(words)}” may be suggested again.")
    return redirect(url_for("admin.suggestion_blocklist"))
