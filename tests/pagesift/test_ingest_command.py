"""`pagesift ingest` when Redis cannot be reached: a plain message that never shows the password."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from pagesift.cli import main

pytestmark = pytest.mark.unit


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_redis_is_reported_without_its_password(monkeypatch, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # Nothing listens on the port: the job store's client retries for about 30 s, then gives up.
    url = f"redis://:s3cret-pw@127.0.0.1:{_closed_port()}/0"
    monkeypatch.setenv("PAGESIFT_HOME", str(tmp_path))
    monkeypatch.setenv("PAGESIFT_REDIS_URL", url)
    assert main(["ingest", "https://example.org/sitemap.xml"]) == 2
    out = capsys.readouterr()
    assert "is not reachable" in out.err
    assert "s3cret-pw" not in out.err + out.out
    assert f"redis://:***@127.0.0.1:{url.rsplit(':', 1)[1]}" in out.err
