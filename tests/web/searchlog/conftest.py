"""A small corpus under its own prefix (so its own search log), and apps over it whose log
starts empty for each test."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest

from tests.indexer.searchlog.conftest import delete_log

READER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _page(n: int, title: str, content: str) -> dict[str, Any]:
    return {"url": f"https://log.example.org/{n}", "title": title, "content": content,
            "categories": ["Energy"], "tags": [], "authors": [], "language": "en",
            "published": f"202{n % 5}-03-0{1 + n % 9}T09:00:00+00:00", "type": "post", "kind": "article",
            "content_hash": hashlib.sha256(content.encode()).hexdigest()}


PAGES = [_page(n, f"Solar farm report {n}", f"Solar panels on farm number {n} feed the grid.")
         for n in range(1, 8)]


@pytest.fixture(scope="module")
def log_corpus(index_corpus) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from index_corpus(PAGES, "slog")


@pytest.fixture
def log_app(es, log_corpus: str, make_app):  # type: ignore[no-untyped-def]
    """An app over the corpus, logging with a short flush, its log emptied before and after."""
    delete_log(es, log_corpus)
    app = make_app(log_corpus, search_mode="lexical", searchlog_flush_seconds=0.05, SECRET_KEY="test-secret")
    yield app
    delete_log(es, log_corpus)
