"""Which of the site's names a query names: pure, no services."""

from __future__ import annotations

import pytest

from indexer.query.builder import build_search
from indexer.query.request import SearchRequest
from indexer.query.sitewords import (
    MAX_OFFERS,
    SiteName,
    SiteNames,
    name_key,
    named_in_request,
    offered,
    ranking_clauses,
)

pytestmark = pytest.mark.unit

HUMAN_RIGHTS = SiteName("category", "Human Rights", 174)
RIGHTS = SiteName("tag", "Rights", 5)
KNUTH = SiteName("author", "Knuth, D. E.", 3)
IT = SiteName("tag", "IT", 9)
PERSIAN = SiteName("category", "گالری رسانه", 12)
SHARING = SiteName("tag", "time-sharing", 30)
NAMES = SiteNames.of([HUMAN_RIGHTS, RIGHTS, KNUTH, IT, PERSIAN, SHARING])


def named(q: str) -> list[str]:
    return [n.name.value for n in NAMES.named_in(q.split())]


@pytest.mark.parametrize("q", ["human rights", "Human Rights", "HUMAN RIGHT", "rights human",
                               "human rights in iran", "news on human rights"])
def test_case_plural_order_and_a_longer_query_name_it(q: str) -> None:
    assert named(q) == ["Human Rights"]


@pytest.mark.parametrize("q", ["humna rights", "human rihgts", "human rigts", "human rightss"])
def test_one_typo_in_a_long_word_names_it(q: str) -> None:
    found = NAMES.named_in(q.split())
    assert [n.name for n in found] == [HUMAN_RIGHTS] and found[0].typo


def test_no_typo_in_a_short_word_nor_two_in_one_word() -> None:
    assert named("humna rigsth") == [] and named("hman rihgts") == ["Rights"]
    short = SiteNames.of([SiteName("tag", "java", 3), SiteName("tag", "linux", 3)])
    assert short.named_in(["jave"]) == [] and short.named_in(["linus"])[0].typo


def test_a_name_inside_a_longer_one_is_not_named_beside_it() -> None:
    assert named("rights") == ["Rights"]
    assert named("human rights") == ["Human Rights"]


def test_authors_are_named_without_their_initials_and_in_any_order() -> None:
    assert named("donald knuth") == ["Knuth, D. E."]
    assert named("Knuth") == ["Knuth, D. E."]


def test_a_name_of_stopwords_alone_is_never_read_in_a_query() -> None:
    assert named("what is it") == [] and named("IT") == []


def test_punctuation_joins_no_words() -> None:
    assert named("time sharing") == ["time-sharing"] and named("time-sharing systems") == ["time-sharing"]


def test_persian_names_fold_arabic_letters_and_plurals() -> None:
    assert named("گالري رسانه") == ["گالری رسانه"]
    plural = SiteNames.of([SiteName("tag", "کتاب", 2)])
    assert [n.name.value for n in plural.named_in(["کتاب\u200cها"])] == ["کتاب"]
    assert name_key("كتاب") == name_key("کتاب")


def test_exact_mode_and_no_words_name_nothing() -> None:
    assert named_in_request(NAMES, SearchRequest(q="human rights", exact=True)) == []
    assert named_in_request(NAMES, SearchRequest(q="")) == []
    assert named_in_request(NAMES, SearchRequest(q="solar panels")) == []
    quoted = named_in_request(NAMES, SearchRequest(q='"human rights" -iran'))
    assert [n.name for n in quoted] == [HUMAN_RIGHTS]


def test_best_first_capped_and_not_what_is_filtered_on() -> None:
    many = SiteNames.of([SiteName("tag", f"topic{i}", i) for i in range(1, 6)] + [HUMAN_RIGHTS])
    found = many.named_in("human rights topic1 topic2 topic3 topic4 topic5".split())
    offers = offered(found, {})
    assert len(offers) == MAX_OFFERS
    assert offers[0] == {"facet": "category", "value": "Human Rights", "count": 174}
    assert [o["value"] for o in offers[1:]] == ["topic5", "topic4"]
    assert offered(found, {"category": ("Human Rights",)})[0]["value"] == "topic5"


def test_named_articles_rank_in_a_should_clause_and_never_filter() -> None:
    req = SearchRequest(q="human rights", site_words=(HUMAN_RIGHTS, KNUTH))
    query = build_search(req)["query"]["bool"]
    assert query["must"] == build_search(SearchRequest(q="human rights"))["query"]["bool"]["must"]
    boosts = [c for c in query["should"] if "term" in c["constant_score"]["filter"]]
    assert [c["constant_score"]["filter"]["term"] for c in boosts] == [
        {"category_paths": "Human Rights"}, {"authors": "Knuth, D. E."}]
    assert ranking_clauses((HUMAN_RIGHTS,), 0.0) == []


def test_a_subcategory_is_named_by_its_own_name_and_filtered_by_its_path() -> None:
    names = SiteNames.of([SiteName("category", "World", 40), SiteName("category", "World > Europe", 12),
                          SiteName("category", "Sport > Europe", 3), SiteName("tag", "a > b", 1)])
    # Both categories called Europe, the one with more articles first; the parent is not named.
    assert [n.name.value for n in names.named_in(["europe"])] == ["World > Europe", "Sport > Europe"]
    assert [n.name.value for n in names.named_in(["world"])] == ["World"]
    clauses = ranking_clauses([SiteName("category", "World > Europe", 12)], 2.0)
    assert clauses == [
        {"constant_score": {"filter": {"term": {"category_paths": "World > Europe"}}, "boost": 2.0}}]
