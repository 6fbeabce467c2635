"""Synonym rules and their query-time expansion, down to the clauses the builder makes."""

from __future__ import annotations

import json

import pytest

from indexer.curation.expansion import Curated, Expansion
from indexer.curation.synonyms import EQUIVALENT, ONE_WAY, Synonym, SynonymError, Synonyms, parse_rule
from indexer.query import SearchRequest, build_search

pytestmark = pytest.mark.unit


def rules(*texts: str) -> Synonyms:
    return Synonyms(Synonym(str(n), text) for n, text in enumerate(texts))


def test_rules_read_as_elasticsearch_synonym_files_write_them() -> None:
    assert parse_rule("TV, television") == parse_rule("tv,television,") == parse_rule(" tv , TV, television")
    assert parse_rule("tv, television").kind == EQUIVALENT
    one_way = parse_rule("jailed, locked up => imprisoned")
    assert (one_way.kind, one_way.left, one_way.right) == (ONE_WAY, (("jailed",), ("locked", "up")),
                                                           (("imprisoned",),))


@pytest.mark.parametrize("text", ["tv", "=> imprisoned", "jailed =>", "a => b => c", "", "one, " + "w " * 6])
def test_rules_that_cannot_work_are_refused(text: str) -> None:
    with pytest.raises(SynonymError):
        parse_rule(text)


def test_equivalent_terms_expand_each_other_and_one_way_only_forwards() -> None:
    table = rules("tv, television", "jailed => imprisoned")
    assert table.expand("Television news") == (Expansion(("Television",), (("tv",),)),)
    assert table.expand("jailed reporter") == (Expansion(("jailed",), (("imprisoned",),)),)
    assert table.expand("imprisoned reporter") == ()


def test_several_word_terms_match_the_longest_run_of_plain_words() -> None:
    table = rules("power cut, outage", "power, electricity")
    assert table.expand("power cut in town") == (Expansion(("power", "cut"), (("outage",),)),)
    assert table.expand("outage") == (Expansion(("outage",), (("power", "cut"),)),)
    assert table.expand("power station") == (Expansion(("power",), (("electricity",),)),)


@pytest.mark.parametrize("q", ['"jailed reporter"', "jailed OR freed", "-jailed reporter"])
def test_phrases_groups_and_exclusions_mean_what_was_typed(q: str) -> None:
    assert rules("jailed => imprisoned").expand(q) == ()


def test_a_rule_saved_before_a_stricter_check_is_skipped_not_fatal() -> None:
    assert rules("tv", "tv, television").expand("tv") == (Expansion(("tv",), (("television",),)),)


def _text(body: dict) -> str:  # type: ignore[type-arg]
    return json.dumps(body)


def test_an_alternative_is_one_more_way_to_match_and_counts_for_the_all_words_tier() -> None:
    req = SearchRequest(q="jailed reporter")
    curated = Curated(expansions=rules("jailed => imprisoned").expand(req.q))
    body = build_search(req, curated=curated)
    must = body["query"]["bool"]["must"]
    assert "imprisoned" in _text(must)
    tier = body["query"]["bool"]["should"][0]["constant_score"]["filter"]["bool"]["filter"]
    # The AND clause asks only for the word no rule expands; "jailed" is asked for as
    # "jailed or imprisoned".
    plain = [c for c in tier if "combined_fields" in c]
    assert [c["combined_fields"]["query"] for c in plain] == ["reporter"]
    either = next(c for c in tier if "bool" in c)["bool"]
    assert either["minimum_should_match"] == 1
    assert [c["combined_fields"]["query"] for c in either["should"]] == ["jailed", "imprisoned"]


def test_several_word_alternatives_are_phrases() -> None:
    req = SearchRequest(q="outage")
    body = build_search(req, curated=Curated(expansions=rules("power cut, outage").expand(req.q)))
    phrases = [c for c in body["query"]["bool"]["must"][0]["bool"]["should"] if "multi_match" in c]
    assert phrases[0]["multi_match"]["type"] == "phrase"
    assert phrases[0]["multi_match"]["query"] == "power cut"


def test_no_curation_leaves_the_body_as_it_was() -> None:
    req = SearchRequest(q="jailed reporter")
    assert build_search(req) == build_search(req, curated=Curated())


def test_hidden_articles_join_the_hidden_clauses() -> None:
    body = build_search(SearchRequest(q="x"), curated=Curated(must_not=({"ids": {"values": ["a"]}},)))
    assert {"ids": {"values": ["a"]}} in body["query"]["bool"]["must_not"]
