"""Response headers that keep the browser from running or embedding anything we did not ship."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Flask, Response

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def content_security_policy(image_sources: Sequence[str] = (), frame_ancestors: str = "'none'") -> str:
    """Scripts and styles only from our own static files: no inline code, so HTML injected
    through an indexed page could not run even if it slipped past escaping. Thumbnails come
    from the articles' own sites, hence any https image, plus the configured extra sources
    (a site served over plain http, such as the demo's)."""
    return "; ".join((
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        " ".join(("img-src 'self' https: data:", *image_sources)),
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        f"frame-ancestors {frame_ancestors}",
    ))



def init_app(app: Flask, image_sources: Sequence[str] = ()) -> None:
    headers = {"Content-Security-Policy": content_security_policy(image_sources), **HEADERS}
    app.after_request(_secure_headers(headers))


def _secure_headers(headers: dict[str, str]) -> Callable[[Response], Response]:
    def apply(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response

    return apply
