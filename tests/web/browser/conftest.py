"""A real server on an ephemeral port, and pages of Debian's chromium driven through Playwright
(the `browser` itself is in tests/web/conftest.py, shared with the console's browser tests)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"


@pytest.fixture(scope="session")
def live_url(web_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, web_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


class Watch:
    """Every dialog (alert/confirm/prompt) and console error a page produced."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []

    def attach(self, page) -> None:  # type: ignore[no-untyped-def]
        def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))


def _page(browser, request, *, javascript: bool):  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1200, "height": 900},
                                  locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch = Watch()
    watch.attach(page)
    page.watch = watch
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def page(browser, request):  # type: ignore[no-untyped-def]
    yield from _page(browser, request, javascript=True)


@pytest.fixture
def page_nojs(browser, request):  # type: ignore[no-untyped-def]
    yield from _page(browser, request, javascript=False)
