"""The generated secret key: processes starting together share one whole key."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from indexer import config
from web.secret import FILENAME, secret_key

pytestmark = pytest.mark.unit

PROCESSES = 6
ROUNDS = 40


def _start_together(home: str, barrier: Any, keys: Any) -> None:
    settings = config.load(env={}, home=Path(home))
    barrier.wait()
    try:
        keys.put(secret_key(settings))
    except Exception as exc:  # reported to the test, which names it
        keys.put(f"error: {exc!r}")


def _round(ctx: Any, home: Path) -> list[str]:
    barrier, keys = ctx.Barrier(PROCESSES), ctx.Queue()
    procs = [ctx.Process(target=_start_together, args=(str(home), barrier, keys)) for _ in range(PROCESSES)]
    for proc in procs:
        proc.start()
    found = [keys.get(timeout=30) for _ in procs]
    for proc in procs:
        proc.join(10)
    return found


def test_processes_starting_together_read_one_whole_key(tmp_path: Path) -> None:
    # forkserver: children come from a clean single-threaded process (a plain fork of the
    # test process can copy a lock some other thread holds and hang); the barrier, not the
    # start method, makes them reach the key at the same moment.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([_start_together.__module__])  # imported once, not per child
    for number in range(ROUNDS):
        keys = _round(ctx, tmp_path / str(number))
        assert len(set(keys)) == 1 and len(keys[0]) == 64, f"round {number}: {keys}"
        assert (tmp_path / str(number) / "run" / FILENAME).read_text() == keys[0]


def test_the_key_is_kept_private_and_reused(tmp_path: Path) -> None:
    settings = config.load(env={}, home=tmp_path)
    key = secret_key(settings)
    path = tmp_path / "run" / FILENAME
    assert path.stat().st_mode & 0o777 == 0o600
    assert secret_key(settings) == key
    assert [p.name for p in path.parent.iterdir()] == [FILENAME], "no temporary file is left"


def test_an_empty_key_file_is_an_error_not_an_empty_key(tmp_path: Path) -> None:
    path = tmp_path / "run" / FILENAME
    path.parent.mkdir(parents=True)
    path.write_text("")
    with pytest.raises(RuntimeError, match="is empty"):
        secret_key(config.load(env={}, home=tmp_path))
