"""Same-origin checks for state-changing requests, on top of the CSRF token.

A browser sends ``Origin`` with every POST; ``Referer`` is the fallback for the few that strip
it. A request naming another origin, or naming none at all, is refused: a form on another
site cannot act with an operator's session even if it had a token.
"""

from __future__ import annotations

from urllib.parse import urlsplit

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower()


def same_origin(origin: str | None, referer: str | None, host_url: str) -> bool:
    ours = _origin_of(host_url)
    if origin:
        # "null" (a sandboxed frame, a data: page) is never ours.
        return origin.lower().rstrip("/") == ours
    if referer:
        return _origin_of(referer) == ours
    return False


def local_target(target: str | None, default: str, prefix: str = "/admin") -> str:
    """Where to go after sign-in: only a path inside the console, never another site."""
    if not target or not target.startswith(prefix) or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
