"""Who may use the console and the admin API: pure checks against hashed secrets.

The password is kept as a werkzeug hash (scrypt), so a leaked configuration does not reveal
it. The API token is long and random, so a plain SHA-256 of it is enough, and cheap enough to
check on every API call; it is compared in constant time either way.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import MutableMapping
from typing import Any

from werkzeug.security import check_password_hash, generate_password_hash

from indexer.config import Settings

SESSION_KEY = "operator"
# A stolen or forgotten session is worth at most a working day.
MAX_SESSION_AGE_S = 12 * 3600
TOKEN_BYTES = 32


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def new_token() -> tuple[str, str]:
    """A fresh API token and the hash to put in the configuration."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_ok(settings: Settings, token: str) -> bool:
    expected = settings.admin.token_hash.strip().lower()
    if not expected or not token:
        return False
    return hmac.compare_digest(hash_token(token), expected)


def password_ok(settings: Settings, secret: str) -> bool:
    """The operator password, or the API token (so a token-only deployment can sign in)."""
    if not secret:
        return False
    if settings.admin.password_hash and check_password_hash(settings.admin.password_hash, secret):
        return True
    return token_ok(settings, secret)


def _credentials_mark(settings: Settings) -> str:
    # Sessions carry a digest of the configured secrets: changing the password or the token
    # signs every existing session out.
    material = f"{settings.admin.password_hash}\0{settings.admin.token_hash}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


def start_session(session: MutableMapping[str, Any], settings: Settings, now: float) -> None:
    session.clear()  # a fresh session at sign-in: nothing planted before it survives
    session[SESSION_KEY] = {"since": now, "mark": _credentials_mark(settings)}


def signed_in(session: MutableMapping[str, Any], settings: Settings, now: float) -> bool:
    record = session.get(SESSION_KEY)
    if not isinstance(record, dict):
        return False
    since = record.get("since")
    if not isinstance(since, int | float) or not 0 <= now - since <= MAX_SESSION_AGE_S:
        return False
    return hmac.compare_digest(str(record.get("mark", "")), _credentials_mark(settings))
