"""The reader search app under gunicorn for a given configuration, on a free port: what the
search-under-load benchmarks and the reliability suite put load on."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from indexer.config import PROJECT_ROOT, Settings
from pagesift.stack.web import gunicorn_argv
from pagesift.stack.worker import settings_env

# Search load is measured with the rate limit out of the way (it has tests of its own).
NO_RATE_LIMIT = "1000000/second"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(url: str, timeout: float = 2.0) -> int:
    """The status ``url`` answers with; 0 when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0


@contextmanager
def gunicorn(settings: Settings, log: Path, workers: int | None = None) -> Iterator[str]:
    """Serve ``settings``' index; yields the base URL. The server is stopped on exit."""
    port = free_port()
    argv = gunicorn_argv("127.0.0.1", port, workers or settings.web.workers)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        proc = subprocess.Popen(argv, env=settings_env(settings), stdout=subprocess.DEVNULL, stderr=out,
                                cwd=PROJECT_ROOT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while answers(f"{base}/healthz") not in (200, 503):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start; see {log}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
