"""Parse and check admin API request bodies. Pure; bad input is a 400 that says what is wrong."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from werkzeug.exceptions import BadRequest

from web.admin.operations import REINDEX_MODES

MAX_SOURCES = 1000
PAGE_ACTIONS = ("upsert", "delete")
DEFAULT_DELETE_REASON = "deleted in the CMS"


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


def parse_page_request(body: dict[str, Any]) -> PageRequest:
    url = _http_url(body.get("url"), "url")
    action = body.get("action")
    if action not in PAGE_ACTIONS:
        raise BadRequest("`action` must be \"upsert\" or \"delete\".")
    reason = body.get("reason") or DEFAULT_DELETE_REASON
    if not isinstance(reason, str) or len(reason) > 500:
        raise BadRequest("`reason` must be a string of at most 500 characters.")
    return PageRequest(url, action, reason)
