"""`pagesift up` leaves nothing half-started: a later service failing stops the earlier ones."""

import socket
from pathlib import Path

import pytest

from indexer import config
from pagesift.stack import redis as rd
from pagesift.stack import services
from pagesift.stack.process import ServiceError, pid_alive

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_failed_service_is_named_and_earlier_ones_are_stopped(tmp_path: Path) -> None:
    redis_port = _free_port()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        web_port = squatter.getsockname()[1]
        settings = config.load(env={}, home=tmp_path, redis_port=redis_port, web_port=web_port)
        lines: list[str] = []
        with pytest.raises(ServiceError, match=f"web failed to start: port {web_port} is already taken"):
            services.up(settings, ["redis", "web"], report=lines.append)
    assert any(line.startswith("redis") and "started" in line for line in lines)
    local = rd.LocalRedis.from_settings(settings)
    assert local.pid() is None
    assert not rd.ping(redis_port)
    pids = list((tmp_path / "run").glob("*.pid"))
    assert pids == [] or not any(pid_alive(int(p.read_text())) for p in pids)
