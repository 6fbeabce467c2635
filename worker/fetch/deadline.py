"""A whole-response deadline that a slow server cannot stretch.

Socket timeouts bound each read, not the response: a server sending a byte every few seconds,
of its headers or of its body, keeps every read under the timeout and holds the worker for as
long as it likes. At the deadline a timer shuts the connection's socket down, so the blocked
read returns at once and the fetch fails as transient.
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType
from typing import TypeVar

Conn = TypeVar("Conn")


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._lock = threading.Lock()
        self._connections: list[object] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._timer.cancel()

    def watch(self, connection: Conn) -> Conn:
        """Cut ``connection`` off at the deadline (its socket exists only once it connects)."""
        with self._lock:
            self._connections.append(connection)
        return connection

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for connection in self._connections:
                sock = getattr(connection, "sock", None)
                if isinstance(sock, socket.socket):
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass  # closed already
