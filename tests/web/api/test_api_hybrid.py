"""The hybrid search and related articles through the web app, on an index whose vectors the
production indexing path computed: /api/search's mode and explain, /api/related, the related
page, the embeddable box's framing policy and the OpenAPI document."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from indexer import embedding
from indexer.index import lifecycle, mapping
from indexer.index.bulk import BulkOptions
from indexer.index.documents import document_id
from indexer.index.indexing import index_pages
from indexer.index.names import IndexNames
from indexer.query.related import MAX_SIZE
from tests.indices import drop_prefix
from tests.news import article

pytestmark = pytest.mark.integration

SITE = "https://news.example.org"
ORIGIN = "https://www.example.org"


def _article(slug: str, title: str, content: str, category: str) -> dict[str, Any]:
    return article(SITE, slug, title, content, category)


PRISON = _article("prison", "Protest leader sentenced to four years",
                  "The opposition activist was imprisoned after a short trial; her lawyers say the prison "
                  "conditions are harsh.", "World")
APPEAL = _article("appeal", "Activist appeals her prison sentence",
                  "Lawyers for the opposition activist lodged an appeal against the prison sentence after "
                  "the short trial.", "World")
PAGES = [
    PRISON, APPEAL,
    _article("reporter", "Reporter freed from prison",
             "The journalist was released from prison after the court dropped every charge.", "Politics"),
    _article("derby", "United win the derby in extra time",
             "The striker scored twice as the home side beat their rivals in the league match.", "Sport"),
    _article("soup", "A simple recipe for tomato soup",
             "Roast the tomatoes with garlic and onion, then blend with stock and basil.", "Food"),
    _article("flood", "River bursts its banks after heavy rain",
             "Flood water reached homes in the valley and residents were evacuated by boat.", "Local"),
    _article("hospital", "Hospital waiting lists grow longer",
             "Patients wait months for surgery as doctors and nurses struggle with demand.", "Health"),
    _article("concert", "Orchestra plays a sold-out concert",
             "The symphony performed to a full hall, with the violin soloist winning a standing ovation.",
             "Culture"),
]


@pytest.fixture(scope="module")
def prefix(es) -> Iterator[str]:  # type: ignore[no-untyped-def]
    names = IndexNames(f"test-webhyb-{uuid.uuid4().hex[:10]}")
    try:
        lifecycle.ensure_index(es, names, mapping.load())
        tally = index_pages(es, names.write_alias, PAGES, BulkOptions(),
                            embedder=embedding.load("wordllama:256"))
        assert tally.complete, tally.summary()
        es.indices.refresh(index=names.read_alias)
        yield names.prefix
    finally:
        drop_prefix(es, names)


@pytest.fixture(scope="module")
def app(prefix: str, make_app) -> Flask:  # type: ignore[no-untyped-def]
    return make_app(prefix, embedding_model="wordllama:256", search_mode="hybrid")


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def get(client: FlaskClient, path: str, **params: Any) -> tuple[int, Any]:
    response = client.get(path, query_string=params)
    return response.status_code, response.get_json()


# /api/search ---------------------------------------------------------------------------------

def test_hybrid_search_with_explain_answers_the_mode_and_each_hits_ranks(client: FlaskClient) -> None:
    status, body = get(client, "/api/search", q="jailed", mode="hybrid", explain=1)
    assert status == 200, body
    assert body["mode"] == "hybrid"
    assert body["hits"][0]["url"] == PRISON["url"] and body["total"] == len(body["hits"])
    why = body["hits"][0]["explain"]
    assert set(why) >= {"lexical_rank", "semantic_rank", "fused_score", "similarity"}
    # "jailed" is not in the article: only the vector side found it.
    assert why["lexical_rank"] is None and why["semantic_rank"] == 1 and why["similarity"] > 0
    # Without explain, no explanation.
    _, plain = get(client, "/api/search", q="jailed", mode="hybrid")
    assert plain["mode"] == "hybrid" and "explain" not in plain["hits"][0]


def test_the_site_default_is_hybrid_and_a_reader_can_ask_for_lexical(client: FlaskClient) -> None:
    _, default = get(client, "/api/search", q="jailed")
    assert default["mode"] == "hybrid" and default["total"] >= 1
    _, words = get(client, "/api/search", q="jailed", mode="lexical", explain=1)
    assert words["mode"] == "lexical" and words["total"] == 0
    _, worded = get(client, "/api/search", q="prison", mode="lexical", explain=1)
    assert [h["explain"]["lexical_rank"] for h in worded["hits"]] == list(range(1, len(worded["hits"]) + 1))


def test_exact_searches_stay_lexical_through_the_api(client: FlaskClient) -> None:
    status, body = get(client, "/api/search", q="jailed", mode="hybrid", exact=1)
    assert status == 200 and body["mode"] == "lexical" and body["total"] == 0


def test_a_model_that_does_not_load_leaves_searches_lexical_and_is_tried_once(
        prefix: str, make_app, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    client = make_app(prefix, embedding_model="nosuch:model", search_mode="hybrid").test_client()
    for q in ("prison", "prison sentence"):
        status, body = get(client, "/api/search", q=q)
        assert status == 200 and body["mode"] == "lexical" and body["total"] >= 1
    # Logged once, not at every search.
    assert sum("did not load" in r.getMessage() for r in caplog.records) == 1


@pytest.mark.parametrize("mode", ["bogus", "HYBRIDX", "semantic"])
def test_an_unknown_mode_is_a_400_that_names_the_modes(client: FlaskClient, mode: str) -> None:
    status, body = get(client, "/api/search", q="prison", mode=mode)
    assert status == 400
    assert set(body) == {"error", "message"} and body["error"] == "invalid_parameter"
    assert "mode" in body["message"] and "hybrid" in body["message"] and "lexical" in body["message"]


def test_explain_takes_only_a_flag(client: FlaskClient) -> None:
    status, body = get(client, "/api/search", q="prison", explain="maybe")
    assert status == 400 and "explain" in body["message"]


# /api/related --------------------------------------------------------------------------------

def test_related_answers_with_hits_never_the_article_itself(client: FlaskClient) -> None:
    status, body = get(client, "/api/related", url=PRISON["url"], size=3)
    assert status == 200, body
    assert body["url"] == PRISON["url"]
    assert 1 <= len(body["hits"]) <= 3
    urls = [hit["url"] for hit in body["hits"]]
    assert PRISON["url"] not in urls and APPEAL["url"] in urls
    assert {"id", "url", "title"} <= set(body["hits"][0])
    assert body["hits"][0]["id"] == document_id(body["hits"][0]["url"])


def test_related_within_the_category(client: FlaskClient) -> None:
    status, body = get(client, "/api/related", url=PRISON["url"], same_category=1, size=10)
    assert status == 200 and body["hits"]
    assert all(hit["categories"] == ["World"] for hit in body["hits"]), body["hits"]


def test_related_for_an_unknown_url_is_a_404(client: FlaskClient) -> None:
    status, body = get(client, "/api/related", url=f"{SITE}/never-written")
    assert status == 404
    assert set(body) == {"error", "message"} and "index" in body["message"]


@pytest.mark.parametrize(("params", "word"), [
    ({}, "url"),
    ({"url": ""}, "url"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"url": "news.example.org/prison"}, "url"),
    ({"url": "https://news.example.org/" + "x" * 1100}, "url"),
    ({"url": PRISON["url"], "size": MAX_SIZE + 1}, f"At most {MAX_SIZE}"),
    ({"url": PRISON["url"], "size": 0}, "size"),
    ({"url": PRISON["url"], "size": "many"}, "size"),
    ({"url": PRISON["url"], "same_category": "perhaps"}, "same_category"),
])
def test_related_refuses_bad_parameters_with_a_400(client: FlaskClient, params: dict[str, Any],
                                                   word: str) -> None:
    status, body = get(client, "/api/related", **params)
    assert status == 400, body
    assert set(body) == {"error", "message"} and word in body["message"]


@pytest.mark.parametrize("url", ["https://", "http:///path", "https://[::1"])
def test_related_refuses_a_url_that_is_not_an_address_with_a_400(client: FlaskClient, url: str) -> None:
    """Each passes the http(s) prefix check, but names no page: the reader's mistake (400), not
    the server's (500)."""
    status, body = get(client, "/api/related", url=url)
    assert status == 400, (status, body)
    assert "url" in body["message"]


