"""Whole processes timed as users run them: start-up, imports and model loads included.

``pagesift clean <folder>`` is the production command; its baseline is the same loop around
trafilatura (:mod:`bench.common.trafilatura_cli`). Each runs pinned to one core; CPU time is
the child's own (``wait4``), which other load on a shared machine does not inflate.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COMMANDS = {
    "pagesift": [sys.executable, "-m", "pagesift.cli", "clean"],
    "trafilatura": [sys.executable, "-m", "bench.common.trafilatura_cli"],
}


@dataclass(frozen=True)
class Run:
    cpu_seconds: float
    wall_seconds: float
    texts: list[str]


def link_pages(pages: list[Path], folder: Path) -> Path:
    """A folder whose sorted file names list ``pages`` in order (what both commands walk)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, page in enumerate(pages):
        (folder / f"{number:06d}.html").symlink_to(page.resolve())
    return folder


def run(extractor: str, folder: Path, core: int, out: Path) -> Run:
    argv = [*COMMANDS[extractor], str(folder)]
    with out.open("wb") as stdout:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL, cwd=REPO,
                                preexec_fn=lambda: os.sched_setaffinity(0, {core}))
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    # pagesift clean exits 1 when some page could not be cleaned: its output still counts.
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} failed with status {status}")
    texts = [str(json.loads(line).get("content") or "") for line in out.read_text().splitlines()]
    return Run(usage.ru_utime + usage.ru_stime, wall, texts)
