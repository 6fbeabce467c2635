"""The SSRF guard: which URLs may be fetched, and at which checked address."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from worker.fetch.addresses import IPAddress, refusal
from worker.fetch.errors import BadUrl, FetchError, Refused

SCHEMES = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Target:
    """A URL taken apart, with the address that was checked and will be connected to."""

    scheme: str
    host: str
    port: int
    path: str
    address: IPAddress

    @property
    def host_header(self) -> str:
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return shown if self.port == SCHEMES[self.scheme] else f"{shown}:{self.port}"

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host_header}"


def split(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path?query) of an http(s) URL; BadUrl or Refused otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadUrl(f"{url!r}: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise Refused(f"{url!r}: only http and https are fetched")
    if not parts.hostname:
        raise BadUrl(f"{url!r}: no host")
    if parts.username or parts.password:
        raise BadUrl(f"{url!r}: credentials in URLs are not sent")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname.lower().rstrip("."), port or SCHEMES[scheme], path


def _entry(entry: str) -> tuple[str, str]:
    """(host, port or "") of an allowlist entry: ``host``, ``host:port``, ``[v6]``, ``[v6]:port``."""
    entry = entry.strip().lower()
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        return host, rest.lstrip(":")
    if entry.count(":") == 1:
        host, _, port = entry.partition(":")
        return host, port
    return entry, ""


def _admits(entry: str, host: str, port: int) -> bool:
    entry_host, entry_port = _entry(entry)
    return entry_host == host and entry_port in ("", str(port))


def allowlisted(host: str, port: int, allowlist: Iterable[str]) -> bool:
    """Whether ``host:port`` is admitted by an allowlist entry (the host text, not its address)."""
    return any(_admits(entry, host, port) for entry in allowlist)


def scoped(source: str, allowlist: Iterable[str]) -> tuple[str, ...]:
    """The allowlist entries that admit ``source`` itself: the only ones a fetch that started
    there may use.

    The allowlist lets an operator crawl their own intranet site. Scoped to the source, it
    cannot be used by a public page (a redirect, a sitemap entry) to send the fetcher to that
    intranet site, nor by one allowlisted site to reach another.
    """
    try:
        _scheme, host, port, _path = split(source)
    except FetchError:
        return ()
    return tuple(entry for entry in allowlist if _admits(entry, host, port))


def foreign(url: str, source: str, allowlist: Iterable[str]) -> bool:
    """Whether ``url`` is on an allowlisted host that ``source`` does not stand on: reached
    from ``source``, it must be judged as any other host (and is refused if private)."""
    entries = tuple(allowlist)
    try:
        _scheme, host, port, _path = split(url)
    except FetchError:
        return False
    return allowlisted(host, port, entries) and not allowlisted(host, port, scoped(source, entries))


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the system resolver gives for ``host`` (it also reads numeric forms)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise BadUrl(f"cannot resolve {host!r}: {exc}") from exc
    seen: dict[IPAddress, None] = {}
    for _family, _type, _proto, _name, sockaddr in infos:
        seen[ipaddress.ip_address(str(sockaddr[0]).split("%")[0])] = None
    return list(seen)


def check(url: str, allowlist: Iterable[str] = ()) -> Target:
    """The target to connect to, or Refused when any resolved address is not public.

    Every address is checked, not only the first: a name resolving to a public and a private
    address is refused, so a resolver answering differently later cannot slip one through.
    """
    scheme, host, port, path = split(url)
    addresses = resolve(host, port)
    if not addresses:
        raise BadUrl(f"{host!r} has no address")
    if not allowlisted(host, port, allowlist):
        for address in addresses:
            reason = refusal(address)
            if reason:
                raise Refused(f"{url!r}: {host} resolves to {address}, {reason}")
    return Target(scheme, host, port, path, addresses[0])
