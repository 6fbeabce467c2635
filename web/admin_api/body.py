"""Parse and check admin API request bodies. Pure; bad input is a 400 that says what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from werkzeug.exceptions import BadRequest

from web.admin.operations import REINDEX_MODES

MAX_SOURCES = 1000
# upsert: fetch the URL, or take the pushed `page`; unpublish: out of search until pushed or
# fetched again; delete: a takedown (out of search and the raw store, and kept out).
PAGE_ACTIONS = ("upsert", "unpublish", "delete")
BATCH_ACTIONS = ("upsert", "unpublish")
DEFAULT_DELETE_REASON = "deleted in the CMS"
# Events in one request, all in one job: a CMS's full sync sends its posts this many at a time.
MAX_EVENTS = 100
# A pushed page's facts: the text ones with their longest length, and the lists.
PAGE_TEXT = {"title": 1000, "description": 10_000, "site_name": 200, "language": 35, "type": 60}
PAGE_DATES = ("published", "modified")
PAGE_LISTS = ("categories", "tags", "authors")
MAX_LIST_ITEMS = 200
MAX_NAME_CHARS = 200
# A category's ancestors and itself, root first: deeper than this is no site's taxonomy.
MAX_CATEGORY_DEPTH = 20


@dataclass(frozen=True)
class JobRequest:
    type: str
    sources: list[str]
    mode: str | None = None


@dataclass(frozen=True)
class PageRequest:
    url: str
    action: str
    reason: str
    # upsert: the page itself, pushed (body and facts), instead of a fetch of ``url``.
    page: dict[str, Any] | None = None


def _http_url(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise BadRequest(f"`{name}` must be a string.")
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadRequest(f"`{name}` must be an http(s) URL.")
    return value.strip()


def parse_job_request(body: dict[str, Any]) -> JobRequest:
    kind = body.get("type")
    if kind == "reindex":
        mode = body.get("mode")
        if mode not in REINDEX_MODES:
            raise BadRequest(f"`mode` must be one of: {', '.join(REINDEX_MODES)}.")
        return JobRequest("reindex", [], mode=mode)
    if kind != "ingest":
        raise BadRequest("`type` must be \"ingest\" or \"reindex\".")
    sources = body.get("sources")
    if not isinstance(sources, list) or not sources:
        raise BadRequest("`sources` must be a non-empty list of http(s) URLs.")
    if len(sources) > MAX_SOURCES:
        raise BadRequest(f"At most {MAX_SOURCES} sources in one job; list more pages in a sitemap.")
    # URLs only: a server path would let a token holder index any file the web app can read.
    urls = [_http_url(s, "sources[]") for s in sources]
    return JobRequest("ingest", urls)


def parse_page_request(body: dict[str, Any], actions: tuple[str, ...] = PAGE_ACTIONS,
                       where: str = "") -> PageRequest:
    url = _http_url(body.get("url"), f"{where}url")
    action = body.get("action")
    if action not in actions:
        raise BadRequest(f"`{where}action` must be one of: {', '.join(actions)}.")
    reason = body.get("reason") or DEFAULT_DELETE_REASON
    if not isinstance(reason, str) or len(reason) > 500:
        raise BadRequest(f"`{where}reason` must be a string of at most 500 characters.")
    page = body.get("page")
    if page is not None and action != "upsert":
        raise BadRequest(f"`{where}page` goes with the upsert action only.")
    return PageRequest(url, action, reason, None if page is None else parse_page(page, f"{where}page."))


def parse_page_events(body: dict[str, Any]) -> list[PageRequest]:
    """``{"events": [...]}``: upserts and unpublishes, one job for all (takedowns go one by one)."""
    events = body.get("events")
    if not isinstance(events, list) or not events:
        raise BadRequest("`events` must be a non-empty list of page events.")
    if len(events) > MAX_EVENTS:
        raise BadRequest(f"At most {MAX_EVENTS} events in one request.")
    if not all(isinstance(e, dict) for e in events):
        raise BadRequest("Each of `events` must be an object.")
    return [parse_page_request(e, BATCH_ACTIONS, f"events[{n}].") for n, e in enumerate(events)]


def parse_page(value: Any, where: str = "page.") -> dict[str, Any]:
    """A pushed page: ``title`` and ``content`` (the body's HTML) required, the facts optional;
    unknown keys are ignored, so an older pagesift takes a newer plugin's pushes."""
    if not isinstance(value, dict):
        raise BadRequest(f"`{where[:-1]}` must be an object.")
    title, content = value.get("title"), value.get("content")
    if not isinstance(title, str) or not title.strip():
        raise BadRequest(f"`{where}title` must be a non-empty string.")
    if not isinstance(content, str):
        raise BadRequest(f"`{where}content` must be the body's HTML, a string.")
    page: dict[str, Any] = {"content": content}
    for name, longest in PAGE_TEXT.items():
        text = value.get(name)
        if text is None or text == "":
            continue
        if not isinstance(text, str) or len(text) > longest:
            raise BadRequest(f"`{where}{name}` must be a string of at most {longest} characters.")
        page[name] = text
    for name in PAGE_DATES:
        if value.get(name):
            page[name] = _moment(value[name], f"{where}{name}")
    for name in PAGE_LISTS:
        items = value.get(name) or []
        if not isinstance(items, list) or len(items) > MAX_LIST_ITEMS or not all(map(_name, items)):
            raise BadRequest(f"`{where}{name}` must be a list of at most {MAX_LIST_ITEMS} strings.")
        if items:
            page[name] = items
    chains = value.get("category_paths") or []
    if (not isinstance(chains, list) or len(chains) > MAX_LIST_ITEMS
            or not all(isinstance(c, list) and 0 < len(c) <= MAX_CATEGORY_DEPTH and all(map(_name, c))
                       for c in chains)):
        raise BadRequest(f"`{where}category_paths` must be a list of at most {MAX_LIST_ITEMS} lists of "
                         f"names (root first, at most {MAX_CATEGORY_DEPTH}).")
    if chains:
        page["category_paths"] = chains
    if value.get("image"):
        page["image"] = _http_url(value["image"], f"{where}image")
    return page


def _name(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_NAME_CHARS


def _moment(value: Any, name: str) -> str:
    """An ISO 8601 date and time with its offset: a date without one would be read in the
    server's zone, a day off for half the world."""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(f"`{name}` must be an ISO 8601 date and time: 2024-05-01T09:30:00+00:00.") from None
    if moment.tzinfo is None:
        raise BadRequest(f"`{name}` must say its UTC offset (+00:00 or Z).")
    return moment.isoformat()
