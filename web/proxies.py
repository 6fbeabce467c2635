"""Who the client is behind a reverse proxy: werkzeug's ProxyFix, for trusted peers only.

ProxyFix on its own believes ``X-Forwarded-For`` from anyone who can reach the app, so a
client could pick the address its rate limit is counted under. Here the headers are read only
when the connection comes from a configured proxy; from any other peer they are ignored and
the peer address is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING

from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedProxies:
    """The app behind ProxyFix (one hop: the proxy directly in front) for trusted peers."""

    def __init__(self, app: WSGIApplication, proxies: Iterable[str]) -> None:
        self._app = app
        self._fixed = ProxyFix(app, x_for=1, x_proto=1, x_host=1)
        self._networks: tuple[Network, ...] = tuple(ipaddress.ip_network(p, strict=False) for p in proxies)

    def trusted(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self._networks)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        # The response iterable is returned as it is: the server calls its close().
        app = self._fixed if self.trusted(environ.get("REMOTE_ADDR", "")) else self._app
        return app(environ, start_response)
