"""The sample site's server over real HTTP on a free loopback port."""

from __future__ import annotations

import email.utils
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from pagesift.stack import sample_site
from pagesift.stack.process import port_in_use, wait_until
from samples import serve, site

pytestmark = pytest.mark.integration


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with _opener.open(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def base(built_site) -> Iterator[str]:
    _, out = built_site
    server = serve.make_server(out, 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_conditional_requests_answer_304(base):
    status, headers, body = _get(base + "/")
    assert status == 200 and body.startswith(b"<!DOCTYPE html>")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    etag, last_modified = headers["ETag"], headers["Last-Modified"]
    assert _get(base + "/", **{"If-None-Match": etag})[0] == 304
    assert _get(base + "/", **{"If-Modified-Since": last_modified})[0] == 304
    assert _get(base + "/", **{"If-None-Match": '"something-else"'})[0] == 200
    earlier = email.utils.formatdate(email.utils.parsedate_to_datetime(last_modified).timestamp() - 60,
                                     usegmt=True)
    assert _get(base + "/", **{"If-Modified-Since": earlier})[0] == 200


def test_windows_1256_pages_are_sent_with_their_charset(base, built_site):
    report, _ = built_site
    legacy = next(a for a in report.plan.articles if a.encoding == "windows-1256")
    status, headers, body = _get(base + legacy.path)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=windows-1256"
    assert legacy.title.replace("ی", "ي") in body.decode("cp1256")


def test_manifest_is_hidden_and_directories_redirect(base, built_site):
    report, _ = built_site
    assert _get(base + "/" + site.MANIFEST)[0] == 404
    assert _get(base + "/no/such/page/")[0] == 404
    status, headers, _ = _get(base + report.plan.articles[0].path.rstrip("/"))
    assert status == 301 and headers["Location"].endswith("/")
    status, headers, _ = _get(base + "/sitemap.xml")
    assert status == 200 and headers["Content-Type"] == "application/xml"


def test_background_server_starts_and_stops(built_site, tmp_path: Path):
    _, out = built_site
    server = serve.make_server(out, 0)  # borrow a free port number, then free it
    port = server.server_address[1]
    server.server_close()
    pid = sample_site.start(tmp_path, out, port)
    try:
        assert sample_site.start(tmp_path, out, port) == pid
        assert _get(f"http://127.0.0.1:{port}/robots.txt")[0] == 200
    finally:
        assert sample_site.stop(tmp_path, port)
    # The listener is gone once the process is; allow the kernel a moment to close it.
    assert wait_until(lambda: not port_in_use(port), 5)
    assert not sample_site.stop(tmp_path, port)
