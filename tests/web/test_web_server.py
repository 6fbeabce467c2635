"""`pagesift up`'s web service: gunicorn in the background, healthy, stopped as a group."""

from __future__ import annotations

import json
import socket
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
