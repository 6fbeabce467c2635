"""Click reports and the visit cookie.

Result links go straight to the article: opening it never waits on pagesift. The click is
reported beside the navigation, never in its way: by the link's ``ping`` attribute (the
browser posts it in the background, no script needed) or, with the script on, by
``navigator.sendBeacon`` (search.js, for the browsers that switch pings off). Both post to
``/api/click`` with a signed token; the answer is an empty 204 nobody waits for.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from web import settings_of
from web.extensions import suggest_rate_limited
from web.searchlog import recording, tokens

bp = Blueprint("searchlog", __name__)
bp.add_app_template_global(recording.click_ping, "click_ping")
bp.add_app_template_global(recording.deferred_token, "deferred_search_log")


@bp.post("/api/click")
@suggest_rate_limited
def click() -> Response:
    try:
        shown = tokens.verify(current_app.config["SECRET_KEY"], request.args.get("t", ""))
    except tokens.BadToken:
        return Response("not a click this site signed\n", 400, mimetype="text/plain")
    recording.record_click(shown)
    return Response(status=204)


@bp.post("/api/searched")
@suggest_rate_limited
def searched() -> Response:
    """A search sent as the reader typed, reported once they stayed on its results."""
    try:
        recording.record_deferred(request.args.get("t", ""))
    except tokens.BadToken:
        return Response("not a search this site signed\n", 400, mimetype="text/plain")
    return Response(status=204)


@bp.after_app_request
def keep_visit(response: Response) -> Response:
    visit = recording.new_visit_cookie()
    if visit:
        response.set_cookie(recording.VISIT_COOKIE, visit, max_age=recording.VISIT_SECONDS, httponly=True,
                            samesite="Lax", secure=settings_of(current_app).production)
    return response
