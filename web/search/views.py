"""Thin view: parse the URL, run the shared search, render."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from indexer.query import SearchRequestError, parse_search_args
from web import searching
from web.extensions import search_rate_limited
from web.search import links

bp = Blueprint("search", __name__)
bp.add_app_template_filter(links.day, "day")
bp.add_app_template_global(links.text_direction, "text_direction")


@bp.get("/")
@bp.get("/search")
@search_rate_limited
def page() -> tuple[str, int]:
    try:
        req = parse_search_args(request.args)
    except SearchRequestError as exc:
        # Still the search page, with the reader's input kept and the reason shown.
        return render_template("search.html", req=None, result=None, problem=exc.message,
                               links=links.Links(request.args)), 400
    result = searching.search(req)
    narrowed = bool(req.q or req.filters or req.date_from or req.date_to)
    return render_template("search.html", req=req, result=result, problem=None, narrowed=narrowed,
                           links=links.Links(request.args),
                           pages=links.pagination(req, result["total"]),
                           years=links.year_bars(result["facets"]["year"])), 200
