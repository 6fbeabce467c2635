"""The site's own words against real Elasticsearch: offered in the API and the page, one click
filters, and the articles filed under a named name rank higher without a hit more."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from indexer import searching, site_names
from indexer.query import SearchRequest
from indexer.query.ranking import DEFAULT

pytestmark = pytest.mark.integration

RIGHTS = "Human Rights"
GALLERY = "گالری رسانه"  # readers may type it with Arabic yeh: گالري


def _page(n: int, title: str, content: str, categories: list[str], authors: tuple[str, ...] = (),
          language: str = "en") -> dict[str, Any]:
    return {"url": f"https://rights.example.org/{n}", "title": title, "content": content,
            "categories": categories, "tags": [], "authors": list(authors),
            "published": f"2021-0{1 + n % 9}-1{n % 10}T09:00:00+00:00", "language": language,
            "type": "post", "kind": "article", "content_hash": hashlib.sha256(content.encode()).hexdigest()}


PAGES = [
    # Filed under Human Rights, and saying "human rights" only in passing.
    *[_page(i, f"Court ruling {i}", f"The court heard case {i} over three long days of evidence, procedure "
            "and appeals; the human rights of the accused were read out before the verdict.",
            [RIGHTS], authors=("Ebadi, S.",)) for i in range(1, 5)],
    # Filed under Human Rights without either word: the words never find it.
    _page(5, "Refugee camp report", "Tents, water and schooling in the camp.", [RIGHTS]),
    # Elsewhere, and saying "human rights" over and over.
    *[_page(i, f"Human rights and human rights law {i}", f"Human rights, human rights, human rights {i}.",
            ["Opinion"]) for i in range(6, 9)],
    _page(9, "Solar panels", "Panels on the roof of the town hall.", ["Energy"]),
    *[_page(i, f"نمایشگاه عکس {i}", f"عکس‌های تازه در گالری رسانه {i}.", [GALLERY], language="fa")
      for i in range(10, 12)],
]
IN_RIGHTS = [p["url"] for p in PAGES if RIGHTS in p["categories"]]


@pytest.fixture(scope="module")
def prefix(index_corpus) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from index_corpus(PAGES, "sitewords")


@pytest.fixture(scope="module")
def app_client(prefix: str, make_app):  # type: ignore[no-untyped-def]
    return make_app(prefix, search_mode="lexical").test_client()


def api(client, **params) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200
    return response.get_json()


@pytest.mark.parametrize("q", ["human rights", "Human right", "humna rights", "rights of humans"])
def test_a_query_naming_a_category_offers_it_with_its_count(app_client, q: str) -> None:
    offers = api(app_client, q=q)["site_words"]
    assert offers[0] == {"facet": "category", "value": RIGHTS, "count": len(IN_RIGHTS)}


def test_an_author_is_offered_by_surname(app_client) -> None:
    offers = api(app_client, q="ebadi court")["site_words"]
    assert {"facet": "author", "value": "Ebadi, S.", "count": 4} in offers


def test_exact_mode_no_match_and_a_filter_in_use_offer_nothing(app_client) -> None:
    assert api(app_client, q="human rights", exact=1)["site_words"] == []
    assert api(app_client, q="solar panels")["site_words"] == []
    assert api(app_client, q="human rights", category=RIGHTS)["site_words"] == []


def test_persian_category_names_are_offered_across_spellings(app_client) -> None:
    offers = api(app_client, q="گالري رسانه")["site_words"]
    assert offers == [{"facet": "category", "value": GALLERY, "count": 2}]


def test_the_page_offers_the_name_and_its_link_lists_the_category(app_client) -> None:
    html = app_client.get("/search", query_string={"q": "human rights"}).get_data(as_text=True)
    assert 'id="site-words"' in html and RIGHTS in html and f"{len(IN_RIGHTS)} articles" in html
    assert 'href="?category=Human+Rights"' in html
    listed = api(app_client, category=RIGHTS)
    assert listed["total"] == len(IN_RIGHTS)
    solar = app_client.get("/search", query_string={"q": "solar"}).get_data(as_text=True)
    assert 'id="site-words"' not in solar


def test_the_boost_lifts_the_categorys_articles_and_adds_no_hit(es, prefix: str) -> None:
    names = site_names.load(es, prefix)
    req = SearchRequest(q="human rights", size=20, mode="lexical")

    def ranked(boost: float) -> list[str]:
        found = searching.search(es, prefix, req, ranking=replace(DEFAULT, site_word_boost=boost),
                                 site_names=names)
        return [hit["url"] for hit in found["hits"]]

    without, boosted = ranked(0.0), ranked(DEFAULT.site_word_boost * 50)
    assert sorted(without) == sorted(boosted)
    # The refugee camp report is filed under it, but holds neither word: still not a hit.
    assert "https://rights.example.org/5" not in boosted
    matched_in_rights = [u for u in without if u in IN_RIGHTS]
    assert matched_in_rights and without[:len(matched_in_rights)] != matched_in_rights
    assert boosted[:len(matched_in_rights)] == sorted(matched_in_rights, key=boosted.index)
    assert set(boosted[:len(matched_in_rights)]) == set(matched_in_rights)
