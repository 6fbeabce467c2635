"""wrk, Debian's HTTP load generator, as a separate process: start it, stop it (or let its
duration run out), read back the statuses and the latency percentiles its Lua script prints.

Shared by the search-under-load benchmarks and the reliability suite's load scenarios.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

SCRIPT = Path(__file__).resolve().parents[1] / "wrk" / "search.lua"
MARK = "WRKJSON "


class WrkMissing(RuntimeError):
    """wrk is not installed."""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    statuses: dict[str, int]
    errors: dict[str, int]
    latency_ms: dict[str, float]
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> int:
        return sum(n for s, n in self.statuses.items() if s.startswith("2"))

    @property
    def failed(self) -> int:
        """Answers that were not 2xx, plus connections that broke or timed out."""
        socket_errors = sum(n for k, n in self.errors.items() if k != "status")
        return self.requests - self.ok + socket_errors

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        return {"requests": self.requests, "seconds": round(self.seconds, 1), "rps": round(self.rate, 1),
                "statuses": self.statuses, "errors": self.errors, "failed": self.failed,
                "latency_ms": self.latency_ms}


class WrkRun:
    """One wrk process against ``base_url``: ``stop()`` ends it early (SIGINT, as Ctrl-C)."""

    def __init__(self, base_url: str, queries: Iterable[str], *, connections: int, seconds: float,
                 threads: int = 2, timeout: float = 5.0, path: str = "/api/search") -> None:
        binary = shutil.which("wrk")
        if binary is None:
            raise WrkMissing("wrk is not installed: apt-get install -y wrk")
        self._queries = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
        self._queries.write("\n".join(quote_plus(q) for q in queries) + "\n")
        self._queries.close()
        argv = [binary, "-t", str(min(threads, connections)), "-c", str(connections),
                "-d", f"{int(seconds)}s", "--timeout", f"{max(1, round(timeout))}s",
                "-s", str(SCRIPT), base_url.rstrip("/")]
        env = {"WRK_QUERIES": self._queries.name, "WRK_PATH": path, "PATH": "/usr/bin:/bin"}
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env=env)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)

    def result(self, timeout: float | None = None) -> WrkResult:
        out, _ = self.proc.communicate(timeout=timeout)
        Path(self._queries.name).unlink(missing_ok=True)
        line = next((x for x in out.splitlines() if x.startswith(MARK)), None)
        if line is None:
            raise RuntimeError(f"wrk printed no result:\n{out[-2000:]}")
        data = json.loads(line[len(MARK):])
        lat = data["latency_us"]
        return WrkResult(requests=data["requests"], seconds=data["duration_us"] / 1e6,
                         statuses=dict(sorted(data["statuses"].items())), errors=data["errors"],
                         latency_ms={k: round(v / 1000, 1) for k, v in lat.items()}, raw=data)


def run(base_url: str, queries: Iterable[str], *, connections: int, seconds: float,
        **options: Any) -> WrkResult:
    """wrk for ``seconds`` with ``connections`` open connections, to the end."""
    return WrkRun(base_url, queries, connections=connections, seconds=seconds, **options).result()
