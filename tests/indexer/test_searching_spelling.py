"""Typo tolerance end to end on real Elasticsearch (indexer.searching with
indexer.query.spelling): a small site indexed through the production indexing path; misspelt
queries find the right articles and say what they were searched as; a spelling the index has
ranks its own articles first; phrases, exact mode and -words keep the words as typed."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from indexer import embedding, searching
from indexer.embedding import Embedder
from indexer.index import lifecycle, mapping
from indexer.index.bulk import BulkOptions
from indexer.index.indexing import index_pages
from indexer.index.names import IndexNames
from indexer.query import SearchRequest
from tests.indices import drop_prefix
from tests.news import article

pytestmark = pytest.mark.integration

SITE = "https://help.example.org"
FIREWALL = article(SITE, "firewall", "Firewall configuration on a Debian server",
                   "Open the ports your services need and close the rest: the firewall configuration "
                   "lives in one file.", "Security")
NETWORK = [article(SITE, f"network-{n}", f"Network interface guide {n}",
                   f"Every network card needs an address; part {n} of the network series.", "Networking")
           for n in range(1, 13)]
# One article shares the reader's typo: "netwrok" is in the index, rare beside "network".
TYPO_PAGE = article(SITE, "netwrok", "Netstat output explained",
                    "Read the netwrok statistics netstat prints, column by column.", "Networking")
LIBRARY = article(SITE, "library", "کتابخانه ملی", "کتابخانه ملی ایران کتاب‌های فارسی را نگه می‌دارد.",
                  "Culture")


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return embedding.load("wordllama:256")


@pytest.fixture(scope="module")
def site(es: Elasticsearch, embedder: Embedder) -> Iterator[str]:
    names = IndexNames(f"test-spelling-{uuid.uuid4().hex[:10]}")
    try:
        lifecycle.ensure_index(es, names, mapping.load())
        report = index_pages(es, names.write_alias, [FIREWALL, *NETWORK, TYPO_PAGE, LIBRARY],
                             BulkOptions(initial_backoff=0.1), embedder=embedder)
        assert not report.failures, report.failures
        es.indices.refresh(index=names.read_alias)
        yield names.prefix
    finally:
        drop_prefix(es, names)


def search(es: Elasticsearch, site: str, q: str, **kw: Any) -> dict[str, Any]:
    return searching.search(es, site, SearchRequest(q=q, size=20, **kw))


def urls(answer: dict[str, Any]) -> list[str]:
    return [hit["url"] for hit in answer["hits"]]


def test_a_misspelt_query_finds_its_articles_and_says_what_it_searched(es, site) -> None:  # type: ignore[no-untyped-def]
    answer = search(es, site, "firewal configuraton")
    assert urls(answer)[0] == FIREWALL["url"]
    assert (answer["q"], answer["corrected_from"], answer["suggestion"]) == (
        "firewall configuration", "firewal configuraton", None)
    # The words as typed ("Search instead for"): nothing has them.
    typed = search(es, site, "firewal configuraton", spell=False)
    assert (typed["total"], typed["corrected_from"], typed["q"]) == (0, None, "firewal configuraton")


def test_a_real_word_the_site_lacks_is_not_corrected_to_a_word_it_has(es, site) -> None:  # type: ignore[no-untyped-def]
    # "prints" is on the site, "sprints" is not: both are words, so nothing is corrected.
    answer = search(es, site, "sprints")
    assert answer["corrected_from"] is None and answer["q"] == "sprints" and answer["total"] == 0


def test_a_spelling_the_index_has_ranks_its_own_articles_first(es, site) -> None:  # type: ignore[no-untyped-def]
    # "netwrok" is in one article, "network" in twelve: the rare spelling also finds "network",
    # below the article that has it as typed.
    answer = search(es, site, "netwrok")
    assert answer["corrected_from"] == "netwrok" and answer["q"] == "network"
    assert urls(answer)[0] == TYPO_PAGE["url"]
    assert set(urls(answer)[1:]) == {page["url"] for page in NETWORK}
    # A correct word is never corrected: "network" finds the twelve, not the typo.
    correct = search(es, site, "network")
    assert correct["corrected_from"] is None and set(urls(correct)) == {page["url"] for page in NETWORK}


def test_phrases_exact_mode_and_exclusions_keep_the_words_as_typed(es, site) -> None:  # type: ignore[no-untyped-def]
    for q, kw in (('"firewal configuraton"', {}), ("firewal configuraton", {"exact": True})):
        answer = search(es, site, q, **kw)
        assert (answer["total"], answer["corrected_from"]) == (0, None), q
    # An excluded word is not corrected (the article with "network" stays), and the rest is.
    answer = search(es, site, "interfaec -netwrok")
    assert answer["corrected_from"] == "interfaec -netwrok" and answer["q"] == "interface -netwrok"
    assert set(urls(answer)) == {page["url"] for page in NETWORK}


def test_a_persian_typo_is_corrected(es, site) -> None:  # type: ignore[no-untyped-def]
    # A dropped letter (کتابخنه for کتابخانه, library), shown in the letters the reader typed.
    answer = search(es, site, "کتابخنه ملی")
    assert urls(answer) == [LIBRARY["url"]]
    assert (answer["q"], answer["corrected_from"]) == ("کتابخانه ملی", "کتابخنه ملی")


def test_hybrid_searches_and_embeds_the_correction(es, site, embedder) -> None:  # type: ignore[no-untyped-def]
    req = SearchRequest(q="firewal configuraton", mode="hybrid", explain=True)
    answer = searching.search(es, site, req, embedder=embedder)
    assert answer["mode"] == "hybrid" and answer["corrected_from"] == "firewal configuraton"
    first = answer["hits"][0]
    # Found by both sides: the words' (through the correction) and the vector's (of the correction).
    assert first["url"] == FIREWALL["url"] and first["explain"]["lexical_rank"] == 1
    assert first["explain"]["semantic_rank"] is not None
