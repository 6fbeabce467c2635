"""CORS on the reader API: allowed origins get it on /api/search and /api/suggest, nobody else
and nothing else changes."""

from __future__ import annotations

import pytest

from indexer.config import ConfigError, load
from web import create_app

SITE = "https://news.example.org"
PREFLIGHT = {"Origin": SITE, "Access-Control-Request-Method": "GET"}


def _client(origins: tuple[str, ...] = (SITE,), **config: object):  # type: ignore[no-untyped-def]
    # Rate limits counted in memory: these answers need neither Redis nor Elasticsearch.
    return create_app({"cors_origins": origins, "TESTING": True,
                       "RATELIMIT_STORAGE_URI": "memory://", **config}).test_client()


@pytest.mark.unit
@pytest.mark.parametrize("path", ["/api/search", "/api/suggest"])
def test_preflight_from_an_allowed_origin_is_answered(path: str) -> None:
    response = _client().options(path, headers=PREFLIGHT)
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == SITE
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Max-Age"] == "86400"
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.unit
def test_preflights_do_not_use_up_the_readers_search_budget() -> None:
    client = _client(web_rate_limit="2/minute")
    for _ in range(4):
        assert client.options("/api/search", headers=PREFLIGHT).status_code == 204
    answer = client.get("/api/search", query_string={"q": "x" * 1001}, headers={"Origin": SITE})
    assert answer.status_code == 400  # refused for its length, not 429 for the preflights


@pytest.mark.unit
def test_other_origins_and_paths_get_no_cors_headers() -> None:
    client = _client()
    stranger = client.options("/api/search", headers={**PREFLIGHT, "Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in stranger.headers
    # The admin API and the page itself are never offered cross-origin, allowed origin or not.
    for path in ("/api/admin/jobs", "/api/related", "/"):
        answer = client.options(path, headers=PREFLIGHT)
        assert "Access-Control-Allow-Origin" not in answer.headers, path


@pytest.mark.unit
def test_an_error_answer_carries_the_header_so_the_page_can_read_why() -> None:
    # A query over the length limit is refused before Elasticsearch is asked.
    response = _client().get("/api/search", query_string={"q": "x" * 1001}, headers={"Origin": SITE})
    assert response.status_code == 400
    assert response.headers["Access-Control-Allow-Origin"] == SITE
    assert "Origin" in response.headers["Vary"]


@pytest.mark.unit
def test_without_allowed_origins_answers_are_as_before() -> None:
    response = _client(()).get("/api/search", query_string={"q": "x" * 1001}, headers={"Origin": SITE})
    assert not [h for h in response.headers.keys() if h.startswith("Access-Control")]
    assert "Vary" not in response.headers or "Origin" not in response.headers["Vary"]
    preflight = _client(()).options("/api/search", headers=PREFLIGHT)
    assert "Access-Control-Allow-Origin" not in preflight.headers


@pytest.mark.unit
@pytest.mark.parametrize("bad", ["https://example.org/", "example.org", "https://example.org/path"])
def test_an_origin_with_a_path_or_no_scheme_is_a_configuration_error(bad: str) -> None:
    with pytest.raises(ConfigError, match="PAGESIFT_CORS_ORIGINS"):
        load({"PAGESIFT_CORS_ORIGINS": bad})


@pytest.mark.integration
def test_a_real_search_answers_an_allowed_origin(make_app, corpus_prefix: str) -> None:  # type: ignore[no-untyped-def]
    client = make_app(corpus_prefix, cors_origins=(SITE,)).test_client()
    response = client.get("/api/search", query_string={"q": "energy"}, headers={"Origin": SITE})
    assert response.status_code == 200 and response.get_json()["total"] > 0
    assert response.headers["Access-Control-Allow-Origin"] == SITE
    suggest = client.get("/api/suggest", query_string={"q": "ener"}, headers={"Origin": SITE})
    assert suggest.status_code == 200
    assert suggest.headers["Access-Control-Allow-Origin"] == SITE
