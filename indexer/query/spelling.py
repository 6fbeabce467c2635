"""Typo tolerance: which of the reader's words are misspelt, and what they stand for.

A plain word long enough to carry a typo (:func:`allowed_edits`: none under 5 letters, 1 up to 8,
2 beyond, as Algolia and Meilisearch count them) is looked up in the index's own vocabulary
before the search: Elasticsearch's term suggester (Lucene's DirectSpellChecker, a Levenshtein
automaton over the live terms of a field, transpositions counted as one edit) proposes the
closest spellings that occur in more articles than the word, and a count says in how many
articles the word itself occurs, in its analysed (stemmed) form. A word is corrected when it is
rare beside its closest spelling (``Ranking.typo_rare_ratio``): a word the index lacks, or a typo a few
articles share with the reader ("netwrok"), but never another form of the same stem
("parsers" finds what "parser" finds). The correction joins the word as an alternative weighed
below it (``Ranking.typo_weight``), so an article with the spelling as typed still ranks
first. Never for phrases, OR groups, ``-words`` or exact mode: only loose words are looked up.

One round trip (an ``msearch``: the suggesters, then one capped count per word) and only when
the query has such a word. The rules here are pure; :mod:`indexer.searching` makes the request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from indexer.curation.expansion import Expansion
from indexer.query import fields as f
from indexer.query.ranking import TYPO_PREFIX_LENGTH, TYPO_RARE_RATIO, TYPO_WEIGHT
from indexer.query.text import ReaderQuery

Body = dict[str, Any]

# Edit distance by word length, as Algolia and Meilisearch count it: no typo in a word under
# MIN_TYPO_CHARS letters ("form" is not a typo of "from"), one up to TWO_TYPO_CHARS - 1, two beyond.
MIN_TYPO_CHARS = 5
TWO_TYPO_CHARS = 9
# Counting a word's articles stops here: a word this common is never a typo of a rarer one.
COUNT_CAP = 1000
# The analysed subfields a word's spelling is looked up in, by script (builder.SCRIPTS): the
# unstemmed ones, so a correction is a real spelling; Persian through its own analyzer.
_SPELLING_FIELDS = {"en": f.EXACT, "fa": f.PERSIAN}
# Where a word counts as present: the fields the search reads it in.
_COUNT_SUFFIX = {"en": "", "fa": f".{f.PERSIAN}"}
_WORD = re.compile(r"[^\W\d_]+")  # a run of letters: what the analyzers take for a word
# The Persian analyzer spells its terms with the Arabic kaf and yeh; a correction is shown in
# the letters the reader typed (Persian ک and ی when the word has them).
_READERS_LETTERS = {"\u06a9": "\u0643", "\u06cc": "\u064a"}


def allowed_edits(word: str) -> int:
    """How many typos ``word`` may hold, by its length."""
    if len(word) < MIN_TYPO_CHARS:
        return 0
    return 1 if len(word) < TWO_TYPO_CHARS else 2


@dataclass(frozen=True)
class Correction:
    word: str  # as typed
    to: str  # the closest spelling in the index
    # The reader's term the word is part of: itself, or a compound the analyzers split
    # ("Heigjt-Balaced"), which the search reads as one word of the query.
    term: str = ""


@dataclass(frozen=True)
class Spelling:
    """The corrections of one query; empty when nothing was corrected."""

    corrections: tuple[Correction, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.corrections)

    def expansions(self, weight: float = TYPO_WEIGHT) -> tuple[Expansion, ...]:
        """Each corrected term's correction, an alternative weighed below the term as typed."""
        terms = dict.fromkeys(c.term or c.word for c in self.corrections)
        return tuple(Expansion((term,), ((self.corrected(term),),), weight) for term in terms)

    def corrected(self, q: str) -> str:
        """``q`` with each corrected word replaced, everything else as typed."""
        by_word = {c.word.casefold(): c.to for c in self.corrections}

        def fix(match: re.Match[str]) -> str:
            return by_word.get(match.group(0).casefold(), match.group(0))
        return _WORD.sub(fix, q) if by_word else q


NO_SPELLING = Spelling()


@dataclass(frozen=True)
class Word:
    """A word worth looking up, with the script it is searched in and the term it is part of."""

    text: str
    script: str
    term: str = ""


