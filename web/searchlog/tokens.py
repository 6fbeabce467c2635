"""Signed click tokens: what a result link's click report carries.

The token names the search, the query, the position and the article, signed with the app's
secret key (itsdangerous), so a click report can only be for a result the app really showed:
nobody can inflate an article's clicks or plant a query in the analytics by posting made-up
reports. It carries nothing about the reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadData, URLSafeTimedSerializer

SALT = "pagesift.searchlog.click"
# A results page left open over lunch still counts its click; a token found days later does not.
MAX_AGE_S = 24 * 3600


@dataclass(frozen=True)
class Click:
    search_id: str
    query: str
    position: int
    doc_id: str
    url: str


class BadToken(ValueError):
    """Not a token this app signed, or one too old."""


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def sign(secret_key: str, click: Click) -> str:
    return _serializer(secret_key).dumps(
        [click.search_id, click.query, click.position, click.doc_id, click.url])


def verify(secret_key: str, token: str, max_age: int = MAX_AGE_S) -> Click:
    try:
        search_id, query, position, doc_id, url = _serializer(secret_key).loads(token, max_age=max_age)
        return Click(str(search_id), str(query), int(position), str(doc_id), str(url))
    except (BadData, TypeError, ValueError) as exc:
        raise BadToken(str(exc)) from exc
