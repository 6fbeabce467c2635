"""Fixtures of the reliability suite (`make test-reliability`): faults are injected into
PRIVATE services started here (a redis-server, an embedded Elasticsearch node on their own
ports), never into the shared test services other suites use.

The local WordPress-like site and the real Celery worker come from the worker tests
(``kit``, ``make_site``), imported rather than copied. Every scenario records its figures
through ``figures``; they are printed at the end of the run and written as JSON under
``$PAGESIFT_HOME/reliability/`` (docs/reliability.md quotes them).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from indexer.config import Settings
from tests.processes import wait_for
from tests.worker import conftest as worker_tests

# The worker tests' fixtures, registered here too: the local site and real Celery workers.
kit = worker_tests.kit
make_site = worker_tests.make_site
free_port = worker_tests.free_port

RESULTS: dict[str, dict[str, Any]] = {}


def env_seconds(name: str, default: float) -> float:
    """Durations a release run keeps long and a smoke run shortens (PAGESIFT_RELIABILITY_*)."""
    return float(os.environ.get(f"PAGESIFT_RELIABILITY_{name}", default))


@pytest.fixture
def figures(request: pytest.FixtureRequest, settings: Settings) -> Iterator[dict[str, Any]]:
    found: dict[str, Any] = {}
    started = time.monotonic()
    yield found
    found["seconds"] = round(time.monotonic() - started, 1)
    found["passed"] = not getattr(request.node, "failed_call", False)
    name = request.node.name
    RESULTS[name] = found
    out = settings.home / "reliability"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(found, indent=2, default=str) + "\n")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item.failed_call = True  # type: ignore[attr-defined]


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if RESULTS:
        terminalreporter.section("reliability figures")
        for name, found in RESULTS.items():
            terminalreporter.write_line(f"{name}: {json.dumps(found, default=str)}")


def free_pair(gap: int = 100) -> int:
    """A port free together with port + gap (the embedded node's transport port)."""
    import socket

    for _ in range(50):
        port = free_port()
        if port + gap < 65536:
            with socket.socket() as probe:
                try:
                    probe.bind(("127.0.0.1", port + gap))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free pair of ports")


@contextmanager
def private_redis(tmp: Path) -> Iterator[Any]:
    from pagesift.stack import redis as stack_redis

    server = stack_redis.LocalRedis(tmp / "redis-home", free_port())
    stack_redis.start(server)
    try:
        yield server
    finally:
        stack_redis.stop(server)


def kill9(pid: int | None) -> None:
    assert pid is not None, "nothing to kill"
    os.kill(pid, signal.SIGKILL)
    from pagesift.stack.process import pid_alive

    wait_for(lambda: not pid_alive(pid), 10, f"pid {pid} to die")


@contextmanager
def private_es(settings: Settings, extra: str = "", heap: str = "512m") -> Iterator[Any]:
    """A private embedded node under the test home (the unpacked distribution is shared, so it
    boots in seconds); ``extra`` is appended to its elasticsearch.yml. Its data goes with it."""
    from pagesift.stack import elasticsearch as stack_es

    node = replace(stack_es.EmbeddedNode.from_settings(settings, free_pair()), heap=heap)
    node.conf_dir.mkdir(parents=True, exist_ok=True)
    (node.conf_dir / "elasticsearch.extra.yml").write_text(extra)
    stack_es.start(node)
    try:
        yield node
    finally:
        stack_es.stop(node)
        for folder in (node.conf_dir, node.data_dir, node.home / "logs" / f"elasticsearch-{node.port}"):
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def private_cluster(settings: Settings, size: int = 3, heap: str = "512m") -> Iterator[list[Any]]:
    """``size`` embedded nodes, each its own process, forming one cluster (any of them may be
    elected master), on free ports under the test home; their data goes with them."""
    from pagesift.stack import elasticsearch as stack_es

    ports: list[int] = []
    while len(ports) < size:
        port = free_pair()
        if all(abs(port - p) not in (0, stack_es.TRANSPORT_OFFSET) for p in ports):
            ports.append(port)
    nodes = [replace(stack_es.EmbeddedNode.from_settings(settings, port), heap=heap, cluster=tuple(ports))
             for port in ports]
    try:
        for node in nodes:
            node.conf_dir.mkdir(parents=True, exist_ok=True)
            (node.conf_dir / "elasticsearch.extra.yml").write_text("")
            stack_es.start(node, wait_for_health=False)
        stack_es.wait_for_cluster(nodes[0], "green")
        yield nodes
    finally:
        for node in nodes:
            stack_es.stop(node)
            for folder in (node.conf_dir, node.data_dir, node.home / "logs" / f"elasticsearch-{node.port}"):
                shutil.rmtree(folder, ignore_errors=True)


def worker_children(pid: int) -> list[int]:
    """The pool processes of a Celery worker (its direct children)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(p) for p in text]
    return found


@pytest.fixture
def pipeline(kit, make_site, settings: Settings, tmp_path: Path) -> Iterator[Callable[..., SimpleNamespace]]:  # type: ignore[no-untyped-def]
    """Builds a namespace on a local site: settings, a job store, a Celery producer and
    workers; everything it made (workers, indices, keys) is removed afterwards."""
    from worker import submit
    from worker.context import job_store

    made: list[SimpleNamespace] = []
    shared = settings

    def build(pages: int, delay: float = 0.0, **overrides: Any) -> SimpleNamespace:
        site = make_site()
        urls = site.articles("/news/", pages)
        if delay:
            for url in urls:
                path = url[len(site.base):]
                body = site.routes[path]
                site.routes[path] = lambda headers, body=body: (time.sleep(delay), body(headers))[1]
        namespace = f"rel-{uuid.uuid4().hex[:10]}"
        settings = kit.settings(namespace, [site.port], **overrides)
        listing = tmp_path / f"{namespace}.txt"
        listing.write_text("\n".join(urls) + "\n")
        ns = SimpleNamespace(site=site, urls=urls, settings=settings, listing=listing, workers=[],
                             store=job_store(settings), app=submit.producer(settings),
                             log=tmp_path / "worker.log")

        def worker() -> Any:
            started = kit.Worker(settings, ns.log).start(timeout=60)
            ns.workers.append(started)
            return started

        def ingest(*sources: str) -> str:
            return submit.ingest(ns.app, ns.store.records, list(sources or [str(listing)])).id

        def reconcile() -> None:
            # What beat does in production; the tests' workers run without beat.
            ns.app.send_task("worker.tasks.reconcile")

        ns.worker, ns.ingest, ns.reconcile = worker, ingest, reconcile
        made.append(ns)
        return ns

    yield build
    for ns in made:
        for started in ns.workers:
            started.stop()
        _cleanup(kit, ns.settings, shared)


def _cleanup(kit, settings: Settings, shared: Settings) -> None:  # type: ignore[no-untyped-def]
    """The worker tests' cleanup, for the services this namespace shares with other suites
    (a private service goes away whole)."""
    if settings.redis.url == shared.redis.url and settings.es.url == shared.es.url:
        kit.cleanup(settings)
    elif settings.es.url == shared.es.url:
        _drop_indices(settings)


def _drop_indices(settings: Settings) -> None:
    from bench.common import corpus_index
    from indexer.es import make_client

    es = make_client(settings.es)
    corpus_index.drop(es, settings)
    es.close()


def wait_job(ns: SimpleNamespace, job_id: str, timeout: float, reconcile_every: float = 0.0) -> Any:
    """The finished job; sends the reconciler now and then when asked (beat's part)."""
    deadline = time.monotonic() + timeout
    last = time.monotonic()
    while time.monotonic() < deadline:
        try:
            job = ns.store.records.get(job_id)
        except Exception:  # Redis may be away in a scenario; the job store rides it out
            job = None
        if job is not None and job.finished_status:
            return job
        if reconcile_every and time.monotonic() - last > reconcile_every:
            ns.reconcile()
            last = time.monotonic()
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not finish in {timeout:.0f}s: {ns.store.records.get(job_id)}")


def ledger(ns: SimpleNamespace, es: Any, job_ids: list[str]) -> Any:
    from worker.jobs.ledger_check import check

    return check(ns.store.ledger, es, ns.settings.index.prefix, job_ids)
