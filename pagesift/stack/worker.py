"""The background worker of the local stack: a Celery worker (with beat embedded) under the home.

`pagesift up` starts it detached with a pid file and a log; it is healthy when it answers a
Celery ping. Production runs `pagesift worker` and `pagesift beat` under a process manager.
"""

from __future__ import annotations

import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from indexer.config import Settings
from pagesift.stack.process import Managed, PidFile, start_managed, stop_managed

START_TIMEOUT = 60.0


@dataclass(frozen=True)
class LocalWorker:
    settings: Settings

    @property
    def node_name(self) -> str:
        return f"{self.settings.redis.namespace}@{socket.gethostname()}"

    @property
    def log_path(self) -> Path:
        return self.settings.logs_dir / "worker.log"

    @property
    def managed(self) -> Managed:
        return Managed("the worker", PidFile(self.settings.run_dir / "worker.pid"), self.log_path)

    @property
    def beat_schedule_path(self) -> Path:
        return self.settings.run_dir / "celerybeat-schedule"

    def pid(self) -> int | None:
        return self.managed.pidfile.read()


def settings_env(settings: Settings, base: dict[str, str] | None = None) -> dict[str, str]:
    """An environment that makes a child process load exactly ``settings`` (any PAGESIFT_* of
    ``base``, default this process's environment, replaced)."""
    from indexer.config import FIELDS

    env = {k: v for k, v in (os.environ if base is None else base).items() if not k.startswith("PAGESIFT_")}
    for field in FIELDS:
        value = field.value_in(settings)
        if isinstance(value, tuple):
            env[field.env] = ",".join(value)
        else:
            env[field.env] = str(value).lower() if isinstance(value, bool) else str(value)
    return env


def worker_argv(settings: Settings, node_name: str, *, embed_beat: bool = False,
                beat_schedule: Path | None = None, loglevel: str = "INFO") -> list[str]:
    argv = [sys.executable, "-m", "celery", "-A", "worker.app", "worker", f"--loglevel={loglevel}",
            f"--concurrency={settings.worker.concurrency}", "-n", node_name, "-Q", settings.redis.namespace,
            "--without-mingle", "--without-gossip"]
    if embed_beat:
        argv += ["--beat", "--schedule", str(beat_schedule)]
    return argv


def beat_argv(settings: Settings, loglevel: str = "INFO") -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "worker.app", "beat", f"--loglevel={loglevel}",
            "--schedule", str(settings.run_dir / "celerybeat-schedule")]


def ping(settings: Settings, node_name: str, timeout: float = 2.0) -> bool:
    from worker.app import create_celery

    app = create_celery(settings)
    try:
        return bool(app.control.ping(destination=[node_name], timeout=timeout))
    except OSError:
        return False
    finally:
        app.close()


def start(worker: LocalWorker) -> int:
    worker.settings.run_dir.mkdir(parents=True, exist_ok=True)
    argv = worker_argv(worker.settings, worker.node_name, embed_beat=True,
                       beat_schedule=worker.beat_schedule_path)
    return start_managed(worker.managed, lambda: argv, lambda: ping(worker.settings, worker.node_name),
                         START_TIMEOUT, interval=1.0)


def stop(worker: LocalWorker) -> bool:
    # TERM is Celery's warm shutdown: running tasks finish (or are redelivered: acks_late).
    return stop_managed(worker.managed, timeout=60.0)
