"""Session-wide fixtures for the real services.

`make test` starts Elasticsearch and Redis under a test home and test ports before pytest
runs. Without them, integration tests skip locally; with CI=true they fail, so a broken set-up
can never pass as a green run.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer import config
from indexer.config import Settings
from tests.indices import drop_prefix

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _missing(what: str) -> None:
    message = f"{what} is not reachable; run `make test` (it starts the test services)"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return config.load()


@pytest.fixture(scope="session")
def es(settings: Settings):  # type: ignore[no-untyped-def]
    from indexer.es import make_client

    client = make_client(settings.es, timeout=30)
    if not client.ping():
        _missing(f"Elasticsearch at {settings.es.url}")
    yield client
    _sweep_search_logs(client)
    client.close()


# Longer than a test app's log writer waits before a bulk write (PAGESIFT_SEARCHLOG_FLUSH_SECONDS).
WRITERS_FLUSHED_S = 2.0


def _sweep_search_logs(client) -> None:  # type: ignore[no-untyped-def]
    """The search logs test apps wrote. A fixture deleting its corpus deletes its log too, but an
    app's writer flushes from a thread of its own, up to a second later, and may make the day's
    index again: so once more at the end, when every writer has flushed. Only ``test-`` names."""
    time.sleep(WRITERS_FLUSHED_S)
    quiet = client.options(ignore_status=404)
    for index in quiet.indices.get(index="test-*-searchlog-*", expand_wildcards="all").body:
        quiet.indices.delete(index=index)
    templates = quiet.indices.get_index_template(name="test-*-searchlog-template").body
    for template in templates.get("index_templates", []):
        quiet.indices.delete_index_template(name=template["name"])


@pytest.fixture(scope="session")
def redis_client(settings: Settings):  # type: ignore[no-untyped-def]
    import redis

    client = redis.Redis.from_url(settings.redis.url)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        _missing(f"Redis at {settings.redis.url}")
    yield client
    client.close()


@pytest.fixture
def unique_name() -> str:
    """A fresh lower-case name for indices, aliases and key prefixes of one test."""
    return f"test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def index_cleanup(es) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """Append index names or patterns; they are deleted after the test.

    Patterns are expanded here because Elasticsearch 8 refuses wildcard deletes
    (``action.destructive_requires_name`` defaults to true).
    """
    names: list[str] = []
    yield names
    delete_indices(es, names)


def delete_indices(es, patterns: list[str]) -> None:  # type: ignore[no-untyped-def]
    for pattern in patterns:
        found = es.options(ignore_status=404).indices.get(index=pattern, expand_wildcards="all")
        for name in found.body:
            if name not in {"error", "status"}:
                es.options(ignore_status=404).indices.delete(index=name)


RELEVANCE_FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "relevance")


@pytest.fixture(scope="session")
def judged_corpus(es) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """tests/fixtures/relevance/articles.json indexed under a prefix of its own (yielded);
    judgments.csv beside it judges queries on it."""
    import hashlib
    import json

    from indexer.index import lifecycle, mapping
    from indexer.index.bulk import BulkOptions
    from indexer.index.indexing import index_pages
    from indexer.index.names import IndexNames

    with open(os.path.join(RELEVANCE_FIXTURES, "articles.json"), encoding="utf-8") as handle:
        articles = json.load(handle)
    pages = [{"url": f"https://guides.example.org/{a['n']}", "title": a["title"], "content": a["content"],
              "categories": a["categories"], "tags": [], "authors": [], "language": a.get("language", "en"),
              "published": f"{a['year']}-05-01T09:00:00+00:00", "type": "post", "kind": "article",
              "content_hash": hashlib.sha256(a["content"].encode()).hexdigest()} for a in articles]
    names = IndexNames(f"test-rel-{uuid.uuid4().hex[:10]}")
    try:
        lifecycle.ensure_index(es, names, mapping.load())
        report = index_pages(es, names.write_alias, pages, BulkOptions())
        assert not report.failures, report.failures
        es.indices.refresh(index=names.read_alias)
        yield names.prefix
    finally:
        drop_prefix(es, names)


# The test WordPress's size: enough for every state and format and a second page of the REST
# API's listings (per_page 10 in the tests), small enough to fill in a few seconds.
WORDPRESS_POSTS = 70


@pytest.fixture(scope="session")
def wordpress(settings: Settings):  # type: ignore[no-untyped-def]
    """A real WordPress (Debian's, on a private MariaDB, served by ``php -S``), filled through
    its own API: an English site on Twenty Twenty-Three and a Persian (fa_IR) one; see
    pagesift/stack/wordpress_sample.py. ``wordpress.sites["en"].php(...)`` runs PHP inside it,
    ``.install_plugin(path)`` links and activates a plugin, ``wordpress.serve_theme("en", theme)``
    shows the same posts through another theme. Tests that change content change posts of their
    own (the planned ones are what other tests compare against)."""
    import shutil

    from pagesift.stack import wordpress_sample
    from samples.wordpress.text import catalog_prose

    missing = [b for b in ("php", "mariadbd", "mariadb-install-db")
               if not shutil.which(b, path="/usr/sbin:/usr/bin")]
    if missing or not os.path.isdir("/usr/share/wordpress"):
        _missing(f"WordPress ({', '.join(missing) or '/usr/share/wordpress'})")
    sample = wordpress_sample.start(settings.home, f"test-{os.getpid()}", catalog_prose(),
                                    posts=WORDPRESS_POSTS, ports=wordpress_sample.Ports.free())
    yield sample
    sample.remove()


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's chromium through Playwright, one for every browser test (the search page's, the
    console's, the WordPress plugin's): a second sync Playwright cannot start while one runs."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make setup installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()
