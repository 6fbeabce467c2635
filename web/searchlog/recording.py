"""Who is logged, and the hooks the search path calls.

:func:`record_search` is called by ``web.search.results.search`` after every reader search
(the page and ``/api/search``); :func:`record_click` by the click endpoint. Neither raises:
a broken log must never cost a reader their results.

Not logged: crawlers and scripts (by user agent), the console's own requests and previews
(anything under ``/admin`` or opened from a console page), and prefetches (the browser
guessing, not the reader asking).
"""

from __future__ import annotations

import logging
import secrets
import time
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import redis
from flask import Flask, current_app, g, request, url_for

from indexer.es import make_client
from indexer.query import SearchRequest
from indexer.searchlog import bots, readers
from indexer.searchlog.events import ClickEvent, Event, SearchEvent, now, search_event
from indexer.searchlog.names import SearchLogNames
from indexer.searchlog.writer import LogWriter, WriterOptions
from web import reader_redis, settings_of
from web.app_state import kept
from web.searchlog import metrics, tokens

log = logging.getLogger(__name__)

_WRITER = "pagesift_searchlog_writer"
VISIT_COOKIE = "pagesift_visit"
VISIT_SECONDS = 30 * 60
CONSOLE_PREFIXES = ("/admin",)
# Set on g by record_search: what the result links' click reports name.
_SHOWN = "pagesift_searchlog_shown"
_NEW_VISIT = "pagesift_searchlog_new_visit"
_SALTS = "pagesift_searchlog_salts"
_DEFERRED = "pagesift_searchlog_deferred"


def writer(app: Flask | None = None) -> LogWriter:
    return kept(_WRITER, _new_writer, app)


def _new_writer(app: Flask) -> LogWriter:
    settings = settings_of(app)
    options = WriterOptions(settings.searchlog.flush_seconds, settings.searchlog.queue_max,
                            settings.searchlog.retention_days)
    client = None

    def lazily() -> Any:
        # Its own client: a short timeout and no retries, and never the search's connections.
        nonlocal client
        if client is None:
            client = make_client(settings.es, timeout=settings.searchlog.timeout, retries=0)
        return client

    return LogWriter(lazily, SearchLogNames(settings.index.prefix), options, metrics.reporter(app))


def counted() -> bool:
    """Whether this request is a reader's, to be logged."""
    settings = settings_of(current_app)
    if not settings.searchlog.enabled or bots.is_bot(request.user_agent.string):
        return False
    purpose = (request.headers.get("Sec-Purpose") or request.headers.get("Purpose") or "").lower()
    return "prefetch" not in purpose and not _from_console()


def _from_console() -> bool:
    if request.path.startswith(CONSOLE_PREFIXES) or (request.blueprint or "").startswith("admin"):
        return True
    referrer = urlsplit(request.referrer or "")
    return referrer.netloc == request.host and referrer.path.startswith(CONSOLE_PREFIXES)


def visit_id() -> str | None:
    """The visit's random id: from its cookie, or a new one the response will set. None when
    the cookie is off or the browser asks not to be tracked."""
    settings = settings_of(current_app)
    if not settings.searchlog.visit_cookie or _no_tracking():
        return None
    known = request.cookies.get(VISIT_COOKIE, "")
    valid = len(known) == 32 and all(c in "0123456789abcdef" for c in known)
    # Set again on the response either way: a visit ends 30 minutes after its last search.
    return str(g.setdefault(_NEW_VISIT, known if valid else secrets.token_hex(16)))


def reader() -> str | None:
    """This request's reader key for the day (:mod:`indexer.searchlog.readers`); None when the
    browser asks not to be tracked or the day's salt cannot be read (Redis away)."""
    if _no_tracking():
        return None
    try:
        salt = _salt(now().date())
    except redis.RedisError:
        return None
    return readers.reader_key(salt, request.remote_addr or "", request.user_agent.string)


