"""Per-host politeness shared by every worker process through Redis.

Each host has a "next allowed time" key, and a hold while the site has asked (Retry-After) for
a pause. Reserving a slot is one atomic script on Redis's own clock, so two workers on two
machines can never both take the same instant.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import redis

# KEYS: the host's next free time, its hold (Retry-After). ARGV: delay, held slot (0: none).
# Reserves the host's next slot for the caller and returns "wait slot" (seconds from now, and
# the slot on Redis's clock; strings, as Lua numbers lose decimals in replies). A slot reserved
# earlier and presented again is honoured, unless the site has asked for a pause past it.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local hold = tonumber(redis.call('GET', KEYS[2]) or '0')
local held = tonumber(ARGV[2])
if held > 0 and held >= hold then
  return string.format('%.6f %.6f', held - now, held)
end
local delay = tonumber(ARGV[1])
local slot = math.max(now, hold, tonumber(redis.call('GET', KEYS[1]) or '0'))
local nxt = slot + delay
redis.call('SET', KEYS[1], string.format('%.6f', nxt), 'PX', math.ceil((nxt - now) * 1000) + 1000)
return string.format('%.6f %.6f', slot - now, slot)
"""

# KEYS: the host's hold. Pushes it out to now + ARGV[1] unless it is already later.
_DEFER = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local until_ = math.max(now + tonumber(ARGV[1]), tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], string.format('%.6f', until_), 'PX', math.ceil((until_ - now) * 1000) + 1000)
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


@dataclass(frozen=True)
class Slot:
    """A host's request slot reserved for one caller: ``wait`` seconds from now (none when it
    is zero or less), at ``at`` on Redis's clock. A page put off until its slot carries ``at``
    and presents it when it comes back, so the queue of pages waiting for a host is the order
    their slots were taken in, not a race every time the host frees up."""

    wait: float
    at: float


class Politeness:
    def __init__(self, client: redis.Redis, namespace: str, default: float,
                 per_host: dict[str, float] | None = None) -> None:
        self._client = client
        self._namespace = namespace
        self._default = default
        self._per_host = per_host or {}
        self._take = client.register_script(_TAKE)
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

    def _hold_key(self, host_port: str) -> str:
        return f"{self._namespace}:polite-hold:{host_port}"

    def take(self, host_port: str, delay: float, held: float | None = None) -> Slot:
        """Reserve the host's next slot (``delay`` after the one before), or honour ``held``,
        one reserved earlier by the same caller."""
        reply = self._take(keys=[self._key(host_port), self._hold_key(host_port)],
                              args=[max(delay, 0.0), held or 0])
        text = reply.decode() if isinstance(reply, bytes) else str(reply)
        wait, at = (float(part) for part in text.split())
        return Slot(wait, at)

    def defer(self, host_port: str, seconds: float) -> None:
        """Keep every worker off ``host_port`` for ``seconds`` (a Retry-After answer), slots
        reserved before included."""
        self._defer(keys=[self._hold_key(host_port)], args=[min(max(seconds, 0.0), MAX_RETRY_AFTER)])
