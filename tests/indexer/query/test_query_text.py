"""The reader's words → required parts and the words articles are ranked on."""

from __future__ import annotations

import pytest

from indexer.query.stopwords import is_stopword
from indexer.query.text import parse

pytestmark = pytest.mark.unit


def test_plain_words_keep_their_order_and_lose_stopwords_and_punctuation() -> None:
    parsed = parse("What articles exist which deal with TSS (Time Sharing System)?")
    assert parsed.terms == ("exist", "deal", "TSS", "Time", "Sharing", "System")
    assert parsed.phrases == "" and parsed.excluded == ""


def test_phrases_groups_and_exclusions_are_kept_apart() -> None:
    parsed = parse('"package manager" debian OR ubuntu -snap -"live cd" install')
    assert parsed.phrases == '"package manager" (debian | ubuntu)'
    assert parsed.excluded == '-snap -"live cd"'
    assert parsed.loose == ("install",)
    assert parsed.terms == ("package", "manager", "debian", "ubuntu", "install")


def test_an_unclosed_quote_is_closed_and_a_lone_operator_is_a_word() -> None:
    assert parse('"solar power').phrases == '"solar power"'
    assert parse("OR").terms == ("OR",)


def test_hyphenated_words_are_words_not_exclusions() -> None:
    assert parse("multi-targeted compilers").excluded == ""


def test_scripts_split_terms() -> None:
    parsed = parse("debian بسته ها")
    assert parsed.terms_in("en") == ("debian",)
    assert parsed.terms_in("fa") == ("بسته", "ها")


@pytest.mark.parametrize("word", ["How", "I'd", "I’m", "the", "articles"])
def test_stopwords_are_matched_without_case_or_curly_apostrophes(word: str) -> None:
    assert is_stopword(word)


def test_everything_stopwords_keeps_the_words() -> None:
    assert parse("to be or not to be").terms == ("to", "be", "or", "not", "to", "be")