def words_to_check(parsed: ReaderQuery, exact: bool = False,
                   known: Callable[[str, str], bool] = lambda word, script: False) -> tuple[Word, ...]:
    """The loose content words that may hold a typo, each part of a compound on its own
    ("Heigjt-Balaced", as the analyzers split it): never phrases, groups, exclusions or exact
    mode, never numbers or codes (letters only), never a word in capitals or one its language
    ``known``s (:func:`indexer.query.dictionary.known`: a real word is spelt as meant), each once."""
    if exact:
        return ()
    seen: dict[str, Word] = {}
    for script in _SPELLING_FIELDS:
        for term in parsed.terms_in(script, parsed.loose):
            for part in _WORD.findall(term):
                if allowed_edits(part) and part.casefold() not in seen and not _is_name(part) \
                        and not known(part, script):
                    seen[part.casefold()] = Word(part, script, term)
    return tuple(seen.values())


def _is_name(word: str) -> bool:
    """A word in capitals is an acronym or a code ("TCOLL", "FORTRAN"), as word processors'
    spelling checks take it by default: spelt as meant, whatever the index holds."""
    return word.isupper()


def lookup_bodies(words: Sequence[Word], searched: Sequence[str], *, timeout_s: float,
                  prefix_length: int = TYPO_PREFIX_LENGTH) -> list[Body]:
    """The ``msearch`` bodies for ``words`` over the ``searched`` fields (title, content): first
    the suggesters, then one count per word, in order (read by :func:`read_lookup`)."""
    timeout = f"{int(timeout_s * 1000)}ms"
    suggest = {_key(n, name): {"text": word.text, "term": {
        "field": f"{name}.{_SPELLING_FIELDS[word.script]}", "suggest_mode": "popular",
        "max_edits": allowed_edits(word.text), "prefix_length": prefix_length,
        "min_word_length": MIN_TYPO_CHARS, "size": 3, "sort": "score"}}
        for n, word in enumerate(words) for name in searched}
    counts = [{"size": 0, "timeout": timeout, "track_total_hits": COUNT_CAP, "query": {"multi_match": {
        "query": word.text, "fields": [f"{name}{_COUNT_SUFFIX[word.script]}" for name in searched]}}}
        for word in words]
    return [{"size": 0, "timeout": timeout, "track_total_hits": False, "suggest": suggest}, *counts]


def read_lookup(words: Sequence[Word], searched: Sequence[str], answers: Sequence[Mapping[str, Any]],
                rare_ratio: float = TYPO_RARE_RATIO) -> Spelling:
    """The corrections the answers to :func:`lookup_bodies` call for."""
    suggested = answers[0].get("suggest", {})
    found = []
    for n, (word, count) in enumerate(zip(words, answers[1:], strict=True)):
        options = [option for name in searched for entry in suggested.get(_key(n, name), [])
                   for option in entry.get("options", [])]
        chosen = choose(count["hits"]["total"]["value"], options, rare_ratio)
        if chosen:
            chosen = in_readers_letters(chosen, word.text)
            if chosen.casefold() != word.text.casefold():
                found.append(Correction(word.text, chosen, word.term))
    return Spelling(tuple(found))


def choose(articles: int, options: Sequence[Mapping[str, Any]],
           rare_ratio: float = TYPO_RARE_RATIO) -> str | None:
    """The correction of a word found in ``articles`` articles, among the suggester's
    ``options`` (text, score: similarity, freq: articles): the closest, the more common among
    equally close; none unless the word is rare beside it."""
    best: dict[str, tuple[float, int]] = {}
    # A word, not a possessive or a code: the correction replaces one run of letters.
    for option in (o for o in options if _WORD.fullmatch(o["text"])):
        score, freq = best.get(option["text"], (0.0, 0))
        # An option found in title and body alike: as close, in the more articles of the two.
        best[option["text"]] = (max(score, float(option["score"])), max(freq, int(option["freq"])))
    if not best:
        return None
    text, (_, freq) = max(best.items(), key=lambda item: (item[1], item[0]))
    return text if articles < rare_ratio * freq or articles == 0 else None


def in_readers_letters(term: str, typed: str) -> str:
    """``term`` with the analyzer's Arabic kaf and yeh written as ``typed`` writes them."""
    for persian, arabic in _READERS_LETTERS.items():
        if persian in typed:
            term = term.replace(arabic, persian)
    return term


def _key(n: int, field: str) -> str:
    return f"w{n}_{field}"
