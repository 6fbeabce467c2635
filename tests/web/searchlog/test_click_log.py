"""Reader searches and clicks through the real app, Elasticsearch and Redis (rate limits):
they land in the log and the analytics count them; bots, the console and bad tokens are not
counted; a log that cannot be written still answers every search."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest

from indexer.searchlog.analytics import Analytics
from indexer.searchlog.names import SearchLogNames
from indexer.searchlog.periods import Window
from tests.indexer.searchlog.conftest import UNWRITABLE, unwritable

from .conftest import PAGES, READER

pytestmark = pytest.mark.integration

AS_READER = {"User-Agent": READER}


def _pings(page: str) -> list[str]:
    return [html.unescape(url) for url in re.findall(r' ping="([^"]+)"', page)]


def _log(es, app) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    from web import settings_of

    names = SearchLogNames(settings_of(app).index.prefix)
    answer = es.search(index=names.pattern, size=100, sort=[{"at": "asc"}], ignore_unavailable=True,
                       allow_no_indices=True)
    return [hit["_source"] for hit in answer.body["hits"]["hits"]]


def _analytics(es, app) -> Analytics:  # type: ignore[no-untyped-def]
    from web import settings_of

    return Analytics(es, SearchLogNames(settings_of(app).index.prefix))


def test_searches_and_clicks_land_in_the_log_and_the_analytics_count_them(es, log_app, settle) -> None:  # type: ignore[no-untyped-def]
    client = log_app.test_client()
    page = client.get("/?q=solar+farm", headers=AS_READER)
    assert page.status_code == 200
    links = _pings(page.get_data(as_text=True))
    assert len(links) == len(PAGES)
    # Every result link still goes straight to its article; the report rides beside it.
    direct = r'<a href="https://log\.example\.org/\d+" ping="/api/click\?t='
    assert re.search(direct, page.get_data(as_text=True))
    assert client.post(links[1], headers=AS_READER).status_code == 204
    assert client.get("/api/search?q=solar&page=2&size=5", headers=AS_READER).status_code == 200
    assert client.get("/api/search?q=zzyzx+quux", headers=AS_READER).status_code == 200
    settle(log_app)

    search, click, api, zero = _log(es, log_app)
    assert (search["event"], search["query"], search["total"], search["mode"]) == ("search", "solar farm",
                                                                                 len(PAGES), "lexical")
    assert [r["position"] for r in search["results"]] == list(range(1, len(PAGES) + 1))
    assert (click["event"], click["search_id"], click["position"]) == ("click", search["search_id"], 2)
    assert click["doc_id"] == search["results"][1]["id"] and click["visit_id"] == search["visit_id"]
    assert [r["position"] for r in api["results"]] == [6, 7]  # page 2 of five a page
    assert zero["total"] == 0 and zero["results"] == []

    window = Window.since("1d")
    analytics = _analytics(es, log_app)
    summary = analytics.summary(window)
    assert (summary.searches, summary.clicks, summary.clicked_searches, summary.zero_results) == (3, 1, 1, 1)
    assert summary.clicks_by_position == {2: 1}
    # The zero-result query shows in its list.
    assert [(r.query, r.zero_results) for r in analytics.zero_results(window)] == [("zzyzx quux", 1)]


def test_a_visit_is_a_random_cookie_and_do_not_track_gets_none(es, log_app, settle) -> None:  # type: ignore[no-untyped-def]
    client = log_app.test_client()
    first = client.get("/?q=solar", headers=AS_READER)
    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith("pagesift_visit=") and "HttpOnly" in cookie and "Max-Age=1800" in cookie
    client.get("/?q=grid", headers=AS_READER)
    private = log_app.test_client().get("/?q=panels", headers={**AS_READER, "Sec-GPC": "1"})
    assert "Set-Cookie" not in private.headers
    settle(log_app)
    one, two, untracked = _log(es, log_app)
    assert one["visit_id"] == two["visit_id"] == first.headers["Set-Cookie"].split(";")[0].split("=")[1]
    assert "visit_id" not in untracked


def test_bots_previews_and_prefetches_are_not_logged(es, log_app, settle) -> None:  # type: ignore[no-untyped-def]
    client = log_app.test_client()
    bot = client.get("/?q=solar", headers={"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"})
    # Nothing logged, so nothing to report clicks to.
    assert bot.status_code == 200 and _pings(bot.get_data(as_text=True)) == []
    client.get("/?q=solar", headers={**AS_READER, "Referer": "http://localhost/admin/curation/best-bets/new"})
    client.get("/?q=solar", headers={**AS_READER, "Sec-Purpose": "prefetch"})
    client.get("/api/search?q=solar", headers={"User-Agent": "python-requests/2.32"})
    client.get("/?q=counted", headers=AS_READER)
    settle(log_app)
    assert [e["query"] for e in _log(es, log_app)] == ["counted"]


def test_a_click_report_must_be_signed_by_this_app(es, log_app, make_app, settle) -> None:  # type: ignore[no-untyped-def]
    client = log_app.test_client()
    links = _pings(client.get("/?q=solar", headers=AS_READER).get_data(as_text=True))
    assert client.post("/api/click?t=forged", headers=AS_READER).status_code == 400
    tampered = links[0][:-3] + ("AAA" if not links[0].endswith("AAA") else "BBB")
    assert client.post(tampered, headers=AS_READER).status_code == 400
    other = make_app(log_app.extensions["pagesift_settings"].index.prefix, SECRET_KEY="another-secret")
    assert other.test_client().post(links[0], headers=AS_READER).status_code == 400
    settle(log_app)
    assert [e["event"] for e in _log(es, log_app)] == ["search"]


def test_a_click_report_posted_again_is_counted_once(es, log_app, settle) -> None:  # type: ignore[no-untyped-def]
    client = log_app.test_client()
    links = _pings(client.get("/?q=solar", headers=AS_READER).get_data(as_text=True))
    # A signed token is valid for a day: replayed (or the same result clicked again), it is one click.
    for _ in range(3):
        assert client.post(links[0], headers=AS_READER).status_code == 204
    assert client.post(links[1], headers=AS_READER).status_code == 204
    settle(log_app)
    assert [(e["event"], e.get("position")) for e in _log(es, log_app)] == [
        ("search", None), ("click", 1), ("click", 2)]
    summary = _analytics(es, log_app).summary(Window.since("1d"))
    assert (summary.clicks, summary.clicks_by_position) == (2, {1: 1, 2: 1})


def test_the_log_stores_a_query_in_its_normal_form(es, log_app, settle) -> None:  # type: ignore[no-untyped-def]
    client = log_app.test_client()
    client.get("/?q=%20%20Solar%20%20%20FARM%20", headers=AS_READER)
    links = _pings(client.get("/?q=SOLAR+farm", headers=AS_READER).get_data(as_text=True))
    client.post(links[0], headers=AS_READER)
    settle(log_app)
    assert [e["query"] for e in _log(es, log_app)] == ["solar farm", "solar farm", "solar farm"]
    assert [(r.query, r.searches, r.clicks) for r in _analytics(es, log_app).top(Window.since("1d"))] == [
        ("solar farm", 2, 1)]


@pytest.mark.parametrize("how", UNWRITABLE)
def test_searches_are_answered_while_the_log_cannot_be_written(es, log_app, settle, how: str) -> None:  # type: ignore[no-untyped-def]
    from web import settings_of

    client = log_app.test_client()
    assert client.get("/?q=solar", headers=AS_READER).status_code == 200
    settle(log_app)
    today = SearchLogNames(settings_of(log_app).index.prefix).daily(dt.datetime.now(dt.UTC))
    with unwritable(es, today, how):
        page = client.get("/?q=solar+farm", headers=AS_READER)
        api = client.get("/api/search?q=solar", headers=AS_READER)
        assert page.status_code == api.status_code == 200
        assert api.get_json()["total"] == len(PAGES)
        settle(log_app)
        # What an operator's alert sees: the refused events on /metrics.
        scraped = client.get("/metrics").get_data(as_text=True)
        assert 'pagesift_searchlog_events_total{outcome="written"} 1.0' in scraped
        assert 'pagesift_searchlog_events_total{outcome="failed"} 2.0' in scraped


def test_a_log_switched_off_logs_nothing_and_sets_no_cookie(es, log_corpus, make_app, settle) -> None:  # type: ignore[no-untyped-def]
    app = make_app(log_corpus, search_mode="lexical", searchlog_enabled=False)
    page = app.test_client().get("/?q=solar", headers=AS_READER)
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert _pings(page.get_data(as_text=True)) == []
    settle(app)
    assert _log(es, app) == []


def test_the_log_records_the_mode_that_answered(es, log_corpus: str, make_app, settle) -> None:  # type: ignore[no-untyped-def]
    # A hybrid app answers exact matches lexically: the log says so, not what was asked.
    from tests.indexer.searchlog.conftest import delete_log

    delete_log(es, log_corpus)
    app = make_app(log_corpus, search_mode="hybrid", searchlog_flush_seconds=0.05)
    try:
        client = app.test_client()
        asked = client.get("/api/search?q=solar+farm&exact=1", headers=AS_READER).get_json()
        answered = client.get("/api/search?q=solar+farm", headers=AS_READER).get_json()["mode"]
        settle(app)
        exact, plain = _log(es, app)
        assert (exact["exact"], exact["mode"], asked["mode"]) == (True, "lexical", "lexical")
        assert plain["mode"] == answered
    finally:
        delete_log(es, log_corpus)


def test_one_address_is_one_reader_whatever_cookies_it_sends(es, log_app, settle) -> None:  # type: ignore[no-untyped-def]
    """Five cookieless searches from one address are five visits but one reader; a second
    address (or a second browser at the same address) is a second reader."""
    for _ in range(5):
        fresh = log_app.test_client()  # no cookie: a new visit each time
        assert fresh.get("/?q=solar+farm", headers=AS_READER).status_code == 200
    other = log_app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert other.get("/?q=solar+farm", headers=AS_READER).status_code == 200
    settle(log_app)
    logged = _log(es, log_app)
    assert len({e["visit_id"] for e in logged}) == 6
    assert len({e["reader"] for e in logged}) == 2
    assert all(len(e["reader"]) == 32 and "192.0.2.7" not in str(e) for e in logged)


def _deferred(page: str) -> str:
    found = re.search(r'data-log="([^"]+)"', page)
    assert found, "the typed search carries its signed record"
    return html.unescape(found.group(1))


def test_searches_typed_over_are_not_logged_and_the_one_read_is_once(es, log_app, settle) -> None:  # type: ignore[no-untyped-def]
    """What search.js sends as the reader types: "sol" and "sola" are typed over (never logged),
    "solar" is read, its record posted back once the reader stays (twice: still one search), and
    a click on its results names it. A search that is not typed (a tick, Enter) is logged at once."""
    client = log_app.test_client()
    typing = {**AS_READER, "X-Pagesift-Typing": "1"}
    records, pages = {}, {}
    for q in ("sol", "sola", "solar"):
        answer = client.get(f"/search/results?q={q}", headers=typing)
        assert answer.status_code == 200
        pages[q] = answer.get_data(as_text=True)
        records[q] = _deferred(pages[q])
    click = _pings(pages["solar"])[0]
    assert client.post(records["solar"], headers=AS_READER).status_code == 204
    assert client.post(records["solar"], headers=AS_READER).status_code == 204
    assert client.post(click, headers=AS_READER).status_code == 204
    assert client.post("/api/searched?t=forged", headers=AS_READER).status_code == 400
    ticked = client.get("/search/results?q=solar&category=Energy", headers=AS_READER).get_data(as_text=True)
    assert "data-log" not in ticked
    settle(log_app)

    events = _log(es, log_app)
    searches = [e for e in events if e["event"] == "search"]
    assert [s["query"] for s in searches] == ["solar", "solar"]
    assert searches[0]["filters"] == [] and searches[1]["filters"] == ["category:Energy"]
    assert searches[0]["total"] > 0 and searches[0]["results"]
    clicks = [e for e in events if e["event"] == "click"]
    assert len(clicks) == 1 and clicks[0]["search_id"] == searches[0]["search_id"]


def test_a_corrected_search_is_logged_as_its_correction_with_the_words_typed(es, log_app, settle) -> None:  # type: ignore[no-untyped-def]
    client = log_app.test_client()
    assert client.get("/api/search?q=Solar+panles", headers=AS_READER).status_code == 200
    assert client.get("/api/search?q=solar+panles&spell=0", headers=AS_READER).status_code == 200
    settle(log_app)
    corrected, typed = _log(es, log_app)
    assert (corrected["query"], corrected["corrected_from"]) == ("solar panels", "solar panles")
    assert corrected["total"] == len(PAGES)
    assert typed["query"] == "solar panles" and "corrected_from" not in typed
