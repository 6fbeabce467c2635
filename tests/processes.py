"""Helpers for tests that run real processes: waiting for a condition, stopping a process group."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable


def wait_for(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.2) -> float:
    """Seconds until ``check()`` held; fails the test after ``timeout``."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)
    return time.monotonic() - started


def stop_group(proc: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM to the process's group (started with ``start_new_session``), SIGKILL after 20 s."""
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
