"""Background processes with pid files: start detached, find again, stop as a group.

Each service runs in its own session (process group), so stopping it also stops the
children it forks (the Elasticsearch launcher's server JVM, Celery's pool, gunicorn's workers).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


class ServiceError(RuntimeError):
    """A service could not be started or stopped; the message says what to do."""


@dataclass(frozen=True)
class PidFile:
    path: Path

    def read(self) -> int | None:
        try:
            pid = int(self.path.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        return pid if pid_alive(pid) else None

    def write(self, pid: int) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(f"{pid}\n")

    def remove(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        if sock.connect_ex((host, port)) != 0:
            return False
        # A port in the ephemeral range with nothing listening can still "accept": the kernel
        # may pick that very port as the source and connect the socket to itself.
        return bool(sock.getsockname() != sock.getpeername())


def spawn(
    argv: Sequence[str],
    log_path: Path,
    pidfile: PidFile,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> int:
    """Start ``argv`` detached in its own session, output appended to ``log_path``."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
        )
    pidfile.write(proc.pid)
    return proc.pid


@dataclass(frozen=True)
class Managed:
    """What start/stop need to know of a background service."""

    name: str
    pidfile: PidFile
    log_path: Path
    port: int | None = None
    port_setting: str = ""  # the variable that moves it, for the "port taken" message
    host: str = "127.0.0.1"


def start_managed(
    service: Managed,
    argv: Callable[[], Sequence[str]],
    ready: Callable[[], bool],
    timeout: float,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    interval: float = 0.5,
) -> int:
    """Start ``service`` unless its pid file names a live process; wait until ``ready``.

    ``argv`` is called only when a start is needed, so its own checks (a missing binary)
    never run for a service that is already up. On failure nothing is left running.
    """
    pid = service.pidfile.read()
    if pid is not None:
        return pid
    if service.port is not None and port_in_use(service.port, service.host):
        hint = f", or choose another with {service.port_setting}" if service.port_setting else ""
        raise ServiceError(f"port {service.port} is already taken by another process: stop it{hint}")
    pid = spawn(argv(), service.log_path, service.pidfile, env=env, cwd=cwd)
    settled = wait_until(lambda: service.pidfile.read() is None or ready(), timeout, interval)
    if settled and service.pidfile.read() is not None:
        return pid
    alive = service.pidfile.read() is not None
    if alive:
        stop_group(pid)
    service.pidfile.remove()
    raise ServiceError(f"{service.name} did not become ready{' in time' if alive else ' (it exited)'}; "
                       f"log: {service.log_path}\n{tail(service.log_path, 10)}")


def stop_managed(service: Managed, timeout: float = 30.0) -> bool:
    """Stop the service's process group; False when it was not running."""
    pid = service.pidfile.read()
    service_running = pid is not None
    if pid is not None:
        stop_group(pid, timeout)
    service.pidfile.remove()
    return service_running


def stop_group(pid: int, timeout: float = 30.0) -> None:
    """SIGTERM the process group of ``pid``; SIGKILL it if it outlives ``timeout``."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, sig)
        if wait_until(lambda: not pid_alive(pid), timeout):
            _reap(pid)
            return
    raise ServiceError(f"process {pid} did not stop")


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def wait_until(check: Callable[[], bool], timeout: float, interval: float = 0.25) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        _reap_children()
        if check():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def _reap_children() -> None:
    # Services we started in this process become zombies when they die; reaping them lets
    # pid_alive tell a dead child from a live one.
    with contextlib.suppress(ChildProcessError, OSError):
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return ""


def made_once(directory: Path, make: Callable[[Path], None]) -> Path:
    """``directory``, made by ``make`` into a sibling first and renamed into place, so an
    interrupted make never leaves a half-made directory that looks finished."""
    if directory.is_dir():
        return directory
    partial = directory.with_name(directory.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    make(partial)
    partial.rename(directory)
    return directory
