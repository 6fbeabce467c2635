"""Takedowns: remove a URL from search now, with a reason; the recent ones listed."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import ServiceUnavailable

from indexer.index import takedown_list
from web import settings_of
from web.admin import operations, services
from web.admin.blueprint import bp
from web.admin.forms import TakedownForm


@bp.route("/takedowns", methods=["GET", "POST"])
def takedown() -> ResponseReturnValue:
    form = TakedownForm()
    if form.validate_on_submit():
        try:
            record = operations.take_down(current_app, form.url.data or "", form.reason.data or "",
                                          by="console")
        except ServiceUnavailable as exc:
            flash(str(exc.description), "error")
            return redirect(url_for("admin.takedown"))
        flash(_done(record))
        return redirect(url_for("admin.takedown"))
    namespace = settings_of(current_app).redis.namespace
    recent = takedown_list.recent(services.store(), namespace)
    pending = takedown_list.pending(services.store(), namespace)
    return render_template("admin/takedowns.html", form=form, recent=recent, pending=pending), \
        400 if form.errors else 200


def _done(record: takedown_list.Takedown) -> str:
    if not record.found:
        return f"{record.url} was not indexed; the takedown is recorded all the same."
    copies = (f" Its {len(record.copies)} copies under other addresses went with it: "
              f"{', '.join(record.copies)}." if record.copies else "")
    return (f"Removed {record.url} from {len(record.indices)} index(es)"
            f"{' and the raw store' if record.raw else ''}.{copies}")
