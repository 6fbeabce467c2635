"""Fixtures of the worker tests: a WordPress-like site on 127.0.0.1, and real Celery workers.

The site's articles are the cleaning engineer's seed-like fixture page
(tests/fixtures/pages/wordpress_article.html) with a title, URL and text of their own; the
listing and noindex fixtures are served as they are.
"""

from __future__ import annotations

import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from indexer import config
from indexer.config import Settings
from tests.processes import stop_group

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
REPO = Path(__file__).resolve().parents[2]
SEED_URL = "https://riverside.example/2023/07/03/river-ferry-returns/"
SEED_TITLE = "River ferry service returns after ten years"
_WORDS = ("council harbour ferry budget river bridge school library housing transport market park "
          "residents meeting contract vote timetable station district garden energy water museum "
          "street cyclists volunteers festival repairs election mayor plan report survey funding").split()

# Request headers in; status, headers and body out.
Route = Callable[[dict[str, str]], tuple[int, dict[str, str], bytes]]


def article(url: str, number: int) -> bytes:
    """The seed article with its own title, URL and paragraphs (distinct text per number)."""
    rng = random.Random(number)
    title = f"Riverside report {number}: {' '.join(rng.sample(_WORDS, 4))}"
    paragraphs = "".join(
        "<p>" + " ".join(rng.choice(_WORDS) for _ in range(60)).capitalize() + f" (item {number}.{i}).</p>\n"
        for i in range(5))
    html = (FIXTURES / "wordpress_article.html").read_text(encoding="utf-8")
    html = html.replace(SEED_URL, url).replace(SEED_TITLE, title)
    html = re.sub(r'(<div class="entry-content">\n).*?(</div>)',
                  lambda m: m.group(1) + paragraphs + m.group(2), html, count=1, flags=re.S)
    return html.encode("utf-8")


def urlset(urls: list[str]) -> bytes:
    items = "".join(f"<url><loc>{u}</loc><lastmod>2024-01-0{1 + i % 9}</lastmod></url>"
                    for i, u in enumerate(urls))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"{items}</urlset>").encode()


@dataclass
class Site:
    """A local site: routes by path, every request recorded (time, path)."""

    server: ThreadingHTTPServer
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[tuple[float, str]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def html(self, path: str, body: bytes, status: int = 200) -> None:
        self.routes[path] = lambda _headers: (status, {"Content-Type": "text/html; charset=utf-8"}, body)

    def raw(self, path: str, status: int, headers: dict[str, str], body: bytes) -> None:
        self.routes[path] = lambda _headers: (status, headers, body)

    def articles(self, prefix: str, count: int, start: int = 0) -> list[str]:
        urls = []
        for number in range(start, start + count):
            path = f"{prefix}{number}/"
            urls.append(self.url(path))
            self.html(path, article(self.url(path), number))
        return urls

    def hits_on(self, prefix: str) -> list[tuple[float, str]]:
        return [h for h in self.hits if h[1].startswith(prefix)]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.hits.append((time.monotonic(), self.path))
            site.headers.append(dict(self.headers))
            route = site.routes.get(self.path)
            found = route(dict(self.headers)) if route else None
            status, headers, body = found or (404, {"Content-Type": "text/plain"}, b"not found")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture(scope="module")
def make_site() -> Iterator[Callable[[], Site]]:
    servers: list[ThreadingHTTPServer] = []

    def make() -> Site:
        site = Site(ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler))
        site.server.RequestHandlerClass = _handler(site)
        threading.Thread(target=site.server.serve_forever, daemon=True).start()
        servers.append(site.server)
        return site

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def env_for(settings: Settings) -> dict[str, str]:
    from pagesift.stack.worker import settings_env

    return settings_env(settings)


class Worker:
    """A real `celery worker` process (its own session, so a kill reaches the whole pool)."""

    def __init__(self, settings: Settings, log: Path, *, beat: bool = False) -> None:
        self.settings = settings
        self.log = log
        # With beat embedded the reconciler runs, as in the stack and in production.
        self.beat = beat
        self.proc: subprocess.Popen[bytes] | None = None
        self.node = f"{settings.redis.namespace}-{os.getpid()}@{socket.gethostname()}"

    def start(self, timeout: float = 30.0) -> Worker:
        from pagesift.stack.worker import ping, worker_argv

        argv = worker_argv(self.settings, self.node, loglevel="WARNING", embed_beat=self.beat,
                           beat_schedule=self.log.with_suffix(".beat-schedule"))
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(argv, env=env_for(self.settings), stdout=out,
                                         stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True)
        deadline = time.monotonic() + timeout
        while not ping(self.settings, self.node, timeout=1.0):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker did not start:\n{self.log.read_text()[-3000:]}")
        return self

    def kill9(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        stop_group(self.proc)


def cleanup(settings: Settings) -> None:
    """Drop this test's indices, template and Redis keys (all three databases)."""
    from elasticsearch import NotFoundError

    from indexer.es import make_client
    from worker import redis_dbs

    es = make_client(settings.es)
    found = es.options(ignore_status=404).indices.get(index=f"{settings.index.prefix}*",
                                                      expand_wildcards="all")
    for name in found.body:
        es.options(ignore_status=404).indices.delete(index=name)
    try:
        es.indices.delete_index_template(name=f"{settings.index.prefix}-template")
    except NotFoundError:
        pass
    es.close()
    for offset in (redis_dbs.BROKER, redis_dbs.RESULTS, redis_dbs.JOBS):
        client = redis_dbs.client(settings.redis.url, offset)
        keys = list(client.scan_iter(f"{settings.redis.namespace}*"))
        keys += list(client.scan_iter(f"_kombu.binding.{settings.redis.namespace}*"))
        if keys:
            client.delete(*keys)
        client.close()


def make_settings(namespace: str, site_ports: list[int], **overrides: Any) -> Settings:
    base = config.load()
    values: dict[str, Any] = {
        "redis_namespace": namespace, "index_prefix": namespace, "worker_concurrency": 2,
        "fetch_allowlist": tuple(f"127.0.0.1:{p}" for p in site_ports),
        "fetch_host_delays": tuple(f"127.0.0.1:{p}=0" for p in site_ports),
        "ingest_batch_size": 5, "worker_visibility_timeout": 3600, "reconcile_after": 600,
        "home": base.home,
    }
    values.update(overrides)
    return config.load(**values)


def wait_job(store: Any, job_id: str, timeout: float = 60) -> Any:
    """The job once finished; AssertionError with its state if it is not within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = store.records.get(job_id)
        if job.finished_status:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} not finished in {timeout} s: {store.records.get(job_id)}")


@pytest.fixture(scope="session")
def kit() -> SimpleNamespace:
    """The helpers above, for test modules (conftest is not importable under importlib mode)."""
    return SimpleNamespace(article=article, urlset=urlset, Worker=Worker, settings=make_settings,
                           cleanup=cleanup, env_for=env_for, free_port=free_port, repo=REPO,
                           fixtures=FIXTURES, wait_job=wait_job, python=sys.executable)
