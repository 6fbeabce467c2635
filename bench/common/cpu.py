"""CPU seconds spent by the parts of a run, read where each part keeps them.

A wall-clock ratio says how much slower the pipeline is; CPU seconds per part say where the
difference goes. Elasticsearch and Redis report their own process's CPU (node stats, INFO),
so nothing needs their pids; a local process tree is read from ``/proc`` (Linux).
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_TICKS = os.sysconf("SC_CLK_TCK")


def process_seconds(pid: int) -> float:
    """utime + stime of one process; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After "pid (comm)", utime and stime are the 12th and 13th fields.
    return (int(fields[11]) + int(fields[12])) / _TICKS


def tree_seconds(pid: int) -> float:
    """CPU of ``pid`` and every live descendant (a Celery worker's pool children)."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        total += process_seconds(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending += [int(child) for child in task.read_text().split()]
            except OSError:
                continue
    return total


def reaped_children_seconds() -> float:
    """CPU of this process's children that have been waited for (a pool, a subprocess.run)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def own_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def elasticsearch_seconds(client: Any) -> float:
    """The node's whole process (indexing, merges, refreshes, GC), summed over the nodes."""
    nodes = client.nodes.stats(metric="process").body["nodes"]
    return sum(node["process"]["cpu"]["total_in_millis"] for node in nodes.values()) / 1000


def redis_seconds(client: Any) -> float:
    info = client.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


@dataclass
class Meter:
    """Snapshots of the services' and the worker's CPU; :meth:`since` gives the deltas."""

    es: Any
    redis: Any
    worker_pid: int

    def snapshot(self) -> dict[str, float]:
        main = process_seconds(self.worker_pid)
        # The main process takes messages from the broker and hands them to the pool's processes.
        return {"worker_main": main, "worker_pool": tree_seconds(self.worker_pid) - main,
                "elasticsearch": elasticsearch_seconds(self.es),
                "redis": redis_seconds(self.redis), "bench_process": own_seconds()}

    def since(self, before: dict[str, float]) -> dict[str, float]:
        now = self.snapshot()
        return {part: round(now[part] - before[part], 2) for part in now}
