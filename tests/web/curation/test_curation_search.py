"""Best bets and synonyms in reader searches, through the web app, on real Elasticsearch."""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from indexer.curation import store
from indexer.curation.best_bets import CONTAINS, BestBet, Pin, Target
from indexer.curation.synonyms import Synonym
from indexer.index.documents import document_id

pytestmark = pytest.mark.integration

SITE = "https://curation.example.org"


def _page(n: int, title: str, content: str, category: str = "News") -> dict[str, Any]:
    return {"url": f"{SITE}/{n}", "title": title, "content": content, "categories": [category],
            "tags": [], "authors": ["Ana"], "published": f"2024-0{1 + n % 9}-1{n % 10}T09:00:00+00:00",
            "language": "en", "type": "post", "kind": "article",
            "content_hash": hashlib.sha256(content.encode()).hexdigest()}


CORPUS = [
    _page(1, "Reporter imprisoned after trial", "The reporter was imprisoned for two years."),
    _page(2, "Council approves the budget", "The council approved the budget for the schools."),
    _page(3, "Storm brings an outage", "An outage left the valley dark for a night."),
    _page(4, "Ferry timetable for the summer", "The river ferry runs every hour.", "Transport"),
    _page(5, "School budget cuts", "Budget cuts reach the school.", "Education"),
    *[_page(n, f"Budget note {n}", f"Budget note number {n} for the district.") for n in range(10, 22)],
]
BUDGET_PAGES = [p for p in CORPUS if "budget" in (p["title"] + p["content"]).lower()]


def url(n: int) -> str:
    return f"{SITE}/{n}"


@pytest.fixture(scope="module")
def prefix(index_corpus) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from index_corpus(CORPUS, "curation")


# Both ways the site can rank: the curation applies to either.
@pytest.fixture(params=["lexical", "hybrid"])
def app(make_app, prefix: str, es, request) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    app = make_app(prefix, curation_cache_seconds=1.0, search_mode=request.param)
    yield app
    es.options(ignore_status=404).indices.delete(index=store.index_name(prefix))


