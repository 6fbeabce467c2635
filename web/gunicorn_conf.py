"""gunicorn settings for pagesift: prometheus_client's multiprocess mode across the workers.

gunicorn reads this file in its master process before any worker starts. The metrics folder
is emptied at start (counts from an earlier run would otherwise be added in) and a dead
worker's live gauges are dropped.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

ENV = "PROMETHEUS_MULTIPROC_DIR"


def on_starting(server: Any) -> None:
    if not os.environ.get(ENV):
        from indexer import config

        # One folder per master: two servers under one home never mix (or wipe) their counts.
        os.environ[ENV] = str(config.load().run_dir / f"prometheus-{os.getpid()}")
    folder = Path(os.environ[ENV])
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    from indexer.query import dictionary

    # Before the fork: the workers share the word lists, and no reader's search waits for them.
    dictionary.warm()


def on_exit(server: Any) -> None:
    shutil.rmtree(os.environ.get(ENV, ""), ignore_errors=True)


def child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
