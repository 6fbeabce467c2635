"""robots.txt, fetched once per origin and cached in Redis for every worker."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.robotparser import RobotFileParser

import redis

from worker.fetch.errors import FetchError, Transient

TTL = 24 * 3600
_LOCAL_TTL = 60.0
_ALLOW_ALL = ""

# (origin) -> robots.txt text; "" when the site has none. Transient for a server/network error.
Loader = Callable[[str], str]


class Robots:
    def __init__(self, client: redis.Redis, namespace: str, user_agent: str, load: Loader) -> None:
        self._client = client
        self._namespace = namespace
        self._agent = user_agent
        self._load = load
        # Parsed rules per origin for a minute, so a batch does not re-parse for every page.
        self._local: dict[str, tuple[float, RobotFileParser]] = {}

    def _parser(self, origin: str, load: Loader | None = None) -> RobotFileParser:
        cached = self._local.get(origin)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        key = f"{self._namespace}:robots:{origin}"
        raw = self._client.get(key)
        if raw is None:
            text = (load or self._load)(origin)
            self._client.set(key, text, ex=TTL)
        else:
            text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        parser = RobotFileParser()
        parser.parse(text.splitlines())
        self._local[origin] = (time.monotonic() + _LOCAL_TTL, parser)
        return parser

    def allowed(self, origin: str, url: str, load: Loader | None = None) -> bool:
        """``load`` fetches the rules when they are not cached, in place of the default."""
        return self._parser(origin, load).can_fetch(self._agent, url)

    def crawl_delay(self, origin: str, load: Loader | None = None) -> float | None:
        delay = self._parser(origin, load).crawl_delay(self._agent)
        return float(delay) if delay is not None else None

    def sitemaps(self, origin: str) -> list[str]:
        return list(self._parser(origin).site_maps() or [])


def robots_text(status: int, body: bytes) -> str:
    """What a robots.txt answer means: 4xx is "no rules", 5xx is retried later."""
    if 200 <= status < 300:
        return body.decode("utf-8", "replace")
    if 400 <= status < 500:
        return _ALLOW_ALL
    raise Transient(f"robots.txt answered {status}")


__all__ = ["FetchError", "Loader", "Robots", "robots_text"]
