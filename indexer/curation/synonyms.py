"""Synonyms applied at query time: the reader's words, each with its alternatives.

Two kinds of rule, in the notation Elasticsearch's synonym files use:

- ``tv, television``: equivalent, each term finds the others;
- ``jailed, locked up => imprisoned``: one way, the left terms also find the right ones (the
  reader's own word is kept: "jailed" still finds "jailed").

A term may be several words ("power cut, outage"): typed, its words are found as the reader's
words always are; as an alternative, it is searched as a phrase. Only the reader's plain words
expand: a quoted phrase, an OR group or an exclusion means exactly what was typed, and so does
"Exact matches only". The builder turns the :class:`Expansion` found into clauses
(:mod:`indexer.curation.expansion`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from indexer.curation.expansion import Expansion, Words
from indexer.curation.text import normalise
from indexer.query.text import ReaderQuery, as_query

EQUIVALENT = "equivalent"
ONE_WAY = "one_way"
# Bounds on what one search can grow to, whatever the rules say.
MAX_TERM_WORDS = 5
MAX_ALTERNATIVES = 10
MAX_EXPANSIONS = 10
MAX_RULE_CHARS = 500


class SynonymError(ValueError):
    """A rule that cannot be read; the message says why, for the editor."""


@dataclass(frozen=True)
class Synonym:
    id: str
    rule: str  # as the editor wrote it
    note: str = ""
    updated_at: datetime | None = None
    updated_by: str = ""

    @property
    def parsed(self) -> Rule:
        return parse_rule(self.rule)


@dataclass(frozen=True)
class Rule:
    kind: str
    left: tuple[Words, ...]  # one way: the terms that expand; equivalent: every term
    right: tuple[Words, ...] = ()  # one way: what they expand to

    def pairs(self) -> Iterable[tuple[Words, Words]]:
        """(term, alternative) for every alternative the rule gives a term."""
        targets = self.right if self.kind == ONE_WAY else self.left
        for term in self.left:
            for other in targets:
                if other != term:
                    yield term, other


def parse_rule(text: str) -> Rule:
    if len(text) > MAX_RULE_CHARS:
        raise SynonymError(f"A rule is at most {MAX_RULE_CHARS} characters.")
    left, arrow, right = text.partition("=>")
    if "=>" in right:
        raise SynonymError("A rule has at most one =>.")
    rule = Rule(ONE_WAY, _terms(left), _terms(right)) if arrow else Rule(EQUIVALENT, _terms(left))
    needed = 1 if arrow else 2
    if len(rule.left) < needed or (arrow and not rule.right):
        raise SynonymError("Write equivalent terms as 'tv, television' and a one-way rule as "
                           "'jailed => imprisoned'.")
    return rule


def _terms(text: str) -> tuple[Words, ...]:
    terms = []
    for raw in text.split(","):
        words = key(raw)
        if len(words) > MAX_TERM_WORDS:
            raise SynonymError(f"A term is at most {MAX_TERM_WORDS} words: {raw.strip()!r}.")
        if words and words not in terms:
            terms.append(words)
    return tuple(terms)


def key(text: str) -> Words:
    """A term's words in normal form, each typed word one key (so "co-op" stays one word)."""
    return tuple(k for k in (normalise(w) for w in text.split()) if k)


class Synonyms:
    """Every rule, indexed by the terms that expand."""

    def __init__(self, rules: Iterable[Synonym] = ()) -> None:
        self.rules = tuple(rules)
        table: dict[Words, list[Words]] = {}
        for synonym in self.rules:
            try:
                parsed = synonym.parsed
            except SynonymError:
                continue  # saved before a stricter check: skipped, never a failed search
            for term, other in parsed.pairs():
                alternatives = table.setdefault(term, [])
                if other not in alternatives:
                    alternatives.append(other)
        self._table = {term: tuple(alts[:MAX_ALTERNATIVES]) for term, alts in table.items()}
        self._longest = max((len(t) for t in self._table), default=0)

    def __bool__(self) -> bool:
        return bool(self._table)

    def expand(self, q: str | ReaderQuery) -> tuple[Expansion, ...]:
        """The reader's plain words that a rule expands, longest terms first, left to right."""
        if not self._table:
            return ()
        typed = as_query(q).loose
        keys = [normalise(w) for w in typed]
        found: list[Expansion] = []
        i = 0
        while i < len(typed) and len(found) < MAX_EXPANSIONS:
            size = self._match_at(keys, i)
            if size:
                found.append(Expansion(tuple(typed[i:i + size]), self._table[tuple(keys[i:i + size])]))
            i += size or 1
        return tuple(found)

    def _match_at(self, keys: Sequence[str], start: int) -> int:
        for size in range(min(self._longest, len(keys) - start), 0, -1):
            if tuple(keys[start:start + size]) in self._table:
                return size
        return 0


NO_SYNONYMS = Synonyms()
