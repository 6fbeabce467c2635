"""Ranking through the search path readers use (indexer.searching), on real Elasticsearch and
the judged fixture corpus (tests/fixtures/relevance). Each of the first four failed on the
builder that required every word (simple_query_string, default_operator and)."""

from __future__ import annotations

from typing import Any

import pytest

from indexer import searching
from indexer.query import SearchRequest

pytestmark = pytest.mark.integration

GUIDE = "https://guides.example.org/{}"


def urls(es: Any, prefix: str, q: str, **kw: Any) -> list[str]:
    shaped = searching.search(es, prefix, SearchRequest(q=q, **kw))
    return [h["url"] for h in shaped["hits"]]


def test_a_whole_question_finds_its_article_first(es, judged_corpus) -> None:  # type: ignore[no-untyped-def]
    found = urls(es, judged_corpus, "how do I configure the network interface on debian")
    assert found[0] == GUIDE.format(1)


def test_a_word_no_article_has_does_not_empty_the_page(es, judged_corpus) -> None:  # type: ignore[no-untyped-def]
    # No article says "wireless"; the printer guide has the other two words.
    assert urls(es, judged_corpus, "wireless printer setup")[0] == GUIDE.format(3)


def test_both_words_rank_above_either_word_alone(es, judged_corpus) -> None:  # type: ignore[no-untyped-def]
    # The solar farm and eclipse pages say "solar" many times; only the council page has both.
    found = urls(es, judged_corpus, "solar subsidy")
    assert found[0] == GUIDE.format(4)
    assert set(found[1:]) >= {GUIDE.format(5), GUIDE.format(6)}


def test_persian_plural_typed_apart_finds_plural_and_singular(es, judged_corpus) -> None:  # type: ignore[no-untyped-def]
    for typed in ("بسته ها", "بسته‌ها"):
        assert set(urls(es, judged_corpus, typed)) == {GUIDE.format(10), GUIDE.format(11)}


def test_exact_title_only_and_facets_keep_their_meaning(es, judged_corpus) -> None:  # type: ignore[no-untyped-def]
    # Unstemmed and as a phrase: "interfaces" (article 1) is another word, and order counts.
    assert urls(es, judged_corpus, "network interface", exact=True) == [GUIDE.format(9)]
    assert urls(es, judged_corpus, "interface network", exact=True) == []
    assert urls(es, judged_corpus, "solar panels", exact=True) == [GUIDE.format(5)]
    # Article 4 says "solar" in its title only once, the others in the body many times too:
    # searching the title alone leaves the body out of the score and of the matching.
    assert set(urls(es, judged_corpus, "solar", fields=("title",))) == {GUIDE.format(n) for n in (4, 5, 6)}
    assert urls(es, judged_corpus, "panels", fields=("title",)) == []
    assert urls(es, judged_corpus, "solar", filters={"category": ("Science",)}) == [GUIDE.format(6)]


def test_phrases_rank_first_and_exclusions_exclude(es, judged_corpus) -> None:  # type: ignore[no-untyped-def]
    found = urls(es, judged_corpus, '"solar eclipse" town')
    assert found[0] == GUIDE.format(6)
    assert GUIDE.format(6) not in urls(es, judged_corpus, "solar -eclipse")


def test_did_you_mean_only_offers_what_finds_something(es, judged_corpus) -> None:  # type: ignore[no-untyped-def]
    # Exact mode searches the words as typed (no typo tolerance): a suggestion is only offered.
    shaped = searching.search(es, judged_corpus, SearchRequest(q="harvst", exact=True))
    assert shaped["total"] == 0
    suggestion = shaped["suggestion"]
    assert suggestion == "harvest"
    assert shaped["corrected_from"] is None
    assert searching.search(es, judged_corpus, SearchRequest(q=suggestion))["total"] > 0
    # Within a filter that leaves the suggestion nothing, nothing is offered.
    guides = SearchRequest(q="harvst", exact=True, filters={"category": ("Guides",)})
    narrowed = searching.search(es, judged_corpus, guides)
    assert narrowed["suggestion"] is None


def test_a_misspelt_word_is_searched_as_corrected_and_said_so(es, judged_corpus) -> None:  # type: ignore[no-untyped-def]
    shaped = searching.search(es, judged_corpus, SearchRequest(q="harvst"))
    assert shaped["total"] > 0
    assert (shaped["q"], shaped["corrected_from"], shaped["suggestion"]) == ("harvest", "harvst", None)
    assert [h["url"] for h in shaped["hits"]] == urls(es, judged_corpus, "harvest")
    # Within a filter where the correction finds nothing either, there is nothing to announce.
    guides = SearchRequest(q="harvst", filters={"category": ("Guides",)})
    narrowed = searching.search(es, judged_corpus, guides)
    assert (narrowed["total"], narrowed["corrected_from"], narrowed["q"]) == (0, None, "harvst")
    # spell=0 ("Search instead for"): the words as typed.
    typed = searching.search(es, judged_corpus, SearchRequest(q="harvst", spell=False))
    assert (typed["total"], typed["corrected_from"]) == (0, None)
