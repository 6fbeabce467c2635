"""The console's sign-in limit, with the real Redis: per client (the real one behind a trusted
proxy) and per account, only failures counted, and refused outright when Redis is away."""

from __future__ import annotations

import socket
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from web.admin import attempts

pytestmark = pytest.mark.integration

PROXY = "10.0.0.5"


@pytest.fixture
def prefix(redis_client) -> Iterator[str]:  # type: ignore[no-untyped-def]
    name = f"test-signin-{uuid.uuid4().hex[:8]}"
    yield name
    keys = list(redis_client.scan_iter(f"{name}*"))
    if keys:
        redis_client.delete(*keys)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _attempt(app: Flask, admin_kit: Any, secret: str, peer: str, forwarded_for: str | None = None) -> Any:
    """One sign-in from its own browser: a fresh client, its own CSRF token."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = peer
    if forwarded_for:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return admin_kit.sign_in(client, secret)


def test_behind_a_proxy_one_guesser_locks_out_only_itself(admin_kit, prefix: str) -> None:  # type: ignore[no-untyped-def]
    app = admin_kit.make_app(RATELIMIT_ENABLED=True, RATELIMIT_KEY_PREFIX=prefix, trusted_proxies=(PROXY,))
    wrong = [_attempt(app, admin_kit, "guess", PROXY, "198.51.100.1").status_code for _ in range(11)]
    assert wrong == [401] * 10 + [429]
    locked = _attempt(app, admin_kit, admin_kit.password, PROXY, "198.51.100.1")
    assert locked.status_code == 429 and "Too many sign-in attempts" in locked.get_data(as_text=True)
    assert 0 < int(locked.headers["Retry-After"]) <= 60
    # Another operator behind the same proxy is not locked out by the guesser.
    assert _attempt(app, admin_kit, admin_kit.password, PROXY, "198.51.100.2").status_code == 302


def test_a_peer_that_is_not_a_proxy_cannot_spread_its_guesses(admin_kit, prefix: str) -> None:  # type: ignore[no-untyped-def]
    app = admin_kit.make_app(RATELIMIT_ENABLED=True, RATELIMIT_KEY_PREFIX=prefix, trusted_proxies=(PROXY,))
    codes = [_attempt(app, admin_kit, "guess", "203.0.113.9", f"192.0.2.{n}").status_code for n in range(11)]
    assert codes == [401] * 10 + [429]


def test_with_redis_down_sign_in_is_refused_with_a_message(admin_kit, prefix: str) -> None:  # type: ignore[no-untyped-def]
    app = admin_kit.make_app(RATELIMIT_ENABLED=True, RATELIMIT_KEY_PREFIX=prefix,
                             RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{_closed_port()}/0")
    client = app.test_client()
    started = time.monotonic()
    refused = admin_kit.sign_in(client, admin_kit.password)
    assert refused.status_code == 503, "the right password does not sign in unlimited"
    assert "Sign-in is unavailable right now" in refused.get_data(as_text=True)
    assert time.monotonic() - started < 10
    assert client.get("/admin/").status_code == 302, "not signed in"


def test_account_budget_bounds_guesses_from_many_clients(redis_client, settings, prefix: str) -> None:  # type: ignore[no-untyped-def]
    limit = attempts.SignInLimit(attempts.connect(settings.redis.url), prefix)
    per_client = attempts.CLIENT_WINDOWS[0][0]
    account = attempts.ACCOUNT_WINDOWS[0][0]
    clients = [f"198.51.100.{n}" for n in range(account // per_client)]
    assert all(limit.attempt(c).allowed for c in clients for _ in range(per_client))
    # A locked-out client hammering on is refused without using up the account's budget...
    assert not any(limit.attempt(clients[0]).allowed for _ in range(20))
    # ...but the account's budget, spent by every client together, refuses a new one.
    refused = limit.attempt("192.0.2.1")
    assert not refused.allowed and 3500 < refused.retry_after <= 3600


def test_a_right_secret_gives_its_attempt_back(redis_client, settings, prefix: str) -> None:  # type: ignore[no-untyped-def]
    limit = attempts.SignInLimit(attempts.connect(settings.redis.url), prefix)
    for _ in range(50):
        assert limit.attempt("198.51.100.9").allowed
        limit.succeeded("198.51.100.9")
    assert int(redis_client.get(f"{prefix}:client:198.51.100.9:60")) == 0
