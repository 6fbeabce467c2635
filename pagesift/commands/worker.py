"""`pagesift worker` and `pagesift beat`: Celery in the foreground, for a process manager."""

from __future__ import annotations

import argparse
import os
import socket
from typing import Any


def register(subparsers: Any) -> None:
    worker = subparsers.add_parser("worker", help="run a Celery worker in the foreground")
    worker.add_argument("--concurrency", type=int, help="worker processes (default from configuration)")
    worker.add_argument("--loglevel", default="INFO")
    worker.add_argument("--beat", action="store_true", help="also run the scheduler (one node only)")
    worker.set_defaults(func=run_worker)
    beat = subparsers.add_parser("beat",
                                 help="run the scheduler (re-crawls, the reconciler) in the foreground")
    beat.add_argument("--loglevel", default="INFO")
    beat.set_defaults(func=run_beat)


def run_worker(args: argparse.Namespace) -> int:
    from indexer import config
    from pagesift.stack.worker import worker_argv

    settings = config.load(worker_concurrency=args.concurrency)
    settings.run_dir.mkdir(parents=True, exist_ok=True)
    argv = worker_argv(settings, f"{settings.redis.namespace}@{socket.gethostname()}", embed_beat=args.beat,
                       beat_schedule=settings.run_dir / "celerybeat-schedule", loglevel=args.loglevel)
    # exec: signals from the process manager reach Celery itself (TERM = warm shutdown).
    os.execv(argv[0], argv)  # noqa: S606 (argv is ours: the venv's python -m celery)


def run_beat(args: argparse.Namespace) -> int:
    from indexer import config
    from pagesift.stack.worker import beat_argv

    settings = config.load()
    settings.run_dir.mkdir(parents=True, exist_ok=True)
    argv = beat_argv(settings, args.loglevel)
    os.execv(argv[0], argv)  # noqa: S606 (argv is ours: the venv's python -m celery)
