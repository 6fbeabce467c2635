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


def test_a_request_parses_its_text_once_for_every_part_of_the_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """The builder, the editors' rules (best bets and synonyms) and the log read the request's
    one parsed query; none of them parses the reader's text again."""
    from dataclasses import replace

    from indexer.curation.best_bets import BestBet, Pin
    from indexer.curation.model import Curation
    from indexer.curation.synonyms import Synonym, Synonyms
    from indexer.query import request, text
    from indexer.query.builder import build_search
    from indexer.searchlog.events import search_event

    calls: list[str] = []
    real = text.parse

    def counting(q: str) -> text.ReaderQuery:
        calls.append(q)
        return real(q)

    monkeypatch.setattr(text, "parse", counting)
    monkeypatch.setattr(request, "parse", counting)
    req = request.parse_search_args(_Args(q='  bike  "cargo bike" -motor OR Repair  '))
    assert calls == ['bike "cargo bike" -motor OR Repair']
    curation = Curation(best_bets=(BestBet(id="b", query="bike", match="contains",
                                           pins=(Pin("a1", "https://example.org/a", 1),)),),
                        synonyms=Synonyms([Synonym(id="s", rule="bike, bicycle")]))
    decision = curation.decide(req.query)
    expansions = curation.expansions(req.query)
    build_search(req)
    event = search_event(req, {"total": 0, "hits": []}, mode="lexical", latency_ms=1, visit_id=None)
    # The rules' own texts are read as rules (their words normalised); the reader's, once.
    assert calls.count(req.q) == 1 and set(calls) - {req.q} <= {"bike", "bicycle"}
    assert decision.pins and expansions and event.query == 'bike "cargo bike" -motor or repair'
    # A changed text (a correction, a suggestion's check) is a new request, parsed anew.
    assert replace(req, q="bicycle").query.words == ("bicycle",)


class _Args(dict[str, str]):
    def getlist(self, key: str) -> list[str]:
        return [self[key]] if key in self else []