def search(app: Any, **params: Any) -> dict[str, Any]:
    response = app.test_client().get("/api/search", query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def urls(body: dict[str, Any]) -> list[str]:
    return [hit["url"] for hit in body["hits"]]


def save(es: Any, prefix: str, app: Any, **kw: Any) -> BestBet:  # type: ignore[no-untyped-def]
    from web import curation

    saved = store.save_best_bet(es, prefix, BestBet(id="", **kw), by="test")
    curation.cache(app).reload()
    return saved


def pin(n: int, position: int) -> Pin:
    return Pin(document_id(url(n)), url(n), position)


def test_a_best_bet_pins_and_hides_within_its_dates_only(app, es, prefix: str) -> None:  # type: ignore[no-untyped-def]
    before = search(app, q="budget", size=5)
    assert url(2) in urls(search(app, q="budget", size=50))
    now = datetime.now(UTC)
    save(es, prefix, app, query="Budget", pins=(pin(4, 1),), hidden=(Target(document_id(url(2)), url(2)),),
         starts=now - timedelta(hours=1), ends=now + timedelta(hours=1), note="ferry season")
    first = search(app, q="budget", size=5)
    assert urls(first)[0] == url(4)  # the ferry does not say "budget": pinned all the same
    assert first["total"] == before["total"] - 1 + 1  # one hidden, one pinned
    every = [u for page in range(1, 5) for u in urls(search(app, q="budget", size=5, page=page))]
    assert every.count(url(4)) == 1 and url(2) not in every
    assert len(every) == first["total"] == len(set(every))
    # The same rule out of its dates does nothing.
    for starts, ends in ((now + timedelta(hours=1), None), (None, now - timedelta(minutes=1))):
        es.options(ignore_status=404).indices.delete(index=store.index_name(prefix))
        save(es, prefix, app, query="budget", pins=(pin(4, 1),),
             hidden=(Target(document_id(url(2)), url(2)),), starts=starts, ends=ends)
        assert urls(search(app, q="budget", size=5)) == urls(before)


def test_pinning_an_article_that_matches_moves_it_without_counting_it_twice(app, es, prefix: str) -> None:  # type: ignore[no-untyped-def]
    before = search(app, q="budget", size=50)
    last = urls(before)[-1]
    n = int(last.rsplit("/", 1)[1])
    save(es, prefix, app, query="budget", pins=(pin(n, 1),))
    pinned = search(app, q="budget", size=50)
    assert urls(pinned)[0] == last and pinned["total"] == before["total"]
    assert sorted(urls(pinned)) == sorted(urls(before))


def test_pins_respect_the_readers_filters_and_skip_missing_articles(app, es, prefix: str) -> None:  # type: ignore[no-untyped-def]
    save(es, prefix, app, query="budget", match=CONTAINS, pins=(pin(4, 2), pin(99, 1)))
    body = search(app, q="school budget", size=10)
    assert urls(body)[1] == url(4) and url(99) not in urls(body)  # 99 was never indexed
    filtered = search(app, q="school budget", category="Education")
    assert url(4) not in urls(filtered)  # the ferry is in Transport
    assert urls(search(app, q="school budget", sort="newest")).count(url(4)) == 0


def test_a_pin_holding_a_word_the_reader_excluded_does_not_show(app, es, prefix: str) -> None:  # type: ignore[no-untyped-def]
    save(es, prefix, app, query="budget", pins=(pin(4, 1), pin(3, 2)))
    assert urls(search(app, q="budget"))[:2] == [url(4), url(3)]
    # "budget -ferry" is still the query "budget": the rule applies, but the ferry article says "ferry".
    for q in ("budget -ferry", 'budget -"river ferry"', "budget -ferries"):
        body = search(app, q=q, size=50)
        assert url(4) not in urls(body), q
        assert urls(body)[1] == url(3) and body["total"] == len(urls(body)), q  # its own place


def get(app: Any, path: str, **params: Any) -> Any:
    response = app.test_client().get(path, query_string=params)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def hide(n: int) -> Target:
    return Target(document_id(url(n)), url(n))


def test_titles_autocomplete_offers_leave_out_what_a_best_bet_hides(app, es, prefix: str) -> None:  # type: ignore[no-untyped-def]
    def offered() -> list[str]:
        return [s["url"] for s in get(app, "/api/suggest", q="council budget")["suggestions"]]

    assert url(2) in offered()
    save(es, prefix, app, query="council budget", hidden=(hide(2),))
    assert url(2) not in offered()  # titles offered for a query are what a search for it may show


def test_related_articles_asked_from_a_query_leave_out_what_its_best_bet_hides(app, es, prefix: str) -> None:  # type: ignore[no-untyped-def]
    assert url(5) in urls(get(app, "/api/related", url=url(2), q="budget", size=20))
    save(es, prefix, app, query="budget", hidden=(hide(5),))
    assert url(5) not in urls(get(app, "/api/related", url=url(2), q="budget", size=20))
    # Asked from elsewhere (an article's own page: no query), the rule has nothing to say.
    assert url(5) in urls(get(app, "/api/related", url=url(2), size=20))
    # The results page asks with its query, with script (data-api) and without (href).
    page = app.test_client().get("/", query_string={"q": "budget"}).get_data(as_text=True)
    links = re.findall(r'class="related-link" href="([^"]+)"\s+data-api="([^"]+)"', page)
    assert links and all(link.endswith("&amp;q=budget") for pair in links for link in pair), links


def test_did_you_mean_offers_no_correction_whose_only_results_are_hidden(app, es, prefix: str) -> None:  # type: ignore[no-untyped-def]
    corrected = search(app, q="feryy")  # searched as "ferry", which finds the ferry article
    assert (corrected["q"], corrected["corrected_from"], urls(corrected)) == ("ferry", "feryy", [url(4)])
    save(es, prefix, app, query="ferry", hidden=(hide(4),))
    assert search(app, q="ferry")["total"] == 0
    # The editors' rules for "ferry" apply to its correction: nothing is left to show or offer.
    hidden = search(app, q="feryy")
    assert (hidden["total"], hidden["corrected_from"], hidden["suggestion"]) == (0, None, None)


def test_a_synonym_applies_to_searches_within_the_cache_time(app, es, prefix: str) -> None:  # type: ignore[no-untyped-def]
    assert url(1) not in urls(search(app, q="jailed"))
    search(app, q="outage")  # the app's copy is read now: the save below must wait it out
    store.save_synonym(es, prefix, Synonym("", "jailed => imprisoned"), by="test")
    store.save_synonym(es, prefix, Synonym("", "power cut, outage"), by="test")
    saved = time.monotonic()
    while url(1) not in urls(search(app, q="jailed")):
        assert time.monotonic() - saved < 3.0, "the synonym did not apply within the cache time"
        time.sleep(0.1)
    body = search(app, q="jailed reporter")
    assert urls(body)[0] == url(1)
    assert "<mark>imprisoned</mark>" in body["hits"][0]["title_html"].lower()  # the alternative is marked
    assert urls(search(app, q="power cut"))[0] == url(3)
    assert url(1) not in urls(search(app, q="jailed", exact=1))  # exact: the word as typed


def test_a_malformed_record_is_skipped_and_the_others_apply(app, es, prefix: str, caplog) -> None:  # type: ignore[no-untyped-def]
    from web import curation

    save(es, prefix, app, query="budget", pins=(pin(4, 1),))
    store.save_synonym(es, prefix, Synonym("", "jailed => imprisoned"), by="test")
    # Written past the console (by hand, a script, a bug): the index's mapping takes them all.
    malformed = {
        "no-query": {"kind": "best_bet",
                     "pins": [{"doc_id": document_id(url(5)), "url": url(5), "position": 1}]},
        "odd-match": {"kind": "best_bet", "query": "budget", "match": "fuzzy",
                      "hidden": [{"doc_id": document_id(url(4)), "url": url(4)}]},
        "rule-a-number": {"kind": "synonym", "rule": 42},
        "one-pin-not-a-list": {"kind": "best_bet", "query": "school budget",
                               "pins": {"doc_id": document_id(url(5)), "url": url(5), "position": 1}},
    }
    for record_id, source in malformed.items():
        es.index(index=store.index_name(prefix), id=record_id, document=source, refresh="wait_for")
    curation.cache(app).reload()
    with caplog.at_level(logging.WARNING, logger="indexer.curation.store"):
        assert urls(search(app, q="budget", size=5))[0] == url(4)  # pinned, not hidden by "odd-match"
        assert url(1) in urls(search(app, q="jailed"))
    skipped = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert {record_id for record_id in malformed if any(record_id in m for m in skipped)} == set(malformed)
    # The console lists the rules it can read.
    assert [b.query for b in store.best_bets(es, prefix)] == ["budget"]
