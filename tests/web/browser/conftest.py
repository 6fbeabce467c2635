"""A real server on an ephemeral port, and pages of Debian's chromium driven through Playwright
(the `browser` itself is in tests/web/conftest.py, shared with the console's browser tests).

Two corpora: the small one of tests/web/conftest.py (``live_url``) and GARDEN (``garden_url``),
made for the page's layout: more categories than a facet shows at first, years with none
between them, Persian pages, video and page types, lead images. The articles' own sites are
answered by the browser context (``route_sites``): the tests never leave the machine.
"""

from __future__ import annotations

import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
GARDEN_SITE = "https://garden.example.org"
IMAGE_SITE = "https://img.example.org"

GARDEN_CATEGORIES = ["Allotments", "Bees", "Compost", "Flowers", "Fruit", "Herbs", "Orchards", "Ponds",
                     "Seeds", "Soil", "Trees", "Vegetables"]
# Gaps on purpose: 2013, 2015-2016 and 2019-2020 have no article.
GARDEN_YEARS = [2012, 2014, 2017, 2018, 2021]
GARDEN_TITLES = [
    "Planning an allotment for the first spring", "Keeping bees in a small back garden",
    "Hot composting in eight weeks", "Cut flowers from one raised bed", "Pruning fruit bushes after harvest",
    "Herbs that survive a wet winter", "Orchard pruning for old apple trees", "Digging a wildlife pond",
    "Saving seeds from tomatoes", "Reading your soil by hand", "Planting bare-root trees in autumn",
    "Growing vegetables in containers", "Sharing an allotment with neighbours",
    "Swarm season for new beekeepers",
    "Leaf mould: the slow compost", "Sowing wildflower meadows", "Espalier fruit against a wall",
    "A kitchen herb spiral", "Orchard grass and spring bulbs", "Frogs and newts in the garden pond",
    "Seed swaps and community libraries", "No-dig beds on clay soil", "Hedges of native trees",
    "Winter vegetables for a cold frame", "Allotment paths that stay dry", "Bee-friendly borders all year",
    "Compost bins from old pallets", "Dahlias from tubers",
]
GARDEN_PERSIAN = [("باغچه کوچک در بالکن", "یادداشت هایی درباره باغچه و گل و سبزی در بالکن خانه."),
                  ("درختان میوه در پاییز", "کاشت درختان میوه و هرس در باغ در فصل پاییز.")]


def _garden_page(n: int, title: str, content: str, language: str = "en") -> dict[str, Any]:
    import hashlib

    category = GARDEN_CATEGORIES[n % len(GARDEN_CATEGORIES)]
    page = {"url": f"{GARDEN_SITE}/{n}/", "title": title, "content": content, "categories": [category],
            "tags": ["garden"], "authors": [f"Gardener {n % 4}"], "language": language,
            "published": f"{GARDEN_YEARS[n % len(GARDEN_YEARS)]}-{1 + n % 12:02d}-{1 + n % 27:02d}T08:00:00Z",
            "type": "video" if n % 7 == 0 else "page" if n % 5 == 0 else "post", "kind": "article",
            "content_hash": hashlib.sha256(content.encode()).hexdigest()}
    if n % 3 == 0:
        page["image"] = f"{IMAGE_SITE}/garden/{n}.png"
    return page


GARDEN: list[dict[str, Any]] = [
    *[_garden_page(n, title, f"{title}. Notes from the garden on {GARDEN_CATEGORIES[n % 12].lower()}, "
                             f"written after a season of trying it, number {n}.")
      for n, title in enumerate(GARDEN_TITLES)],
    *[_garden_page(len(GARDEN_TITLES) + i, title, content, "fa")
      for i, (title, content) in enumerate(GARDEN_PERSIAN)],
]


def png(width: int = 120, height: int = 90, rgb: tuple[int, int, int] = (96, 140, 80)) -> bytes:
    """A real, decodable PNG of one colour (no imaging library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def route_sites(context) -> None:  # type: ignore[no-untyped-def]
    """Answer the articles' sites and their images inside the browser: opening an article or
    loading a thumbnail is real browser behaviour, with no request leaving the machine."""
    image = png()

    def article(route) -> None:  # type: ignore[no-untyped-def]
        route.fulfill(status=200, content_type="text/html; charset=utf-8",
                      body=f"<!doctype html><title>Article</title><h1>Article at {route.request.url}</h1>")

    context.route(f"{GARDEN_SITE}/**", article)
    context.route("https://news.example.org/**", article)
    context.route(f"{IMAGE_SITE}/**",
                  lambda route: route.fulfill(status=200, content_type="image/png", body=image))


def _serve(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_url(web_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from _serve(web_app)


@pytest.fixture(scope="session")
def garden() -> list[dict[str, Any]]:
    return GARDEN


@pytest.fixture(scope="session")
def garden_url(index_corpus, make_app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    for prefix in index_corpus(GARDEN, "garden"):
        yield from _serve(make_app(prefix))


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


def _open(browser, *, javascript: bool, width: int, height: int):  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": height},
                                  locale="en-US", is_mobile=width < 600, has_touch=width < 600)
    route_sites(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    watch = Watch()
    watch.attach(page)
    page.watch = watch
    return context, page


def _page(browser, request, *, javascript: bool):  # type: ignore[no-untyped-def]
    context, page = _open(browser, javascript=javascript, width=1200, height=900)
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


@pytest.fixture
def open_page(browser, request) -> Iterator[Callable[..., Any]]:  # type: ignore[no-untyped-def]
    """``open_page(width=390, javascript=False)``: a page of its own context; each is saved as
    ``<test>-<width>[-nojs].png`` under tests/artifacts/browser/ when the test ends."""
    opened: list[tuple[Any, Any, str]] = []

    def open_(width: int = 1280, height: int | None = None, javascript: bool = True) -> Any:
        context, page = _open(browser, javascript=javascript, width=width,
                              height=height or (844 if width < 600 else 900))
        # Named by test and width (a test parametrized by width would say it twice otherwise).
        name = f"{request.node.originalname}-{width}{'' if javascript else '-nojs'}"
        if any(n == name for *_, n in opened):
            name = f"{name}-{len(opened)}"
        opened.append((context, page, name))
        return page

    yield open_
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for context, page, name in opened:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        context.close()
