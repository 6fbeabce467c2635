"""The trusted-proxies setting: X-Forwarded-* believed from the configured proxies only, and
the search rate limit keyed on the real client behind them (real Redis and Elasticsearch)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import pytest

from indexer import config
from web.proxies import TrustedProxies

PROXY = "10.0.0.5"
STRANGER = "203.0.113.9"


def _echo(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain")])
    seen = (environ["REMOTE_ADDR"], environ["wsgi.url_scheme"], environ.get("HTTP_HOST", ""))
    return [" ".join(seen).encode()]


def _call(app: TrustedProxies, peer: str) -> str:
    environ = {"REMOTE_ADDR": peer, "wsgi.url_scheme": "http", "HTTP_HOST": "app:8000",
               "HTTP_X_FORWARDED_FOR": "198.51.100.7", "HTTP_X_FORWARDED_PROTO": "https",
               "HTTP_X_FORWARDED_HOST": "search.example.org", "REQUEST_METHOD": "GET", "PATH_INFO": "/"}
    return b"".join(app(environ, lambda *_: None)).decode()  # type: ignore[arg-type]


@pytest.mark.unit
def test_forwarded_headers_count_only_from_trusted_peers() -> None:
    app = TrustedProxies(_echo, ["10.0.0.0/24", "fd00::/8"])  # type: ignore[arg-type]
    assert _call(app, PROXY) == "198.51.100.7 https search.example.org"
    assert _call(app, "fd00::1") == "198.51.100.7 https search.example.org"
    assert _call(app, STRANGER) == f"{STRANGER} http app:8000"
    assert _call(app, "not-an-address") == "not-an-address http app:8000"


@pytest.mark.unit
def test_a_bad_proxy_entry_names_its_variable() -> None:
    assert config.load(env={"PAGESIFT_TRUSTED_PROXIES": "10.0.0.5, 172.18.0.0/16"}).web.trusted_proxies == (
        "10.0.0.5", "172.18.0.0/16")
    with pytest.raises(config.ConfigError, match="PAGESIFT_TRUSTED_PROXIES"):
        config.load(env={"PAGESIFT_TRUSTED_PROXIES": "proxy.internal"})


@pytest.mark.integration
def test_rate_limit_keys_on_the_client_behind_a_trusted_proxy(make_app, corpus_prefix, redis_client) -> None:  # type: ignore[no-untyped-def]
    prefix = f"test-proxied-{uuid.uuid4().hex[:8]}"
    app = make_app(corpus_prefix, RATELIMIT_ENABLED=True, RATELIMIT_KEY_PREFIX=prefix,
                   web_rate_limit="2/minute", trusted_proxies=(f"{PROXY}/32",))

    def search(peer: str, forwarded_for: str) -> int:
        client = app.test_client()
        response = client.get("/api/search?q=energy", environ_base={"REMOTE_ADDR": peer},
                              headers={"X-Forwarded-For": forwarded_for})
        return int(response.status_code)

    try:
        # Behind the proxy each reader has a budget of their own.
        assert [search(PROXY, "198.51.100.1") for _ in range(3)] == [200, 200, 429]
        assert search(PROXY, "198.51.100.2") == 200, "another reader behind the same proxy"
        # A peer that is not a proxy cannot pick its address by sending the header.
        spoofed = [search(STRANGER, f"192.0.2.{n}") for n in range(3)]
        assert spoofed == [200, 200, 429]
    finally:
        keys = list(redis_client.scan_iter(f"*{prefix}*"))
        if keys:
            redis_client.delete(*keys)
