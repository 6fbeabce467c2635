"""The console blueprint and the one gate every console request passes.

Protection is the blueprint's default, not each view's: a route added later is guarded
without anyone remembering to. The gate, in order: uploads are capped before any body is
read; a state-changing request must come from our own origin; everything but the sign-in
page needs a signed-in operator; a state-changing request needs a valid CSRF token.
"""

from __future__ import annotations

import time

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from markupsafe import Markup
from werkzeug.exceptions import HTTPException
from wtforms import ValidationError

from web import settings_of
from web.admin import auth, formats, same_origin
from web.admin.forms import ActionForm

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
bp.add_app_template_global(generate_csrf, "csrf_token")
for _name in ("when", "duration", "size", "rate"):
    bp.add_app_template_filter(getattr(formats, _name), f"admin_{_name}")

PUBLIC_ENDPOINTS = frozenset({"admin.sign_in"})


@bp.before_request
def gate() -> ResponseReturnValue | None:
    settings = settings_of(current_app)
    request.max_content_length = settings.admin.upload_max_bytes
    unsafe = request.method not in same_origin.SAFE_METHODS
    if unsafe and not same_origin.same_origin(request.headers.get("Origin"), request.headers.get("Referer"),
                                        request.host_url):
        abort(403, "This request did not come from the console's own pages.")
    if request.endpoint not in PUBLIC_ENDPOINTS and not auth.signed_in(session, settings, time.time()):
        if unsafe:
            abort(403, "Sign in first.")
        return redirect(url_for("admin.sign_in", next=request.full_path.rstrip("?")))
    if unsafe:
        _check_csrf()
    return None


def _check_csrf() -> None:
    token = request.form.get("csrf_token") or request.headers.get("X-CSRFToken")
    try:
        validate_csrf(token)
    except ValidationError as exc:
        raise CSRFError(str(exc)) from exc


@bp.context_processor
def console_context() -> dict[str, object]:
    settings = settings_of(current_app)
    return {"signed_in": auth.signed_in(session, settings, time.time()),
            "alias": settings.index.prefix,
            "max_upload": settings.admin.upload_max_bytes,
            # Every button that changes something is a tiny form carrying the CSRF token.
            "action_form": ActionForm, "nav_current": nav_current}


# A section's pages share its first path segment (jobs and /jobs/<id>, curation and its editors).
def nav_current(endpoint: str) -> Markup:
    """``aria-current="page"`` on the menu's link to the section the page belongs to."""
    section = url_for(endpoint).rstrip("/").split("/")[2:3]
    here = request.path.rstrip("/").split("/")[2:3]
    return Markup(' aria-current="page"') if section == here else Markup("")


@bp.errorhandler(HTTPException)
def console_error(exc: HTTPException) -> ResponseReturnValue:
    return render_template("admin/error.html", status=exc.code, title=exc.name,
                           message=exc.description), exc.code or 500
