"""A small fixture corpus indexed once per session through pagesift's own indexing path, and
apps pointed at it. Expected counts in tests are computed from CORPUS, never typed in."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from indexer.config import Settings
from tests.indexer.searchlog.conftest import delete_log
from tests.indices import drop_prefix


def _page(n: int, title: str, content: str, *, categories: list[str], year: int, language: str = "en",
          type_: str = "post", tags: tuple[str, ...] = (), kind: str = "article",
          **extra: Any) -> dict[str, Any]:
    page = {"url": f"https://news.example.org/{n}", "title": title, "content": content,
            "categories": categories, "tags": list(tags), "authors": [f"Author {n % 3}"],
            "published": f"{year}-0{1 + n % 9}-1{n % 10}T09:00:00+00:00", "language": language,
            "type": type_, "kind": kind, "content_hash": hashlib.sha256(content.encode()).hexdigest()}
    page.update(extra)
    return page


_TOPICS = [("Energy", "solar panels and wind turbines feed the grid"),
           ("Events", "the town hall meeting on energy prices drew a crowd"),
           ("Opinion", "why energy savings matter more than new plants")]

CORPUS: list[dict[str, Any]] = [
    *[_page(i, f"Energy report number {i}", f"Report {i}: {_TOPICS[i % 3][1]}. Energy policy notes.",
            categories=[_TOPICS[i % 3][0]], year=2018 + i % 5, tags=("energy",),
            type_="post" if i % 4 else "page") for i in range(1, 25)],
    _page(30, "Community running club", "The club organises running events every week for all ages.",
          categories=["Events"], year=2022),
    _page(31, "Harvest festival in the valley", "Music, food and dancing for three days.",
          categories=["Events"], year=2021),
    _page(32, "Autumn markets", "Farmers bring the harvest to the square each Saturday.",
          categories=["News"], year=2021),
    # Written with Arabic kaf and yeh (ك ي); readers type the Persian forms (ک ی).
    _page(33, "كتاب تازه درباره انرژی خورشیدی", "اين كتاب درباره انرژی خورشیدی و باد در ايران است.",
          categories=["News"], year=2020, language="fa"),
    _page(34, "<script>alert('title')</script> Xssword notice",
          "Xssword body <img src=x onerror=alert(1)> and <script>alert(2)</script> text.",
          categories=["News"], year=2020, description="<svg onload=alert(3)>"),
    _page(35, "A listing of energy reports", "Energy report list page with links.",
          categories=["Energy"], year=2022, kind="listing"),
    # The same text as page 30 under another URL: a duplicate readers must not see.
    _page(36, "Community running club (copy)", "The club organises running events every week for all ages.",
          categories=["Events"], year=2022),
]


def visible(pages: list[dict[str, Any]] = CORPUS) -> list[dict[str, Any]]:
    """What readers may find: no listings, no later copies of the same text."""
    seen: set[str] = set()
    out = []
    for page in pages:
        if page["kind"] == "listing" or page["content_hash"] in seen:
            continue
        seen.add(page["content_hash"])
        out.append(page)
    return out


def indexed(es, pages: list[dict[str, Any]], label: str = "web") -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Index ``pages`` through pagesift's own indexing path under a fresh prefix; yield the
    prefix, then delete what was made (for session fixtures of other corpora too)."""
    from indexer.index import lifecycle, mapping
    from indexer.index.bulk import BulkOptions
    from indexer.index.indexing import index_pages
    from indexer.index.names import IndexNames

    names = IndexNames(f"test-{label}-{uuid.uuid4().hex[:10]}")
    try:
        lifecycle.ensure_index(es, names, mapping.load())
        report = index_pages(es, names.write_alias, pages, BulkOptions())
        assert not report.failures, report.failures
        es.indices.refresh(index=names.read_alias)
        yield names.prefix
    finally:
        drop_prefix(es, names)
        # And the search log an app over this corpus wrote (docs/analytics.md).
        delete_log(es, names.prefix)


@pytest.fixture(scope="session")
def corpus_prefix(es, settings: Settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from indexed(es, CORPUS)


@pytest.fixture(scope="session")
def index_corpus(es):  # type: ignore[no-untyped-def]
    """``index_corpus(pages, label)``: a generator as :func:`indexed`, for other test corpora."""
    return lambda pages, label: indexed(es, pages, label)


def _make_app(prefix: str, **overrides: Any):  # type: ignore[no-untyped-def]
    from web import create_app

    return create_app({"index_prefix": prefix, "TESTING": True, "RATELIMIT_ENABLED": False, **overrides})


@pytest.fixture(scope="session")
def make_app():  # type: ignore[no-untyped-def]
    """Build an app with overrides: ``make_app(prefix, es_url=..., RATELIMIT_ENABLED=True)``."""
    return _make_app


@pytest.fixture(scope="session")
def corpus() -> list[dict[str, Any]]:
    return CORPUS


@pytest.fixture(scope="session")
def readable() -> list[dict[str, Any]]:
    return visible(CORPUS)


@pytest.fixture(scope="session")
def web_app(corpus_prefix: str):  # type: ignore[no-untyped-def]
    return _make_app(corpus_prefix)


@pytest.fixture
def client(web_app):  # type: ignore[no-untyped-def]
    return web_app.test_client()


@pytest.fixture
def settle(es):  # type: ignore[no-untyped-def]
    """``settle(app)``: every event the app logged written and searchable."""
    def run(app) -> None:  # type: ignore[no-untyped-def]
        from indexer.searchlog.names import SearchLogNames
        from web import settings_of
        from web.searchlog import recording

        assert recording.writer(app).flush(10)
        es.options(ignore_status=404).indices.refresh(index=SearchLogNames(settings_of(app).index.prefix).pattern,
                                                      ignore_unavailable=True, allow_no_indices=True)
    return run
