import sys
from pathlib import Path

import pytest

from pagesift.stack.process import PidFile, pid_alive, spawn, stop_group, tail, wait_until

pytestmark = pytest.mark.unit


def test_spawn_stop_and_pidfile(tmp_path: Path) -> None:
    pidfile = PidFile(tmp_path / "run" / "sleeper.pid")
    log = tmp_path / "logs" / "sleeper.log"
    pid = spawn([sys.executable, "-c", "import time; print('hi', flush=True); time.sleep(60)"],
                log, pidfile)
    assert pidfile.read() == pid
    assert wait_until(lambda: "hi" in tail(log), 10)
    stop_group(pid, timeout=10)
    assert not pid_alive(pid)
    assert pidfile.read() is None


def test_stale_pidfile_reads_as_not_running(tmp_path: Path) -> None:
    pidfile = PidFile(tmp_path / "x.pid")
    pidfile.write(2**22 + 12345)
    assert pidfile.read() is None
    (tmp_path / "x.pid").write_text("garbage")
    assert pidfile.read() is None
