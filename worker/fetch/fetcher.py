"""Fetch one URL: guard, robots, politeness, a pinned connection, a bounded body."""

from __future__ import annotations

import email.utils
import functools
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import certifi
import redis
import urllib3
from urllib3.exceptions import HTTPError, SSLError

from indexer.clean.limits import PAGE_TYPES
from indexer.config import FetchSettings
from worker.fetch import body, ssrf
from worker.fetch.deadline import Deadline
from worker.fetch.errors import (
    FetchError,
    Gone,
    HostBusy,
    HttpStatus,
    NotHtml,
    RobotsDisallowed,
    TooLarge,
    TooManyRedirects,
    Transient,
)
from worker.fetch.politeness import Politeness, parse_host_delays
from worker.fetch.robots import Robots, robots_text

if TYPE_CHECKING:
    from urllib3._base_connection import BaseHTTPConnection, BaseHTTPSConnection

MAX_REDIRECTS = 5
SITEMAP_TYPES = ("text/xml", "application/xml", "text/plain", "application/gzip", "application/x-gzip",
                 "application/octet-stream")
_REDIRECTS = {301, 302, 303, 307, 308}
_BODY_CHUNK = 64 * 1024


@dataclass(frozen=True)
class FetchResult:
    url: str
    final_url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass
class _Pace:
    """How one fetch waits for politeness slots (see :meth:`Fetcher.fetch`)."""

    max_wait: float | None = None
    slot: float | None = None


class _HTTPPool(urllib3.HTTPConnectionPool):
    """A pool whose connections the response deadline can cut off."""

    deadline: Deadline

    def _new_conn(self) -> BaseHTTPConnection:
        return self.deadline.watch(super()._new_conn())


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    deadline: Deadline

    def _new_conn(self) -> BaseHTTPSConnection:
        return self.deadline.watch(super()._new_conn())


