"""The search app under gunicorn, in the background: pid file and log under the home."""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from indexer.config import Settings
from pagesift.stack.process import Managed, PidFile, start_managed, stop_managed

APP = "web:create_app()"
START_TIMEOUT = 30.0


@dataclass(frozen=True)
class WebServer:
    home: Path
    host: str
    port: int
    workers: int
    access_log: str = "private"

    @classmethod
    def from_settings(cls, settings: Settings) -> WebServer:
        return cls(settings.home, settings.web.host, settings.web.port, settings.web.workers,
                   settings.web.access_log)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def log_path(self) -> Path:
        return self.home / "logs" / f"web-{self.port}.log"

    @property
    def managed(self) -> Managed:
        return Managed("the web app", PidFile(self.home / "run" / f"web-{self.port}.pid"),
                       self.log_path, self.port, "PAGESIFT_WEB_PORT", self.host)

    def pid(self) -> int | None:
        return self.managed.pidfile.read()


# The search log keeps no address and honours Do Not Track (docs/analytics.md); an access log
# in gunicorn's default format would undo both for every request, with the query in the URL.
PRIVATE_ACCESS_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def gunicorn_argv(host: str, port: int, workers: int, access_log: str = "private") -> list[str]:
    """``access_log``: ``private``, ``off`` or ``full`` (``PAGESIFT_WEB_ACCESS_LOG``)."""
    logging = {"private": ["--access-logfile", "-", "--access-logformat", PRIVATE_ACCESS_FORMAT],
               "full": ["--access-logfile", "-"], "off": []}[access_log]
    return [sys.executable, "-m", "gunicorn", "--config", "python:web.gunicorn_conf",
            "--bind", f"{host}:{port}", "--workers", str(workers),
            # Searches are I/O bound on Elasticsearch; a little threading per worker absorbs bursts.
            "--threads", "4", *logging, "--error-logfile", "-", APP]


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
    argv = gunicorn_argv(server.host, server.port, server.workers, server.access_log)
    return start_managed(server.managed, lambda: argv, lambda: healthy(server), START_TIMEOUT)


def stop(server: WebServer) -> bool:
    return stop_managed(server.managed)
