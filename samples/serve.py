"""The sample site's static server: loopback only, honest headers, conditional requests.

What it adds to :class:`http.server.SimpleHTTPRequestHandler`: the charset of each page in
``Content-Type`` (the windows-1256 pages say so, as a real server configured for them would),
an ``ETag`` from the content and ``304 Not Modified`` for ``If-None-Match`` or
``If-Modified-Since``, so that a re-ingest of an unchanged site transfers nothing. Dot-files
(the build manifest) are not served, and there are no directory listings.
"""

from __future__ import annotations

import email.utils
import hashlib
import io
import json
import sys
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from samples.site import MANIFEST

HOST = "127.0.0.1"


class SiteHandler(SimpleHTTPRequestHandler):
    server_version = "pagesift-sample/1"

    def __init__(self, *args: Any, charsets: _Charsets, quiet: bool = False, **kwargs: Any) -> None:
        self.charsets = charsets
        self.quiet = quiet
        self.extensions_map = {**self.extensions_map, ".svg": "image/svg+xml", ".xml": "application/xml"}
        super().__init__(*args, **kwargs)

    def send_head(self) -> Any:
        url_path = unquote(urlsplit(self.path).path)
        if any(part.startswith(".") for part in url_path.split("/")):
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        target = Path(self.translate_path(self.path))
        if target.is_dir():
            if not url_path.endswith("/"):
                return super().send_head()  # the parent answers 301 to the slashed URL
            target = target / "index.html"
        if not target.is_file():
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        data = target.read_bytes()
        modified = int(target.stat().st_mtime)
        etag = '"' + hashlib.sha1(data, usedforsecurity=False).hexdigest()[:24] + '"'
        status = HTTPStatus.NOT_MODIFIED if self._not_modified(etag, modified) else HTTPStatus.OK
        self.send_response(status)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", email.utils.formatdate(modified, usegmt=True))
        if status == HTTPStatus.NOT_MODIFIED:
            self.end_headers()
            return None
        self.send_header("Content-Type", self._content_type(target))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)

    def _not_modified(self, etag: str, modified: int) -> bool:
        # If-None-Match wins over If-Modified-Since when both are sent (RFC 9110, 13.2.2).
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in {tag.strip() for tag in if_none_match.split(",")} or if_none_match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since is None:
            return False
        try:
            parsed = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        return parsed is not None and modified <= parsed.timestamp()

    def _content_type(self, target: Path) -> str:
        kind = self.guess_type(str(target))
        if kind == "text/html":
            return f"text/html; charset={self.charsets.of(target)}"
        if kind.startswith("text/"):
            return f"{kind}; charset=utf-8"
        return kind

    def log_message(self, format: str, *args: Any) -> None:
        if not self.quiet:
            super().log_message(format, *args)


class _Charsets:
    """Charsets of the pages not in UTF-8, from the build manifest, re-read after a rebuild."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._stamp: float | None = None
        self._charsets: dict[str, str] = {}

    def of(self, target: Path) -> str:
        manifest = self.root / MANIFEST
        stamp = manifest.stat().st_mtime if manifest.exists() else None
        if stamp != self._stamp:
            self._stamp = stamp
            data = json.loads(manifest.read_text(encoding="utf-8")) if stamp is not None else {}
            self._charsets = dict(data.get("charsets", {}))
        relative = target.resolve().relative_to(self.root.resolve()).as_posix()
        return self._charsets.get(relative, "utf-8")


def make_server(directory: Path, port: int, quiet: bool = False) -> ThreadingHTTPServer:
    """A server for ``directory`` on 127.0.0.1:``port`` (0 picks a free port)."""
    if not (directory / "index.html").is_file():
        raise FileNotFoundError(f"{directory} holds no site: run `pagesift sample build` first")
    handler = partial(SiteHandler, directory=str(directory), charsets=_Charsets(directory), quiet=quiet)
    server = ThreadingHTTPServer((HOST, port), handler)
    server.daemon_threads = True
    return server


def serve_forever(directory: Path, port: int) -> None:
    server = make_server(directory, port)
    print(f"serving {directory} at http://{HOST}:{server.server_address[1]}/", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
