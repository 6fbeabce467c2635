"""The local Redis: Debian's redis-server with AOF, bound to loopback, data under the home."""

from __future__ import annotations

import shutil
import socket
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

START_TIMEOUT = 20.0


@dataclass(frozen=True)
class LocalRedis:
    home: Path
    port: int

    @classmethod
    def from_settings(cls, settings: Settings, port: int | None = None) -> LocalRedis:
        return cls(settings.home, port or settings.redis_port)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def data_dir(self) -> Path:
        return self.home / "redis" / str(self.port)

    @property
    def log_path(self) -> Path:
        return self.home / "logs" / f"redis-{self.port}.log"

    @property
    def pidfile(self) -> PidFile:
        return PidFile(self.home / "run" / f"redis-{self.port}.pid")

    def pid(self) -> int | None:
        return self.pidfile.read()


def ping(port: int, timeout: float = 1.0) -> bool:
    """PING over a raw socket: the stack must not depend on the app's Redis client set-up."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def server_argv(redis: LocalRedis) -> list[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServiceError("redis-server is not installed: apt-get install -y redis-server")
    return [
        binary,
        "--port", str(redis.port),
        "--bind", "127.0.0.1",
        "--dir", str(redis.data_dir),
        # Jobs and queued tasks must survive a restart: append-only file, fsync each second.
        "--appendonly", "yes",
        "--appendfsync", "everysec",
        "--daemonize", "no",
        "--save", "300 10",
    ]


def start(redis: LocalRedis) -> int:
    pid = redis.pid()
    if pid is not None:
        return pid
    if port_in_use(redis.port):
        raise ServiceError(f"port {redis.port} is already taken by another process: stop it, "
                           f"or choose another with PAGESIFT_REDIS_PORT")
    argv = server_argv(redis)
    redis.data_dir.mkdir(parents=True, exist_ok=True)
    pid = spawn(argv, redis.log_path, redis.pidfile)
    settled = wait_until(lambda: redis.pidfile.read() is None or ping(redis.port), START_TIMEOUT)
    if not settled or redis.pidfile.read() is None:
        if redis.pidfile.read() is not None:
            stop_group(pid)
        redis.pidfile.remove()
        raise ServiceError(f"redis-server did not start; log: {redis.log_path}\n{tail(redis.log_path, 8)}")
    return pid


def stop(redis: LocalRedis) -> bool:
    pid = redis.pid()
    if pid is None:
        redis.pidfile.remove()
        return False
    stop_group(pid)
    redis.pidfile.remove()
    return True
