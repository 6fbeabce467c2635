"""The spelling rules without services: which words are looked up, with how many edits, how the
suggester's answer becomes a correction, and how the correction reaches the builder."""

from __future__ import annotations

from typing import Any

from indexer.curation.expansion import Curated, Expansion
from indexer.query import SearchRequest, build_search
from indexer.query.spelling import (
    Correction,
    Spelling,
    Word,
    allowed_edits,
    choose,
    in_readers_letters,
    lookup_bodies,
    read_lookup,
    words_to_check,
)
from indexer.query.text import parse

FIELDS = ("title", "content")


def test_edits_by_length_none_under_five_one_to_eight_two_beyond() -> None:
    assert [allowed_edits("x" * n) for n in (1, 4, 5, 8, 9, 15)] == [0, 0, 1, 1, 2, 2]


def test_only_loose_words_long_enough_are_looked_up() -> None:
    checked = words_to_check(parse('firewal "configuraton of" -netwrok routr OR switsh debain 80211x the'))
    assert [w.text for w in checked] == ["firewal", "debain"]
    assert words_to_check(parse("firewal configuraton"), exact=True) == ()
    # Once each, whatever the case; Persian words in their own script.
    assert words_to_check(parse("Firewal firewal کتابخنه")) == (Word("Firewal", "en", "Firewal"),
                                                                 Word("کتابخنه", "fa", "کتابخنه"))
    # Each part of a compound, as the analyzers split it.
    compound = "Heigjt-Balaced"
    assert words_to_check(parse(f"{compound} trees")) == (
        Word("Heigjt", "en", compound), Word("Balaced", "en", compound), Word("trees", "en", "trees"))


def test_a_word_its_language_knows_is_never_taken_for_a_typo() -> None:
    from indexer.query.dictionary import known

    # "jailed" on a site that says "imprisoned": a real word, not a typo of "failed".
    assert [w.text for w in words_to_check(parse("jailed netwrok کتابخنه کتابخانه"), known=known)] == [
        "netwrok", "کتابخنه"]
    assert known("Jailed", "en") and not known("firewal", "en") and not known("jailed", "xx")
    # Capitals are an acronym or a code (CACM's "TCOLL" was corrected to "toll").
    assert [w.text for w in words_to_check(parse("TCOLL Firewal"))] == ["Firewal"]


def test_lookup_asks_each_word_with_its_own_edits_then_counts_each() -> None:
    words = (Word("firewal", "en"), Word("configuraton", "en"), Word("کتابخنه", "fa"))
    suggest, *counts = lookup_bodies(words, FIELDS, timeout_s=1.5)
    terms = {key: (s["text"], s["term"]["field"], s["term"]["max_edits"])
             for key, s in suggest["suggest"].items()}
    assert terms == {"w0_title": ("firewal", "title.exact", 1), "w0_content": ("firewal", "content.exact", 1),
                     "w1_title": ("configuraton", "title.exact", 2),
                     "w1_content": ("configuraton", "content.exact", 2),
                     "w2_title": ("کتابخنه", "title.fa", 1), "w2_content": ("کتابخنه", "content.fa", 1)}
    assert all(s["term"]["suggest_mode"] == "popular" for s in suggest["suggest"].values())
    assert suggest["size"] == 0 and suggest["timeout"] == "1500ms"
    # A word counts as present in the analysis the search reads it in (stemmed, or Persian).
    fields = [c["query"]["multi_match"]["fields"] for c in counts]
    assert fields == [[*FIELDS], [*FIELDS], ["title.fa", "content.fa"]]
    assert all(c["size"] == 0 and isinstance(c["track_total_hits"], int) for c in counts)


def option(text: str, score: float, freq: int) -> dict[str, Any]:
    return {"text": text, "score": score, "freq": freq}


