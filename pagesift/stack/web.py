"""The search app under gunicorn, in the background: pid file and log under the home."""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from indexer.config import Settings
from pagesift.stack.process import (
    PidFile,
    ServiceError,
    port_in_use,
    spawn,
    stop_group,
    tail,
    wait_until,
)

APP = "web:create_app()"
START_TIMEOUT = 30.0


@dataclass(frozen=True)
class WebServer:
    home: Path
    host: str
    port: int
    workers: int

    @classmethod
    def from_settings(cls, settings: Settings) -> WebServer:
        return cls(settings.home, settings.web_host, settings.web_port, settings.web_workers)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def log_path(self) -> Path:
        return self.home / "logs" / f"web-{self.port}.log"

    @property
    def pidfile(self) -> PidFile:
        return PidFile(self.home / "run" / f"web-{self.port}.pid")

    def pid(self) -> int | None:
        return self.pidfile.read()


def gunicorn_argv(host: str, port: int, workers: int) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", "--workers", str(workers),
            # Searches are I/O bound on Elasticsearch; a little threading per worker absorbs bursts.
            "--threads", "4", "--access-logfile", "-", "--error-logfile", "-", APP]


def healthy(server: WebServer, timeout: float = 2.0) -> bool:
    """The app answers /healthz (503 while Elasticsearch is down still means the app is up)."""
    try:
        with urllib.request.urlopen(f"{server.url}healthz", timeout=timeout) as response:  # noqa: S310
            return bool(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code == 503
    except OSError:
        return False


def start(server: WebServer) -> int:
    pid = server.pid()
    if pid is not None:
        return pid
    if port_in_use(server.port, server.host):
        raise ServiceError(f"port {server.port} is already taken: stop that process, "
                           f"or choose another with PAGESIFT_WEB_PORT")
    pid = spawn(gunicorn_argv(server.host, server.port, server.workers), server.log_path, server.pidfile)
    settled = wait_until(lambda: server.pidfile.read() is None or healthy(server), START_TIMEOUT)
    if not settled or server.pidfile.read() is None:
        if server.pidfile.read() is not None:
            stop_group(pid)
        server.pidfile.remove()
        raise ServiceError(f"the web app did not start; log: {server.log_path}\n{tail(server.log_path, 8)}")
    return pid


def stop(server: WebServer) -> bool:
    pid = server.pid()
    if pid is None:
        server.pidfile.remove()
        return False
    stop_group(pid)
    server.pidfile.remove()
    return True
