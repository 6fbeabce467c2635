"""The local Redis: Debian's redis-server with AOF, bound to loopback, data under the home."""

from __future__ import annotations

import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

from indexer.config import Settings
from pagesift.stack.process import Managed, PidFile, ServiceError, start_managed, stop_managed

START_TIMEOUT = 20.0


@dataclass(frozen=True)
class LocalRedis:
    home: Path
    port: int

    @classmethod
    def from_settings(cls, settings: Settings, port: int | None = None) -> LocalRedis:
        return cls(settings.home, port or settings.redis.port)

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
    def managed(self) -> Managed:
        return Managed("redis-server", PidFile(self.home / "run" / f"redis-{self.port}.pid"),
                       self.log_path, self.port, "PAGESIFT_REDIS_PORT")

    def pid(self) -> int | None:
        return self.managed.pidfile.read()


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
    redis.data_dir.mkdir(parents=True, exist_ok=True)
    return start_managed(redis.managed, lambda: server_argv(redis), lambda: ping(redis.port), START_TIMEOUT)


def stop(redis: LocalRedis) -> bool:
    return stop_managed(redis.managed)
