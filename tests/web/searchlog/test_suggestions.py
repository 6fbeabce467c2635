"""Autocomplete offers past queries (real Elasticsearch and Redis): ones that found results
in several readers' visits, never one that showed a page since taken down, never one editors
blocked."""

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


def _search_in_new_visits(app, *queries: str, headers: dict[str, str] | None = None) -> None:  # type: ignore[no-untyped-def]
    """Each query from a reader of its own (a fresh client at an address of its own)."""
    for n, q in enumerate(queries, start=1):
        reader = app.test_client()
        reader.environ_base["REMOTE_ADDR"] = f"198.51.100.{n}"
        page = reader.get("/", query_string={"q": q}, headers={"User-Agent": READER, **(headers or {})})
        assert page.status_code == 200


def _past(app, q: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [s["title"] for s in _suggest(app, q) if s["url"] is None]


def _suggest(app, q: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    answer = app.test_client().get(f"/api/suggest?q={q}", headers={"User-Agent": READER})
    assert answer.status_code == 200
    return list(answer.get_json()["suggestions"])


def test_past_queries_are_offered_until_a_page_they_showed_is_taken_down(app, es, settle) -> None:  # type: ignore[no-untyped-def]
    from indexer.index import takedown_list
    from indexer.index.names import IndexNames
    from web import settings_of
    from web.admin import services

    _search_in_new_visits(app, "solar farm", "Solar farm", "solar panels", "solarzzz", "solarzzz")
    settle(app)
    offered = _suggest(app, "sol")
    # Searched in two visits with results; "solar panels" once only; "solarzzz" found nothing.
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

    _search_in_new_visits(app, "solar farm report", "solar farm report")
    settle(app)
    assert {"title": "solar farm report", "url": None} in _suggest(app, "solar f")
    blocklist.add(services.store(app), settings_of(app).redis.namespace, "Farm Report", by="test")
    assert [s for s in _suggest(app, "solar f") if s["url"] is None] == []


def test_one_reader_repeating_a_query_never_makes_it_a_suggestion(app, settle) -> None:  # type: ignore[no-untyped-def]
    reader = app.test_client()
    for _ in range(6):  # one visit, six searches: well past the two the setting asks for
        assert reader.get("/?q=solar+farm+secret", headers={"User-Agent": READER}).status_code == 200
    # Readers who send Do Not Track carry no visit id: together they count as one visit.
    _search_in_new_visits(app, "solar panels grid", "solar panels grid", headers={"DNT": "1"})
    settle(app)
    assert _past(app, "solar") == []
    _search_in_new_visits(app, "solar farm secret")  # a second reader
    settle(app)
    assert _past(app, "solar") == ["solar farm secret"]


def test_suggestions_compare_queries_in_the_form_the_log_stores_them(app, settle) -> None:  # type: ignore[no-untyped-def]
    # "ß" lower-cases to itself but case-folds to "ss": typed text and the log must agree.
    _search_in_new_visits(app, "Solar Straße", "solar STRASSE", "SOLAR  straße")
    settle(app)
    assert _past(app, "Solar Straß") == ["solar straße"]
    assert _past(app, "solar stras") == []  # "strasse" was searched once only
