"""Response headers that keep the browser from running or embedding anything we did not ship."""

from __future__ import annotations

from flask import Flask, Response

# Scripts and styles only from our own static files: no inline code, so HTML injected through
# an indexed page could not run even if it slipped past escaping. Thumbnails come from the
# articles' own sites, hence any https image.
CSP = "; ".join((
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' https: data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def init_app(app: Flask) -> None:
    app.after_request(_secure_headers)


def _secure_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response
