"""Autocomplete offers past queries (real Elasticsearch and Redis): frequent ones that found
results, never one that showed a page since taken down, never one editors blocked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import PAGES, READER, delete_log

pytestmark = pytest.mark.integration


@pytest.fixture
def app(es, index_corpus, make_app, unique_name: str) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    # A corpus of its own: the takedown below removes one of its pages.
    for prefix in index_corpus(PAGES[:3], "slsug"):
        app = make_app(prefix, search_mode="lexical", searchlog_flush_seconds=0.05,
                       redis_namespace=unique_name, searchlog_suggest_min_count=2)
        yield app
        delete_log(es, prefix)


def _suggest(app, q: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    answer = app.test_client().get(f"/api/suggest?q={q}", headers={"User-Agent": READER})
    assert answer.status_code == 200
    return list(answer.get_json()["suggestions"])


def test_past_queries_are_offered_until_a_page_they_showed_is_taken_down(app, es, settle) -> None:  # type: ignore[no-untyped-def]
    from indexer.index import takedown_list
    from indexer.index.names import IndexNames
    from web import settings_of
    from web.admin import services

    client = app.test_client()
    for q in ("solar farm", "Solar farm", "solar panels", "solarzzz", "solarzzz"):
        assert client.get(f"/?q={q}", headers={"User-Agent": READER}).status_code == 200
    settle(app)
    offered = _suggest(app, "sol")
    # Searched twice with results; "solar panels" once only; "solarzzz" found nothing.
    assert offered[0] == {"title": "solar farm", "url": None}
    assert [s["title"] for s in offered if s["url"] is None] == ["solar farm"]
    assert any(s["url"] for s in offered)  # article titles follow

    settings = settings_of(app)
    takedown_list.remove(es, IndexNames(settings.index.prefix), services.store(app), settings.redis.namespace,
                         PAGES[0]["url"], "test", by="test")
    assert [s for s in _suggest(app, "sol") if s["url"] is None] == []


def test_blocked_words_are_never_offered(app, settle) -> None:  # type: ignore[no-untyped-def]
    from indexer.searchlog import blocklist
    from web import settings_of
    from web.admin import services

    client = app.test_client()
    for _ in range(2):
        client.get("/?q=solar+farm+report", headers={"User-Agent": READER})
    settle(app)
    assert {"title": "solar farm report", "url": None} in _suggest(app, "solar f")
    blocklist.add(services.store(app), settings_of(app).redis.namespace, "Farm Report", by="test")
    assert [s for s in _suggest(app, "solar f") if s["url"] is None] == []