# The related page and the embeddable box --------------------------------------------------------

def test_the_related_page_renders_the_articles(client: FlaskClient) -> None:
    response = client.get("/related", query_string={"url": PRISON["url"]})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert APPEAL["title"] in html and APPEAL["url"] in html
    assert f'href="{PRISON["url"]}"' in html  # "Articles like <the article>"
    assert client.get("/related", query_string={"url": f"{SITE}/never-written"}).status_code == 404
    assert client.get("/related").status_code == 400


def test_the_search_page_searches_by_meaning_and_links_each_hit_to_its_related_articles(
        client: FlaskClient) -> None:
    response = client.get("/", query_string={"q": "jailed"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert PRISON["title"] in html
    assert "/related?url=" in html
    lexical = client.get("/", query_string={"q": "jailed", "mode": "lexical"}).get_data(as_text=True)
    assert PRISON["title"] not in lexical


def test_the_embed_may_be_framed_by_no_one_by_default(client: FlaskClient) -> None:
    response = client.get("/embed/related", query_string={"url": PRISON["url"]})
    assert response.status_code == 200
    assert APPEAL["title"] in response.get_data(as_text=True)
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert response.headers.get("X-Frame-Options", "DENY") == "DENY"


def test_the_embed_may_be_framed_by_the_configured_origins(prefix: str, make_app) -> None:  # type: ignore[no-untyped-def]
    other = "https://blog.example.net"
    app = make_app(prefix, embed_origins=(ORIGIN, other))
    response = app.test_client().get("/embed/related", query_string={"url": PRISON["url"], "size": 2})
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert f"frame-ancestors {ORIGIN} {other}" in policy.split("; ")
    assert policy.count("frame-ancestors") == 1
    # The rest of the policy is the site's own.
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    # Its links open in the top window, not inside the frame.
    assert 'target="_top"' in response.get_data(as_text=True)
    # Only the embed may be framed: the search page still refuses every frame.
    page = app.test_client().get("/", query_string={"q": "prison"})
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_the_embed_setting_is_read_from_the_environment(prefix: str, monkeypatch: pytest.MonkeyPatch,
                                                        make_app) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PAGESIFT_EMBED_ORIGINS", ORIGIN)
    app = make_app(prefix)
    response = app.test_client().get("/embed/related", query_string={"url": PRISON["url"]})
    assert f"frame-ancestors {ORIGIN}" in response.headers["Content-Security-Policy"].split("; ")


# OpenAPI ---------------------------------------------------------------------------------------

def test_the_openapi_document_lists_related_and_the_hybrid_parameters(client: FlaskClient) -> None:
    status, doc = get(client, "/api/openapi.json")
    assert status == 200
    search = {p["name"]: p for p in doc["paths"]["/api/search"]["get"]["parameters"]}
    assert set(search["mode"]["schema"]["enum"]) == {"hybrid", "lexical"}
    assert search["explain"]["schema"]["enum"] == [0, 1]
    related = doc["paths"]["/api/related"]["get"]
    params = {p["name"]: p for p in related["parameters"]}
    assert params["url"]["required"] is True
    assert params["size"]["schema"]["maximum"] == MAX_SIZE
    assert "same_category" in params
    assert {"200", "400", "404"} <= set(related["responses"])
    # Every schema the paths refer to is defined.
    schemas = doc["components"]["schemas"]
    assert related["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1] \
        in schemas