def test_a_word_is_corrected_when_missing_or_rare_beside_its_closest_spelling() -> None:
    options = [option("network", 0.8, 500), option("netcork", 0.8, 2)]
    assert choose(0, options) == "network"
    assert choose(7, options, rare_ratio=0.1) == "network"  # "netwrok" in 7 articles: a shared typo
    assert choose(60, options, rare_ratio=0.1) is None  # common enough to be meant
    assert choose(7, options, rare_ratio=0.0) is None  # 0: only words the index lacks
    assert choose(0, []) is None


def test_the_closest_spelling_wins_then_the_more_common() -> None:
    assert choose(0, [option("form", 0.75, 900), option("farm", 0.8, 10)]) == "farm"
    # Found in title and body alike: one option, in the more articles of the two.
    assert choose(3, [option("farm", 0.8, 10), option("farm", 0.8, 40)], rare_ratio=0.1) == "farm"


def answer(suggest: dict[str, list[dict[str, Any]]], *counts: int) -> list[dict[str, Any]]:
    return [{"suggest": suggest}, *({"hits": {"total": {"value": n}}} for n in counts)]


def test_read_lookup_pairs_each_word_with_its_suggestions_and_count() -> None:
    words = (Word("Firewal", "en"), Word("configuration", "en"))
    suggest = {"w0_content": [{"text": "firewal", "options": [option("firewall", 0.85, 12)]}],
               "w1_content": [{"text": "configuration", "options": [option("configurations", 0.9, 90)]}]}
    spelt = read_lookup(words, ("content",), answer(suggest, 0, 40))
    assert spelt.corrections == (Correction("Firewal", "firewall"),)
    assert not read_lookup(words, ("content",), answer({}, 0, 40))


def test_a_persian_correction_is_written_in_the_letters_typed() -> None:
    # The Persian analyzer's terms use the Arabic kaf and yeh; the reader typed Persian ones.
    assert in_readers_letters("كتابخانه", "کتابخنه") == "کتابخانه"
    assert in_readers_letters("خورشيدي", "خورشدی") == "خورشیدی"
    assert in_readers_letters("كتاب", "كتب") == "كتاب"  # typed with the Arabic letters: kept


def test_a_compound_is_corrected_part_by_part_and_searched_whole() -> None:
    term = "Heigjt-Balaced"
    spelt = Spelling((Correction("Heigjt", "height", term), Correction("Balaced", "balanced", term)))
    assert spelt.corrected("Heigjt-Balaced Trees") == "height-balanced Trees"
    assert spelt.expansions(0.8) == (Expansion((term,), (("height-balanced",),), 0.8),)


def test_a_possessive_is_no_correction() -> None:
    assert choose(0, [option("algorithm's", 0.9, 80), option("algorithms", 0.9, 40)]) == "algorithms"


def test_corrected_text_replaces_only_the_corrected_words() -> None:
    spelt = Spelling((Correction("firewal", "firewall"), Correction("configuraton", "configuration")))
    assert spelt.corrected('Firewal configuraton, "on debian"') == 'firewall configuration, "on debian"'
    assert Spelling().corrected("firewal") == "firewal"


def test_a_correction_is_an_alternative_weighed_below_the_word_typed() -> None:
    spelt = Spelling((Correction("firewal", "firewall"),))
    assert spelt.expansions(0.8) == (Expansion(("firewal",), (("firewall",),), 0.8),)
    body = build_search(SearchRequest(q="firewal rules"), curated=Curated(expansions=spelt.expansions(0.8)))
    words = body["query"]["bool"]["must"][0]["bool"]["should"]
    assert words[0]["combined_fields"]["query"] == "firewal rules"
    assert words[1] == {"bool": {"must": [{"combined_fields": {
        "query": "firewall", "fields": ["title^2", "content^1"], "operator": "or"}}], "boost": 0.8}}
    # In the first tier the typed word counts as present when its correction is.
    tier = body["query"]["bool"]["should"][0]["constant_score"]["filter"]["bool"]["filter"]
    assert tier[0]["combined_fields"]["query"] == "rules"
    assert [c["combined_fields"]["query"] for c in tier[1]["bool"]["should"]] == ["firewal", "firewall"]
