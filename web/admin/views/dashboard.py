"""The dashboard: is everything up, what is live, what ran last."""

from __future__ import annotations

from flask import current_app, render_template

from web.admin import status
from web.admin.blueprint import bp


@bp.get("/")
def dashboard() -> str:
    return render_template("admin/dashboard.html", status=status.gather(current_app))