def _salt(day: date) -> bytes:
    salts: dict[date, bytes] = kept(_SALTS, lambda app: {})
    if day not in salts:
        namespace = settings_of(current_app).redis.namespace
        salt = reader_redis.call(lambda store: readers.daily_salt(store, namespace, day))
        salts.clear()  # one day's at a time
        salts[day] = salt
    return salts[day]


def _no_tracking() -> bool:
    return request.headers.get("Sec-GPC") == "1" or request.headers.get("DNT") == "1"


def record_search(req: SearchRequest, result: dict[str, Any], started: float, deferred: bool = False) -> None:
    """Log one answered search (``started``: its ``time.perf_counter()``). Never raises.

    ``deferred``: a search sent as the reader types. "sol", "solar", "solar pan" are not three
    searches but one, and the prefixes would fill the zero-result list; like Algolia's
    analytics, which count the last query of such a run, the search is logged only when the
    reader stays on its results (search.js posts :func:`deferred_token` to ``/api/searched``
    once they do; a search typed over is never logged)."""
    try:
        if not counted():
            return
        # The mode that answered, which is not always the one asked for (exact matches, a
        # date order, an index without vectors are answered lexically).
        event = search_event(req, result, mode=str(result.get("mode") or req.mode or "lexical"),
                             latency_ms=round((time.perf_counter() - started) * 1000), visit_id=visit_id(),
                             reader=reader())
        if deferred:
            # Who the reader is, is known again when the record comes back: it is not signed away.
            doc = {k: v for k, v in event.to_doc().items() if k not in ("at", "visit_id", "reader")}
            setattr(g, _DEFERRED, tokens.sign_search(current_app.config["SECRET_KEY"], doc))
            setattr(g, _SHOWN, (event.search_id, event.query))
        elif _submit(event):
            setattr(g, _SHOWN, (event.search_id, event.query))
    except Exception:
        log.exception("search log: the search was not logged")
        metrics.reporter(current_app)("dropped", 1)


def record_click(click: tokens.Click) -> bool:
    """Log one click; False when it is not counted (a bot, the console) or not queued."""
    try:
        if not counted():
            return False
        return _submit(ClickEvent(click.search_id, click.query, click.position, click.doc_id, click.url,
                                  visit_id=visit_id(), shown_at=click.shown_at))
    except Exception:
        log.exception("search log: the click was not logged")
        return False


def deferred_token() -> str | None:
    """The signed record of this request's search, when its logging waits on the reader."""
    value = g.get(_DEFERRED)
    return str(value) if value else None


def record_deferred(token: str) -> bool:
    """Log the search :func:`deferred_token` signed: the reader stayed on its results. A token
    posted twice is one search (the event's id is its search id, filed under the day it was
    shown). Raises :class:`tokens.BadToken` for a token this app did not sign."""
    doc, shown_at = tokens.verify_search(current_app.config["SECRET_KEY"], token)
    if not counted():
        return False
    try:
        return _submit(SearchEvent.from_doc(doc, at=shown_at, visit_id=visit_id(), reader=reader()))
    except (KeyError, TypeError, ValueError) as exc:
        raise tokens.BadToken(f"not a search record: {exc}") from exc


def _submit(event: Event) -> bool:
    return writer().submit(event)


def click_ping(hit: dict[str, Any], position: int) -> str | None:
    """The signed URL a result link reports its click to (``ping=`` and the script's beacon);
    None when this search was not logged, so a bot's or a preview's clicks are not either."""
    shown = g.get(_SHOWN)
    if shown is None or not hit.get("url"):
        return None
    search_id, query = shown
    token = tokens.sign(current_app.config["SECRET_KEY"],
                        tokens.Click(search_id, query, position, str(hit["id"]), str(hit["url"])))
    return url_for("searchlog.click", t=token)


def new_visit_cookie() -> str | None:
    """The visit id the response must (re)set, if this request started or continued one."""
    value = g.get(_NEW_VISIT)
    return str(value) if value else None
