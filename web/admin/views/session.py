"""Sign in and out."""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from web import settings_of
from web.admin import attempts, auth, same_origin, services
from web.admin.blueprint import bp
from web.admin.forms import SignInForm

UNAVAILABLE = ("Sign-in is unavailable right now: attempts cannot be counted because Redis "
               "cannot be reached. Try again once it is back.")
TOO_MANY = "Too many sign-in attempts. Wait {seconds} seconds and try again."


def _limit(app: Flask) -> attempts.SignInLimit | None:
    """The sign-in limit, or None where rate limits are switched off (RATELIMIT_ENABLED)."""
    if not app.config.get("RATELIMIT_ENABLED", True):
        return None
    return services.sign_in_limit(app)


# Attempts are counted by web.admin.attempts (per client and per account, failing closed),
# not by Flask-Limiter, whose errors are swallowed so that searching outlives Redis.
@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    settings = settings_of(current_app)
    form = SignInForm()
    target = same_origin.local_target(request.args.get("next"), url_for("admin.dashboard"))
    if form.validate_on_submit():
        limit = _limit(current_app)
        refused = _refused(limit, form)
        if refused is not None:
            return refused
        if auth.password_ok(settings, form.secret.data or ""):
            if limit is not None:
                limit.succeeded(_client())
            auth.start_session(session, settings, time.time())
            return redirect(target)
        form.secret.errors.append("That password is not right.")
        return render_template("admin/sign_in.html", form=form, configured=True), 401
    configured = bool(settings.admin.password_hash or settings.admin.token_hash)
    return render_template("admin/sign_in.html", form=form, configured=configured)


def _client() -> str:
    return request.remote_addr or ""


def _refused(limit: attempts.SignInLimit | None, form: SignInForm) -> ResponseReturnValue | None:
    """The answer to an attempt over its limit, or to one that cannot be counted; None to go on."""
    if limit is None:
        return None
    try:
        verdict = limit.attempt(_client())
    except attempts.Unavailable:
        current_app.logger.warning("sign-in refused: the attempt counter (Redis) is unreachable")
        form.secret.errors.append(UNAVAILABLE)
        return render_template("admin/sign_in.html", form=form, configured=True), 503
    if verdict.allowed:
        return None
    form.secret.errors.append(TOO_MANY.format(seconds=verdict.retry_after))
    page = render_template("admin/sign_in.html", form=form, configured=True)
    return page, 429, {"Retry-After": str(verdict.retry_after)}


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    session.clear()
    flash("Signed out.")
    return redirect(url_for("admin.sign_in"))
