"""Thin view: parse the URL, run the shared search, render."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, make_response, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers.response import Response

from indexer import article_fields
from indexer.query import SearchRequestError, parse_search_args
from indexer.query.related import DEFAULT_SIZE, MAX_SIZE
from indexer.query.request import parse_related_args
from web import security, settings_of
from web.extensions import search_rate_limited
from web.search import labels, links, results

bp = Blueprint("search", __name__)
bp.add_app_template_filter(links.day, "day")
bp.add_app_template_filter(links.display_url, "display_url")
bp.add_app_template_global(links.text_direction, "text_direction")
bp.add_app_template_global(labels.facet_label, "facet_label")
bp.add_app_template_global(labels.language_label, "language_label")
bp.add_app_template_global(labels.language_autonym, "language_autonym")
bp.add_app_template_global(labels.page_language, "page_language")

PAGE_ENDPOINT = "search.page"
TYPING_HEADER = "X-Pagesift-Typing"
SIDEBAR_FACETS = tuple(facet.name for facet in article_fields.facets(sidebar=True))


@bp.app_context_processor
def facet_titles() -> dict[str, Any]:
    return {"facet_titles": labels.FACET_TITLES, "chip_kinds": labels.CHIP_KINDS,
            "sidebar_facets": SIDEBAR_FACETS, "default_mode": settings_of(current_app).search.mode}


@bp.before_request
def one_url_per_state() -> Response | None:
    """``?q=solar&from=&to=&sort=relevance`` → ``?q=solar``. Before the view, so the redirect
    does not count against the reader's search budget."""
    if request.endpoint != PAGE_ENDPOINT or links.neither_field(request.args):
        # Unticked title and content both: the page says so, which a redirect would forget.
        return None
    clean = links.clean_args(request.args)
    if list(clean.items(multi=True)) == list(request.args.items(multi=True)):
        return None
    query = urlencode(list(clean.items(multi=True)))
    return redirect(f"{request.path}?{query}" if query else request.path, code=302)


@bp.get("/")
@bp.get("/search")
@search_rate_limited
def page() -> tuple[str, int]:
    return _render("search.html")


@bp.get("/search/results")
@search_rate_limited
def fragment() -> tuple[str, int]:
    """The regions of the page a search changes (facets, results), for the script to swap in
    as the reader types and ticks: the page's own partials, so the two never differ."""
    return _render("search_fragment.html", typing=request.headers.get(TYPING_HEADER) == "1")


def _render(template: str, typing: bool = False) -> tuple[str, int]:
    """``typing``: a search the script sent while the reader was still typing (search.js),
    logged only if the reader stays on its results (docs/analytics.md, "Searches as you type")."""
    args: MultiDict[str, str] = links.clean_args(request.args)
    page_links = links.Links(args, url_for(PAGE_ENDPOINT))
    fields_note = links.neither_field(request.args)
    try:
        req = parse_search_args(args)
    except SearchRequestError as exc:
        # Still the search page, with the reader's input kept and the reason shown.
        return render_template(template, args=args, req=None, result=None, problem=exc.message,
                               links=page_links, chips=[], fields_note=fields_note, tips=[]), 400
    result = results.search(req, deferred_log=typing)
    narrowed = bool(req.q or req.filters or req.date_from or req.date_to)
    return render_template(template, args=args, req=req, result=result, problem=None,
                           narrowed=narrowed, links=page_links, fields_note=fields_note,
                           chips=links.chips(req, page_links), tips=links.tips(req),
                           past_the_end=links.past_the_end(req, result["total"]),
                           last_page=links.last_page(req, result["total"]),
                           pages=links.pagination(req, result["total"]),
                           years=links.year_bars(result["facets"]["year"])), 200


@bp.get("/favicon.ico")
def favicon() -> Response:
    # Browsers and feed readers ask here whatever the page links; the icon is one SVG.
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/related")
@search_rate_limited
def related() -> tuple[str, int]:
    """A page of articles related to one (the search results' "Related articles" link)."""
    req = parse_related_args(request.args, default_size=DEFAULT_SIZE * 2, max_size=MAX_SIZE)
    found = results.related(req)
    return render_template("related.html", related=found), 200


@bp.get("/embed/related")
@search_rate_limited
def embed_related() -> Response:
    """The related-articles box for the site's own article template, in an iframe
    (docs/search.md, "Related articles"): only the origins PAGESIFT_EMBED_ORIGINS names may
    frame it, and its links open in the top window."""
    req = parse_related_args(request.args, default_size=DEFAULT_SIZE, max_size=MAX_SIZE)
    response = make_response(render_template("embed_related.html", related=results.related(req)))
    web = settings_of(current_app).web
    origins = web.embed_origins
    response.headers["Content-Security-Policy"] = security.content_security_policy(
        web.image_sources, frame_ancestors=" ".join(origins) or "'none'")
    if origins:
        # Browsers obey frame-ancestors over this header; older ones only know this one.
        response.headers["X-Frame-Options"] = f"ALLOW-FROM {origins[0]}"
    return response
