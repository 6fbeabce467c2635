"""Takedowns: remove a URL from search now, with a reason; the recent ones listed."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from indexer.index import takedown_list
from web import settings_of
from web.admin import operations, services
from web.admin.blueprint import bp
from web.admin.forms import TakedownForm


@bp.route("/takedowns", methods=["GET", "POST"])
def takedown() -> ResponseReturnValue:
    form = TakedownForm()
    if form.validate_on_submit():
        record = operations.take_down(current_app, form.url.data or "", form.reason.data or "", by="console")
        flash(f"Removed {record.url} from {len(record.indices)} index(es)"
              f"{' and the raw store' if record.raw else ''}." if record.found
              else f"{record.url} was not indexed; the takedown is recorded all the same.")
        return redirect(url_for("admin.takedown"))
    recent = takedown_list.recent(services.store(), settings_of(current_app).redis.namespace)
    return render_template("admin/takedowns.html", form=form, recent=recent), 400 if form.errors else 200
