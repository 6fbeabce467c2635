"""Expanded words → query clauses, for the builder.

Kept apart from the rules (:mod:`indexer.curation.synonyms`) and free of project imports, so
that :mod:`indexer.query.builder` can use it without an import cycle. The builder hands in its
own way of searching some words (:data:`Clause`), so the fields, weights and analyses stay its
own: an alternative is scored exactly as the reader's word would be.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Words = tuple[str, ...]
Body = dict[str, Any]
# The builder's way of searching some words: (words, operator) -> a clause, where operator is
# "or" (any of them, scored), "and" (all of them) or "phrase" (together, in order).
Clause = Callable[[Words, str], Body]


@dataclass(frozen=True)
class Expansion:
    """Some consecutive plain words of the reader's and what else may stand for them."""

    original: Words  # as typed
    alternatives: tuple[Words, ...]
    # What an alternative's score counts for beside the typed words' (a synonym: as much; a
    # spelling correction, indexer.query.spelling: less, so the spelling as typed ranks first).
    weight: float = 1.0


def covered(expansions: Iterable[Expansion]) -> frozenset[str]:
    """The typed words the expansions stand in for (case-folded): the all-words tier asks for
    them through :func:`every_word` instead of one by one."""
    return frozenset(w.casefold() for e in expansions for w in e.original)


def _alternative(words: Words, operator: str) -> tuple[Words, str]:
    return words, "phrase" if len(words) > 1 else operator


def any_word(expansions: Iterable[Expansion], clause: Clause) -> list[Body]:
    """Extra ways of matching a content word: each alternative, scored as the word would be."""
    return [_weighed(clause(*_alternative(alt, "or")), e.weight)
            for e in expansions for alt in e.alternatives]


def _weighed(body: Body, weight: float) -> Body:
    return body if weight == 1.0 else {"bool": {"must": [body], "boost": weight}}


def every_word(expansions: Iterable[Expansion], clause: Clause) -> list[Body]:
    """For the all-words tier: per expansion, the typed words all present, or one alternative."""
    return [{"bool": {"should": [clause(e.original, "and"),
                                 *(clause(*_alternative(alt, "and")) for alt in e.alternatives)],
                      "minimum_should_match": 1}} for e in expansions]


@dataclass(frozen=True)
class Curated:
    """What the curation adds to one search's bodies: articles kept out (hidden, or pinned
    and shown apart) and the reader's words' alternatives. Built by the caller
    (:mod:`indexer.curation.applying`), read by the builder."""

    must_not: tuple[Body, ...] = ()
    expansions: tuple[Expansion, ...] = ()


NOT_CURATED = Curated()
