"""Run the sample site's server in the background, found again through a pid file."""

from __future__ import annotations

import sys
from pathlib import Path

from pagesift.stack.process import PidFile, ServiceError, port_in_use, spawn, stop_group, tail, wait_until

START_TIMEOUT = 15.0


def pidfile(home: Path, port: int) -> PidFile:
    return PidFile(home / "run" / f"sample-site-{port}.pid")


def log_path(home: Path, port: int) -> Path:
    return home / "logs" / f"sample-site-{port}.log"


def start(home: Path, directory: Path, port: int) -> int:
    """Start (or find) the server; its pid. Raises ServiceError with the log's tail."""
    pids = pidfile(home, port)
    running = pids.read()
    if running is not None:
        return running
    if port_in_use(port):
        raise ServiceError(f"port {port} is already taken by another process: choose another with --port")
    argv = [sys.executable, "-m", "pagesift.cli", "sample", "serve", "--dir", str(directory),
            "--port", str(port)]
    pid = spawn(argv, log_path(home, port), pids)
    settled = wait_until(lambda: port_in_use(port) or pids.read() is None, START_TIMEOUT)
    if not settled or not port_in_use(port):
        if pids.read() is not None:
            stop_group(pid)
        pids.remove()
        raise ServiceError(f"the sample site server did not start:\n{tail(log_path(home, port), 8)}")
    return pid


def stop(home: Path, port: int) -> bool:
    pids = pidfile(home, port)
    pid = pids.read()
    pids.remove()
    if pid is None:
        return False
    stop_group(pid, timeout=10)
    return True
