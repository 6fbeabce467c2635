"""Per-host politeness shared by every worker process through Redis.

Each host has a "next allowed time" key. Reserving a slot is one atomic script on Redis's own
clock, so two workers on two machines can never both take the same instant.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

import redis

# Returns how long the caller waits (seconds, as a string: Lua numbers lose decimals in replies).
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local delay = tonumber(ARGV[1])
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local nxt = slot + delay
redis.call('SET', KEYS[1], string.format('%.6f', nxt), 'PX', math.ceil((nxt - now) * 1000) + 1000)
return string.format('%.6f', slot - now)
"""

# Pushes the next allowed time out to now + ARGV[1] unless it is already later (Retry-After).
_DEFER = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local nxt = math.max(now + tonumber(ARGV[1]), tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], string.format('%.6f', nxt), 'PX', math.ceil((nxt - now) * 1000) + 1000)
return 1
"""

MAX_CRAWL_DELAY = 30.0
MAX_RETRY_AFTER = 3600.0


def parse_host_delays(entries: Iterable[str]) -> dict[str, float]:
    """``host[:port]=seconds`` entries as a dict; ValueError names a malformed entry."""
    delays: dict[str, float] = {}
    for entry in entries:
        host, sep, seconds = entry.rpartition("=")
        if not sep or not host.strip():
            raise ValueError(f"per-host delay {entry!r} is not host[:port]=seconds")
        delays[host.strip().lower()] = float(seconds)
    return delays


class Politeness:
    def __init__(self, client: redis.Redis, namespace: str, default: float,
                 per_host: dict[str, float] | None = None) -> None:
        self._client = client
        self._namespace = namespace
        self._default = default
        self._per_host = per_host or {}
        self._reserve = client.register_script(_RESERVE)
        self._defer = client.register_script(_DEFER)

    def delay_for(self, host_port: str, crawl_delay: float | None = None) -> float:
        """The operator's per-host setting wins; otherwise the default, raised by Crawl-delay."""
        host = host_port.rsplit(":", 1)[0] if host_port.count(":") == 1 else host_port
        for key in (host_port, host):
            if key in self._per_host:
                return self._per_host[key]
        return max(self._default, min(crawl_delay or 0.0, MAX_CRAWL_DELAY))

    def _key(self, host_port: str) -> str:
        return f"{self._namespace}:polite:{host_port}"

    def wait(self, host_port: str, delay: float) -> float:
        """Take the host's next slot and sleep until it; returns the seconds slept."""
        if delay <= 0 and not self._client.exists(self._key(host_port)):
            return 0.0
        waited = float(self._reserve(keys=[self._key(host_port)], args=[max(delay, 0.0)]))
        if waited > 0:
            time.sleep(waited)
        return waited

    def defer(self, host_port: str, seconds: float) -> None:
        """Keep every worker off ``host_port`` for ``seconds`` (a Retry-After answer)."""
        self._defer(keys=[self._key(host_port)], args=[min(max(seconds, 0.0), MAX_RETRY_AFTER)])
