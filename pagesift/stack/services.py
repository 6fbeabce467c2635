"""`pagesift up / down / status`: every local service behind one small interface."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from indexer.config import Settings
from pagesift.stack import elasticsearch as es
from pagesift.stack import redis as rd
from pagesift.stack import web
from pagesift.stack.process import ServiceError


@dataclass(frozen=True)
class Service:
    name: str
    port: int | None
    url: str
    log: str
    pid: Callable[[], int | None]
    start: Callable[[], int]
    stop: Callable[[], bool]
    healthy: Callable[[], bool]


def _elasticsearch(settings: Settings) -> Service:
    node = es.EmbeddedNode.from_settings(settings)
    return Service("elasticsearch", node.port, node.url, str(node.log_path), node.pid,
                   lambda: es.start(node), lambda: es.stop(node),
                   lambda: es.health(node.url) is not None)


def _redis(settings: Settings) -> Service:
    redis = rd.LocalRedis.from_settings(settings)
    return Service("redis", redis.port, redis.url, str(redis.log_path), redis.pid,
                   lambda: rd.start(redis), lambda: rd.stop(redis), lambda: rd.ping(redis.port))


def _web(settings: Settings) -> Service:
    server = web.WebServer.from_settings(settings)
    return Service("web", server.port, server.url, str(server.log_path), server.pid,
                   lambda: web.start(server), lambda: web.stop(server), lambda: web.healthy(server))


def _worker(settings: Settings) -> Service:
    from pagesift.stack import worker as wk

    local = wk.LocalWorker(settings)
    return Service("worker", None, local.node_name, str(local.log_path), local.pid,
                   lambda: wk.start(local), lambda: wk.stop(local),
                   lambda: wk.ping(settings, local.node_name))


# Start order; `down` goes in reverse. Later entries depend on earlier ones.
BUILDERS: dict[str, Callable[[Settings], Service]] = {
    "elasticsearch": _elasticsearch,
    "redis": _redis,
    "web": _web,
    "worker": _worker,
}


def services(settings: Settings, names: Sequence[str] | None = None) -> list[Service]:
    chosen = list(BUILDERS) if not names else list(names)
    unknown = [n for n in chosen if n not in BUILDERS]
    if unknown:
        raise ServiceError(f"unknown service(s): {', '.join(unknown)}; known: {', '.join(BUILDERS)}")
    return [BUILDERS[n](settings) for n in BUILDERS if n in chosen]


def up(settings: Settings, names: Sequence[str] | None = None,
       report: Callable[[str], None] = print) -> list[Service]:
    """Start each service in order; on a failure, stop what this call started and re-raise."""
    started: list[Service] = []
    for service in services(settings, names):
        was_running = service.pid() is not None
        try:
            pid = service.start()
        except ServiceError as exc:
            for done in reversed(started):
                done.stop()
            raise ServiceError(f"{service.name} failed to start: {exc}") from exc
        if not was_running:
            started.append(service)
        state = "already running" if was_running else "started"
        report(f"{service.name:<14} {state:<16} pid {pid:<8} {service.url}")
    return started


def down(settings: Settings, names: Sequence[str] | None = None,
         report: Callable[[str], None] = print) -> None:
    for service in reversed(services(settings, names)):
        stopped = service.stop()
        report(f"{service.name:<14} {'stopped' if stopped else 'was not running'}")


def status(settings: Settings, names: Sequence[str] | None = None,
           report: Callable[[str], None] = print) -> bool:
    all_up = True
    for service in services(settings, names):
        pid = service.pid()
        ok = pid is not None and service.healthy()
        all_up = all_up and ok
        state = "up" if ok else ("unhealthy" if pid else "down")
        report(f"{service.name:<14} {state:<10} pid {pid or '-':<8} port {service.port or '-':<6} "
               f"{service.url}  log {service.log}")
    return all_up
