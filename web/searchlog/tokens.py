"""Signed click tokens: what a result link's click report carries.

The token names the search, the query, the position and the article, signed with the app's
secret key (itsdangerous), so a click report can only be for a result the app really showed:
nobody can inflate an article's clicks or plant a query in the analytics by posting made-up
reports. It carries nothing about the reader. A real token posted again is no new click either:
the click's id comes from what was clicked and it is filed under the day the token was signed
(:class:`indexer.searchlog.events.ClickEvent`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from itsdangerous import BadData, URLSafeTimedSerializer

SALT = "pagesift.searchlog.click"
SEARCH_SALT = "pagesift.searchlog.search"
# A results page left open over lunch still counts its click; a token found days later does not.
MAX_AGE_S = 24 * 3600


@dataclass(frozen=True)
class Click:
    search_id: str
    query: str
    position: int
    doc_id: str
    url: str
    shown_at: datetime | None = None  # when the token was signed: the page was shown then


class BadToken(ValueError):
    """Not a token this app signed, or one too old."""


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def sign(secret_key: str, click: Click) -> str:
    return _serializer(secret_key).dumps(
        [click.search_id, click.query, click.position, click.doc_id, click.url])


def verify(secret_key: str, token: str, max_age: int = MAX_AGE_S) -> Click:
    try:
        payload, signed = _serializer(secret_key).loads(token, max_age=max_age, return_timestamp=True)
        search_id, query, position, doc_id, url = payload
        return Click(str(search_id), str(query), int(position), str(doc_id), str(url), signed)
    except (BadData, TypeError, ValueError) as exc:
        raise BadToken(str(exc)) from exc


def sign_search(secret_key: str, doc: dict[str, Any]) -> str:
    """A search's log record, to be logged later if the reader stays on its results."""
    return URLSafeTimedSerializer(secret_key, salt=SEARCH_SALT).dumps(doc)


def verify_search(secret_key: str, token: str, max_age: int = MAX_AGE_S) -> tuple[dict[str, Any], datetime]:
    """The record :func:`sign_search` signed, and when; :class:`BadToken` otherwise."""
    try:
        doc, signed = URLSafeTimedSerializer(secret_key, salt=SEARCH_SALT).loads(
            token, max_age=max_age, return_timestamp=True)
    except BadData as exc:
        raise BadToken(str(exc)) from exc
    if not isinstance(doc, dict):
        raise BadToken("not a search record")
    return doc, signed
