"""Sign in and out."""

from __future__ import annotations

import time

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from web import settings_of
from web.admin import auth, guard
from web.admin.blueprint import bp
from web.admin.forms import SignInForm
from web.extensions import limiter

# Guessing the password from one address goes no faster than this.
SIGN_IN_LIMIT = "10/minute"


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(SIGN_IN_LIMIT, methods=["POST"])
def sign_in() -> ResponseReturnValue:
    settings = settings_of(current_app)
    form = SignInForm()
    target = guard.local_target(request.args.get("next"), url_for("admin.dashboard"))
    if form.validate_on_submit():
        if auth.password_ok(settings, form.secret.data or ""):
            auth.start_session(session, settings, time.time())
            return redirect(target)
        form.secret.errors.append("That password is not right.")
        return render_template("admin/sign_in.html", form=form, configured=True), 401
    configured = bool(settings.admin_password_hash or settings.admin_token_hash)
    return render_template("admin/sign_in.html", form=form, configured=configured)


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    session.clear()
    flash("Signed out.")
    return redirect(url_for("admin.sign_in"))
