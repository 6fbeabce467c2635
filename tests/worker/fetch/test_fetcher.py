"""The fetcher against a real local server and the real Redis: conditional requests,
Retry-After, redirects, content types, byte caps, timeouts, robots Crawl-delay, headers."""

from __future__ import annotations

import gzip
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from worker.fetch import Fetcher
from worker.fetch.errors import (
    Gone,
    HostBusy,
    HttpStatus,
    NotHtml,
    Refused,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    Transient,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def site(make_site) -> Any:  # type: ignore[no-untyped-def]
    return make_site()


@pytest.fixture
def fetcher(kit, site, redis_client) -> Iterator[Fetcher]:  # type: ignore[no-untyped-def]
    namespace = f"test-{uuid.uuid4().hex[:10]}"
    settings = kit.settings(namespace, [site.port], fetch_timeout=1.0, fetch_max_bytes=64 * 1024,
                            fetch_user_agent="pagesift-test/1")
    yield Fetcher(settings.fetch, settings.redis.namespace, redis_client)
    keys = list(redis_client.scan_iter(f"{namespace}:*"))
    if keys:
        redis_client.delete(*keys)


def test_headers_and_conditional_requests(site, fetcher) -> None:  # type: ignore[no-untyped-def]
    def page(headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if headers.get("If-None-Match") == '"v1"':
            return 304, {}, b""
        return 200, {"Content-Type": "text/html", "ETag": '"v1"'}, b"<html>hi</html>"

    site.routes["/p/"] = page
    first = fetcher.fetch(site.url("/p/"))
    assert (first.status, first.body, first.headers["etag"]) == (200, b"<html>hi</html>", '"v1"')
    sent = site.headers[-1]
    assert sent["Host"] == f"127.0.0.1:{site.port}" and sent["User-Agent"] == "pagesift-test/1"
    assert fetcher.fetch(site.url("/p/"), etag='"v1"').not_modified


def test_status_answers_become_typed_errors(site, fetcher) -> None:  # type: ignore[no-untyped-def]
    site.raw("/gone/", 410, {}, b"")
    site.raw("/nope/", 403, {}, b"")
    site.raw("/busy/", 429, {"Retry-After": "1"}, b"")
    site.raw("/img", 200, {"Content-Type": "image/png"}, b"png")
    for path in ("/gone/", "/missing/"):
        with pytest.raises(Gone):
            fetcher.fetch(site.url(path))
    with pytest.raises(HttpStatus):
        fetcher.fetch(site.url("/nope/"))
    with pytest.raises(NotHtml):
        fetcher.fetch(site.url("/img"))
    with pytest.raises(Transient) as busy:
        fetcher.fetch(site.url("/busy/"))
    assert busy.value.retry_after == 1.0
    started = time.monotonic()
    with pytest.raises(Gone):
        fetcher.fetch(site.url("/missing/"))
    assert time.monotonic() - started >= 0.8, "Retry-After keeps every worker off the host"


def test_redirects_are_followed_and_limited(site, fetcher) -> None:  # type: ignore[no-untyped-def]
    site.html("/final/", b"<html>end</html>")
    for i in range(7):
        site.raw(f"/r{i}", 302, {"Location": f"/r{i + 1}"}, b"")
    site.raw("/r7", 301, {"Location": site.url("/final/")}, b"")
    site.raw("/ftp", 302, {"Location": "ftp://example.org/x"}, b"")
    assert fetcher.fetch(site.url("/r4")).final_url == site.url("/final/")
    with pytest.raises(TooManyRedirects):
        fetcher.fetch(site.url("/r0"))
    with pytest.raises(Refused):
        fetcher.fetch(site.url("/ftp"))


def test_byte_caps_and_the_whole_response_timeout(site, fetcher) -> None:  # type: ignore[no-untyped-def]
    site.html("/big/", b"x" * (65 * 1024))
    site.raw("/bomb/", 200, {"Content-Type": "text/html", "Content-Encoding": "gzip"},
             gzip.compress(b"<p>" * 10_000_000))

    def slow(_headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        time.sleep(1.5)
        return 200, {"Content-Type": "text/html"}, b"<html>late</html>"

    site.routes["/slow/"] = slow
    with pytest.raises(TooLarge):
        fetcher.fetch(site.url("/big/"))
    with pytest.raises(TooLarge):
        fetcher.fetch(site.url("/bomb/"))
    with pytest.raises(Transient):
        fetcher.fetch(site.url("/slow/"))


def _drip_server(head: bytes, body: bytes, every: float) -> tuple[str, threading.Event]:
    """A server that sends ``head`` at once, then ``body`` one byte every ``every`` seconds:
    each read is quick, the response never ends in time."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            conn, _ = listener.accept()
            with conn:
                conn.recv(4096)
                try:
                    conn.sendall(head)
                    for byte in body:
                        if stop.is_set():
                            break
                        conn.sendall(bytes([byte]))
                        time.sleep(every)
                except OSError:
                    pass  # the fetcher hung up: what the test wants

    threading.Thread(target=serve, daemon=True).start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}/drip/", stop


@pytest.mark.parametrize("part", ["headers", "body"])
def test_a_dripping_server_is_cut_off_at_the_whole_response_deadline(kit, redis_client, part) -> None:  # type: ignore[no-untyped-def]
    status = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 400\r\n"
    head, body = (b"", status + b"X-Pad: " + b"p" * 300 + b"\r\n\r\n") if part == "headers" \
        else (status + b"\r\n", b"<p>" + b"x" * 397)
    url, stop = _drip_server(head, body, every=0.05)
    port = int(url.split(":")[2].split("/")[0])
    namespace = f"test-{uuid.uuid4().hex[:10]}"
    short = kit.settings(namespace, [port], fetch_timeout=1.0)
    fetcher = Fetcher(short.fetch, namespace, redis_client)
    started = time.monotonic()
    try:
        with pytest.raises(Transient, match="no whole response within 1 s"):
            fetcher.fetch(url)
    finally:
        stop.set()
    # 400 bytes at 20 a second would take 20 s; every read came within the read timeout.
    assert time.monotonic() - started < 3.0


def test_a_slot_further_off_than_allowed_is_reserved_and_handed_back(kit, make_site, redis_client) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    site.raw("/robots.txt", 200, {"Content-Type": "text/plain"}, b"User-agent: *\nCrawl-delay: 3\n")
    site.html("/a/", b"<html>a</html>")
    site.html("/b/", b"<html>b</html>")
    site.html("/c/", b"<html>c</html>")
    namespace = f"test-{uuid.uuid4().hex[:10]}"
    settings = kit.settings(namespace, [site.port], fetch_host_delays=(), fetch_delay=0.0)
    fetcher = Fetcher(settings.fetch, settings.redis.namespace, redis_client)
    try:
        fetcher.fetch(site.url("/a/"), max_wait=1.0)
        started = time.monotonic()
        with pytest.raises(HostBusy) as busy:
            fetcher.fetch(site.url("/b/"), max_wait=1.0)
        assert time.monotonic() - started < 0.5, "a busy host is not waited for"
        assert 2.0 < busy.value.retry_after <= 3.0 and busy.value.slot is not None
        # The slot is /b/'s: another page of the host queues behind it, three seconds later.
        with pytest.raises(HostBusy) as behind:
            fetcher.fetch(site.url("/c/"), max_wait=1.0)
        assert behind.value.retry_after > busy.value.retry_after + 2.5
        time.sleep(busy.value.retry_after)
        assert fetcher.fetch(site.url("/b/"), max_wait=1.0, slot=busy.value.slot).status == 200
        # A Retry-After pause voids slots reserved before it.
        fetcher.politeness.defer(f"127.0.0.1:{site.port}", 30)
        with pytest.raises(HostBusy) as paused:
            fetcher.fetch(site.url("/c/"), max_wait=1.0, slot=behind.value.slot)
        assert paused.value.retry_after > 29
        assert [p for _, p in site.hits].count("/b/") == 1 and "/c/" not in [p for _, p in site.hits]
    finally:
        keys = list(redis_client.scan_iter(f"{namespace}:*"))
        if keys:
            redis_client.delete(*keys)


def test_robots_rules_and_crawl_delay(kit, make_site, redis_client) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    site.raw("/robots.txt", 200, {"Content-Type": "text/plain"},
             b"User-agent: *\nDisallow: /private/\nCrawl-delay: 1\nSitemap: /s.xml\n")
    site.html("/a/", b"<html>a</html>")
    namespace = f"test-{uuid.uuid4().hex[:10]}"
    # No per-host override here: the default (0) raised by the site's Crawl-delay.
    settings = kit.settings(namespace, [site.port], fetch_host_delays=(), fetch_delay=0.0)
    fetcher = Fetcher(settings.fetch, settings.redis.namespace, redis_client)
    try:
        with pytest.raises(RobotsDisallowed):
            fetcher.fetch(site.url("/private/x"))
        fetcher.fetch(site.url("/a/"))
        fetcher.fetch(site.url("/a/"))
        times = [t for t, path in site.hits if path == "/a/"]
        assert times[1] - times[0] >= 0.95
        assert [p for _, p in site.hits].count("/robots.txt") == 1, "robots.txt is cached"
        assert fetcher.sitemap_urls_from_robots(site.base) == [site.url("/s.xml")]
    finally:
        keys = list(redis_client.scan_iter(f"{namespace}:*"))
        if keys:
            redis_client.delete(*keys)


def test_allowlisted_hosts_only_for_their_own_source(kit, make_site, redis_client) -> None:  # type: ignore[no-untyped-def]
    source, intranet = make_site(), make_site()
    intranet.html("/secret/", b"<html>internal</html>")
    source.html("/own/", b"<html>own</html>")
    source.raw("/to-own/", 302, {"Location": "/own/"}, b"")
    source.raw("/to-intranet/", 302, {"Location": intranet.url("/secret/")}, b"")
    namespace = f"test-{uuid.uuid4().hex[:10]}"
    # Both hosts are allowlisted: each stands for an intranet site an operator may ingest.
    fetcher = Fetcher(kit.settings(namespace, [source.port, intranet.port]).fetch, namespace, redis_client)
    try:
        assert fetcher.fetch(source.url("/to-own/")).final_url == source.url("/own/")
        assert fetcher.fetch(intranet.url("/secret/")).body == b"<html>internal</html>"
        before = len(intranet.hits_on("/secret/"))
        with pytest.raises(Refused, match="admitted only for a job whose source is on it"):
            fetcher.fetch(source.url("/to-intranet/"))
        with pytest.raises(Refused):
            fetcher.fetch(intranet.url("/secret/"), source=source.url("/sitemap.xml"))
        assert len(intranet.hits_on("/secret/")) == before, "the other host was never contacted"
    finally:
        keys = list(redis_client.scan_iter(f"{namespace}:*"))
        if keys:
            redis_client.delete(*keys)