class Fetcher:
    def __init__(self, fetch: FetchSettings, namespace: str, client: redis.Redis) -> None:
        """``namespace``: the Redis key prefix politeness and robots.txt records share across workers."""
        self._allowlist = fetch.allowlist
        self._agent = fetch.user_agent
        self._cap = fetch.max_bytes
        self._connect_timeout = fetch.connect_timeout
        self._total_timeout = fetch.timeout
        self.politeness = Politeness(client, namespace, fetch.delay, parse_host_delays(fetch.host_delays))
        self.robots = Robots(client, namespace, fetch.user_agent, self._load_robots)

    @property
    def allowlist(self) -> tuple[str, ...]:
        return tuple(self._allowlist)

    def fetch(self, url: str, *, accept: tuple[str, ...] | None = PAGE_TYPES, etag: str | None = None,
              last_modified: str | None = None, source: str | None = None,
              max_wait: float | None = None, slot: float | None = None) -> FetchResult:
        """The page at ``url`` (after redirects), or a typed FetchError saying why not.

        ``etag``/``last_modified`` make the request conditional: an unchanged page answers 304
        and the result's ``not_modified`` is true. ``source`` is the job's source URL when it
        is not ``url`` itself: only allowlist entries admitting it are used (see ssrf.scoped).

        ``max_wait``: the longest the call may sleep for a host's politeness slot; a slot
        further off raises HostBusy, with the slot reserved, to be presented later as ``slot``.
        None sleeps as long as it takes (expanding a source, where there is no page to put off).
        """
        conditional = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        result = self._follow(url, conditional, obey_robots=True, source=source,
                              pace=_Pace(max_wait, slot))
        status = result.status
        if status == 304 or 200 <= status < 300:
            if status != 304 and accept and result.content_type and result.content_type not in accept:
                raise NotHtml(f"{result.final_url}: content-type {result.content_type}")
            return result
        if status in (404, 410):
            raise Gone(f"{result.final_url} answered {status}")
        if status in (429, 503) or status >= 500:
            raise Transient(f"{result.final_url} answered {status}",
                            retry_after=retry_after_seconds(result.headers.get("retry-after")))
        raise HttpStatus(f"{result.final_url} answered {status}")

    def _follow(self, url: str, extra: Mapping[str, str], *, obey_robots: bool,
                source: str | None = None, pace: _Pace | None = None) -> FetchResult:
        origin = source or url
        # Every hop is judged with the entries admitting where the fetch started, so a public
        # page redirecting to an allowlisted intranet host is refused like any private address.
        allowlist = ssrf.scoped(origin, self._allowlist)
        current, pace = url, pace or _Pace()
        for _hop in range(MAX_REDIRECTS + 1):
            target = self._check(current, origin, allowlist)
            host_port = f"{target.host}:{target.port}"
            crawl_delay = None
            if obey_robots:
                load = functools.partial(self._load_robots, max_wait=pace.max_wait)
                if not self.robots.allowed(target.origin, current, load):
                    raise RobotsDisallowed(f"{current} is disallowed by robots.txt")
                crawl_delay = self.robots.crawl_delay(target.origin, load)
            self._pause(host_port, self.politeness.delay_for(host_port, crawl_delay), pace, _hop == 0)
            status, headers, content = self._request(target, extra)
            if status in (429, 503):
                wait = retry_after_seconds(headers.get("retry-after"))
                if wait:
                    self.politeness.defer(host_port, wait)
            location = headers.get("location")
            if status in _REDIRECTS and location:
                current = urljoin(current, location)
                extra = {}
                continue
            return FetchResult(url, current, status, headers, content)
        raise TooManyRedirects(f"{url}: more than {MAX_REDIRECTS} redirects")

    def _pause(self, host_port: str, delay: float, pace: _Pace, first: bool) -> None:
        """Wait for the host's slot, or raise HostBusy when it is further off than allowed.
        A slot held from an earlier try is the first request's (the page's own host), so only
        that one is handed back to be held; a redirect hop takes a slot of its own each time."""
        slot = self.politeness.take(host_port, delay, pace.slot if first else None)
        if pace.max_wait is not None and slot.wait > pace.max_wait:
            raise HostBusy(f"{host_port}: next polite request slot in {slot.wait:.1f} s",
                           retry_after=slot.wait, slot=slot.at if first else None)
        if slot.wait > 0:
            time.sleep(slot.wait)

    def _check(self, url: str, origin: str, allowlist: tuple[str, ...]) -> ssrf.Target:
        try:
            return ssrf.check(url, allowlist)
        except ssrf.Refused as exc:
            if ssrf.foreign(url, origin, self._allowlist):
                raise ssrf.Refused(f"{url!r} is on an allowlisted host, admitted only for a job whose "
                                    f"source is on it, not reached from {origin}") from exc
            raise

    def _pool(self, target: ssrf.Target, deadline: Deadline) -> urllib3.HTTPConnectionPool:
        # Connect to the address the guard checked; the name goes only into Host and SNI, so
        # a second DNS answer (rebinding) never decides where the connection goes.
        timeout = urllib3.Timeout(connect=self._connect_timeout, read=self._total_timeout)
        pool: _HTTPPool | _HTTPSPool
        if target.scheme == "https":
            pool = _HTTPSPool(
                str(target.address), target.port, timeout=timeout, retries=False,
                server_hostname=target.host, assert_hostname=target.host,
                cert_reqs="CERT_REQUIRED", ca_certs=certifi.where())
        else:
            pool = _HTTPPool(str(target.address), target.port, timeout=timeout, retries=False)
        pool.deadline = deadline
        return pool

    def _request(self, target: ssrf.Target, extra: Mapping[str, str]) -> tuple[int, dict[str, str], bytes]:
        headers = {"Host": target.host_header, "User-Agent": self._agent,
                   "Accept-Encoding": "gzip, deflate", "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                   **extra}
        with Deadline(self._total_timeout) as deadline:
            pool = self._pool(target, deadline)
            late = Transient(f"{target.origin}: no whole response within {deadline.seconds:g} s "
                             "(PAGESIFT_FETCH_TIMEOUT)")
            try:
                answer = self._exchange(pool, target, headers)
            except (HTTPError, OSError) as exc:
                if deadline.expired:
                    raise late from exc
                if isinstance(exc, SSLError):
                    raise FetchError(f"{target.origin}: TLS failure: {exc}") from exc
                raise Transient(f"{target.origin}: {exc}") from exc
            finally:
                pool.close()
            if deadline.expired:
                # Cut off in its headers, a response can still parse (truncated): never kept.
                raise late
            return answer

    def _exchange(self, pool: urllib3.HTTPConnectionPool, target: ssrf.Target,
                  headers: Mapping[str, str]) -> tuple[int, dict[str, str], bytes]:
        response = pool.urlopen("GET", target.path, headers=headers, redirect=False, retries=False,
                                preload_content=False, decode_content=False)
        try:
            found = {k.lower(): v for k, v in response.headers.items()}
            encoding = found.get("content-encoding", "")
            declared = found.get("content-length", "")
            if not encoding and declared.isdigit() and int(declared) > self._cap:
                raise TooLarge(f"content-length {declared} is over {self._cap} bytes")
            content = body.decompress(response.stream(_BODY_CHUNK, decode_content=False), encoding, self._cap)
            return response.status, found, content
        finally:
            response.release_conn()

    def _load_robots(self, origin: str, max_wait: float | None = None) -> str:
        try:
            result = self._follow(f"{origin}/robots.txt", {}, obey_robots=False, pace=_Pace(max_wait))
        except (TooLarge, TooManyRedirects, ssrf.Refused):
            return ""
        return robots_text(result.status, result.body)

    def sitemap_urls_from_robots(self, origin: str) -> list[str]:
        """Sitemaps a site's robots.txt lists, made absolute."""
        return [urljoin(f"{origin}/", url.strip()) for url in self.robots.sitemaps(origin)]
