"""The app around the search: the page, safety headers, health, 503, 429, OpenAPI, OpenSearch."""

from __future__ import annotations

import re
import socket
import uuid

import pytest

pytestmark = pytest.mark.integration


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_page_shows_results_facets_and_count(client) -> None:
    response = client.get("/search", query_string={"q": "harvest"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'aria-live="polite"' in html and "2 results" in html
    # The link goes straight to the article; its click report rides in ping= (docs/analytics.md).
    assert re.search(r'<a href="https://news\.example\.org/31"(?: ping="/api/click\?t=[^"]+")?>'
                     r'<mark>Harvest</mark> festival in the valley</a>', html)
    assert 'name="category" value="Events"' in html


def test_page_keeps_state_in_the_form(client) -> None:
    html = client.get("/", query_string={"q": "energy", "exact": "1", "in": "title", "category": "Events",
                                         "sort": "oldest"}).get_data(as_text=True)
    assert 'name="exact" value="1" checked' in html
    assert 'name="in" value="title" checked' in html and 'name="in" value="content" >' in html
    assert 'value="Events" checked' in html and '<option value="oldest" selected>' in html


def test_persian_result_is_right_to_left(client) -> None:
    html = client.get("/", query_string={"q": "کتاب"}).get_data(as_text=True)
    assert 'lang="fa" dir="rtl"' in html


def test_no_results_page_offers_the_suggestion(client) -> None:
    # Exact mode searches the words as typed: the correction is only offered.
    html = client.get("/", query_string={"q": "harvset", "exact": "1"}).get_data(as_text=True)
    assert "No results for" in html and 'href="?q=harvest&amp;exact=1"' in html


def test_a_misspelt_search_shows_its_correction_and_offers_the_words_as_typed(client) -> None:
    html = client.get("/", query_string={"q": "harvset festivl"}).get_data(as_text=True)
    assert re.search(r'Showing results for <strong dir="auto">harvest festival</strong>\.\s+'
                     r'Search instead for <a href="\?q=harvset\+festivl&amp;spell=0" id="search-instead" '
                     r'dir="auto">harvset festivl</a>', html)
    assert "<mark>Harvest</mark> <mark>festival</mark> in the valley" in html  # the correction is marked
    typed = client.get("/", query_string={"q": "harvset festivl", "spell": "0"}).get_data(as_text=True)
    assert "No results for" in typed and "Showing results for" not in typed
    # The choice holds while filters change: the form carries it.
    assert '<input type="hidden" name="spell" value="0">' in typed


def test_a_persian_typo_is_corrected_in_the_letters_typed(client) -> None:
    # "خورشدی" drops a letter of "خورشیدی" (solar); the page is written with Arabic kaf and yeh.
    html = client.get("/", query_string={"q": "انرژی خورشدی"}).get_data(as_text=True)
    assert 'Showing results for <strong dir="auto">انرژی خورشیدی</strong>' in html
    assert 'href="https://news.example.org/33"' in html


def test_too_deep_is_a_clear_message_on_the_page(client) -> None:
    response = client.get("/", query_string={"q": "energy", "page": "5000"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Only the first 10,000 results" in html and 'id="q"' in html and "Traceback" not in html


def test_script_in_query_and_pages_is_escaped(client) -> None:
    html = client.get("/", query_string={"q": "<svg onload=alert(1)>"}).get_data(as_text=True)
    assert "<svg" not in html and "&lt;svg onload=alert(1)&gt;" in html
    html = client.get("/", query_string={"q": "xssword"}).get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html


def test_security_headers_on_page_and_api(client) -> None:
    for path in ("/", "/api/search?q=energy", "/healthz"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_healthz_reports_both_services(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "elasticsearch": "ok", "redis": "ok"}


def test_elasticsearch_down_is_503_with_a_plain_message(make_app, corpus_prefix: str) -> None:
    port = closed_port()
    client = make_app(corpus_prefix, es_url=f"http://127.0.0.1:{port}").test_client()
    api = client.get("/api/search", query_string={"q": "energy"})
    assert api.status_code == 503
    assert api.get_json()["error"] == "search_unavailable"
    page = client.get("/", query_string={"q": "energy"})
    assert page.status_code == 503 and "Search is unavailable" in page.get_data(as_text=True)
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["elasticsearch"] == "down"
    for response in (api, page, health):
        body = response.get_data(as_text=True)
        assert str(port) not in body and "Traceback" not in body


def test_rate_limit_answers_429_for_page_and_api_together(make_app, corpus_prefix, redis_client) -> None:
    prefix = f"test-limiter-{uuid.uuid4().hex[:8]}"
    app = make_app(corpus_prefix, RATELIMIT_ENABLED=True, RATELIMIT_KEY_PREFIX=prefix,
                   web_rate_limit="3/minute")
    client = app.test_client()
    try:
        assert client.get("/api/search?q=energy").status_code == 200
        assert client.get("/?q=energy").status_code == 200
        assert client.get("/api/search?q=energy").status_code == 200
        limited = client.get("/api/search?q=energy")
        assert limited.status_code == 429 and limited.get_json()["error"] == "rate_limited"
        assert limited.headers["Retry-After"] == "60"
        assert client.get("/?q=energy").status_code == 429
        assert client.get("/healthz").status_code == 200
    finally:
        keys = list(redis_client.scan_iter(f"*{prefix}*"))
        if keys:
            redis_client.delete(*keys)


def test_openapi_documents_every_route(client, web_app) -> None:
    doc = client.get("/api/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    served = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule) for rule in web_app.url_map.iter_rules()
              if rule.endpoint.startswith(("api.", "admin_api."))}
    assert served == set(doc["paths"])
    params = {p["name"] for p in doc["paths"]["/api/search"]["get"]["parameters"]}
    assert params == {"q", "category", "tag", "author", "type", "language", "year", "from", "to", "in",
                      "exact", "sort", "page", "size", "mode", "explain", "spell"}
    related = {p["name"] for p in doc["paths"]["/api/related"]["get"]["parameters"]}
    assert related == {"url", "size", "same_category", "q"}


def test_opensearch_description_points_at_the_page(client) -> None:
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    assert "/search?q={searchTerms}" in response.get_data(as_text=True)


def test_unknown_api_path_is_json(client) -> None:
    response = client.get("/api/nothing")
    assert response.status_code == 404 and set(response.get_json()) == {"error", "message"}


def test_empty_and_default_parameters_redirect_to_the_one_clean_url(client) -> None:
    response = client.get("/search?q=harvest&exact=0&in=&in=title&in=content&from=&to=&sort=relevance&page=1")
    assert response.status_code == 302 and response.headers["Location"] == "/search?q=harvest"
    assert client.get("/?q=&from=").headers["Location"] == "/"
    assert client.get("/?q=harvest&sort=newest&in=title").status_code == 200  # already clean
    # The API takes what it is given: its callers are programs, not address bars.
    assert client.get("/api/search?q=harvest&from=").status_code == 200


def test_links_the_page_builds_carry_no_empty_parameters(client) -> None:
    html = client.get("/", query_string={"q": "energy"}).get_data(as_text=True)
    hrefs = re.findall(r'href="(\?[^"]*)"', html)
    assert hrefs, "the page links to other states"
    for href in hrefs:
        pairs = [pair.partition("=") for pair in href[1:].replace("&amp;", "&").split("&")]
        assert all(value for _, _, value in pairs), href
        assert not any(name == "page" and value == "1" for name, _, value in pairs), href


def test_neither_field_ticked_is_said_and_both_are_searched(client, readable) -> None:
    response = client.get("/search?q=harvest&in=&from=")
    html = response.get_data(as_text=True)
    assert response.status_code == 200  # not redirected: the reader is told instead
    assert "Neither title nor content was ticked, so both were searched." in html
    assert 'name="in" value="title" checked' in html and 'name="in" value="content" checked' in html
    assert "2 results" in html


def test_a_page_past_the_last_says_so(client, readable) -> None:
    energy = [p for p in readable if "energy" in (p["title"] + " " + p["content"]).lower()]
    last = -(-len(energy) // 10)
    html = client.get("/", query_string={"q": "energy", "page": str(last + 3)}).get_data(as_text=True)
    assert f"There is no page {last + 3}" in html
    assert f'href="?q=energy&amp;page={last}" id="last-page"' in html
    assert 'class="hit"' not in html and 'class="pages"' not in html


def test_year_chart_shows_every_year_between_first_and_last(client, readable) -> None:
    html = client.get("/", query_string={"q": "energy", "year": ["2018", "2022"]}).get_data(as_text=True)
    years = sorted({int(p["published"][:4]) for p in readable if "energy" in p["content"].lower()})
    labels = re.findall(r'<span class="year"><span class="c">(\d\d)</span>(\d\d)</span>', html)
    shown = [int(century + year) for century, year in labels]
    assert shown == list(range(years[0], years[-1] + 1))


def test_language_and_type_values_read_as_words(client) -> None:
    html = client.get("/", query_string={"q": "energy"}).get_data(as_text=True)
    assert '<span class="value">English</span>' in html and '<span class="value">Article</span>' in html
    html = client.get("/", query_string={"q": "کتاب"}).get_data(as_text=True)
    assert 'Persian <span class="autonym" lang="fa" dir="rtl">فارسی</span>' in html
    assert '<span class="lang">Persian</span>' in html


def test_years_at_the_edges_are_answered_and_a_zero_led_year_is_refused(client, readable) -> None:
    edges = client.get("/", query_string={"q": "energy", "year": ["1000", "9999"]})
    assert edges.status_code == 200
    # Neither year has results: no chart of 9,000 empty bars, both still ticked to untick.
    assert 'class="year"' not in edges.get_data(as_text=True)
    api = client.get("/api/search", query_string={"q": "energy", "year": ["1000", "9999"]}).get_json()
    assert api["total"] == 0 and {v["value"] for v in api["facets"]["year"] if v["selected"]} == {1000, 9999}
    refused = client.get("/api/search", query_string={"q": "energy", "year": "0500"})
    assert refused.status_code == 400 and "four digits" in refused.get_json()["message"]
    one = client.get("/api/search", query_string={"year": "2021"}).get_json()
    assert one["total"] == sum(p["published"].startswith("2021") for p in readable)
