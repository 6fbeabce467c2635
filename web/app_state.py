"""What the app builds once and keeps: clients, caches, writers. Built on first use (nothing
connects at import or at create_app), one builder at a time, kept in ``app.extensions``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app

T = TypeVar("T")
_lock = threading.Lock()


def kept(key: str, build: Callable[[Flask], T], app: Flask | None = None) -> T:
    """``app``'s (the current app's) value under ``key``, built by ``build(app)`` the first time."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    value: Any = app.extensions.get(key)
    if value is None:
        with _lock:
            value = app.extensions.get(key)
            if value is None:
                value = build(app)
                app.extensions[key] = value
    return value
