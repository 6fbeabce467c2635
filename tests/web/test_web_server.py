"""`pagesift up`'s web service: gunicorn in the background, healthy, stopped as a group."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request

import pytest

from pagesift.stack import web

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_gunicorn_starts_answers_and_stops(tmp_path, es, redis_client) -> None:
    server = web.WebServer(tmp_path, "127.0.0.1", free_port(), workers=1)
    pid = web.start(server)
    try:
        assert server.pid() == pid and web.healthy(server)
        with urllib.request.urlopen(f"{server.url}healthz", timeout=5) as response:
            assert json.load(response)["elasticsearch"] == "ok"
    finally:
        assert web.stop(server)
    assert server.pid() is None and not web.healthy(server)


@pytest.mark.parametrize("access_log", ["private", "off"])
def test_the_access_log_keeps_no_address_and_no_query(tmp_path, es, redis_client, access_log: str) -> None:
    """The search log's privacy promise holds in the access log too: by default a line says
    what was asked for (path, status, size, time) and nothing of who asked or what they searched."""
    server = web.WebServer(tmp_path, "127.0.0.1", free_port(), workers=1, access_log=access_log)
    web.start(server)
    try:
        request = urllib.request.Request(
            f"{server.url}api/search?q=secretword+unique&t=clicktoken",
            headers={"Referer": "https://referrer.example/page", "User-Agent": "AgentXyz/1.0"})
        try:
            urllib.request.urlopen(request, timeout=10).close()
        except urllib.error.HTTPError:
            pass  # the answer does not matter here (the test's app may have no index), only its line
    finally:
        web.stop(server)
    log = server.log_path.read_text()
    lines = [line for line in log.splitlines() if "/api/search" in line]
    assert len(lines) == (1 if access_log == "private" else 0), log[-2000:]
    for forbidden in ("secretword", "clicktoken", "referrer.example", "AgentXyz"):
        assert forbidden not in log
    if lines:
        # The client's address is the server's own here (loopback), named in start-up lines.
        assert '"GET /api/search"' in lines[0] and "127.0.0.1" not in lines[0]
