"""The reader's words → what every hit must satisfy, and the plain words it is ranked on.

Readers write ``OR`` and ``AND`` as words; simple_query_string spells them ``|`` and ``+``.
Quoted phrases, ``-word`` exclusions and words joined by OR/AND are *required*: they keep the
meaning they have everywhere else. Every other word is a *plain* word: it ranks articles but no
single one of them decides whether an article matches (see :mod:`indexer.query.builder`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.query.stopwords import is_stopword

# simple_query_string features readers get. PREFIX, FUZZY, NEAR and SLOP are left out: they
# turn one word into many term lookups, the cost a public search box must not expose.
FLAGS = "AND|OR|NOT|PHRASE|PRECEDENCE|WHITESPACE|ESCAPE"

_OPERATORS = {"OR": "|", "AND": "+"}
_QUOTED_OR_WORD = re.compile(r'-?"[^"]*"?|\S+')
_SYNTAX = re.compile(r'["|+\-()\\]')
# Arabic-script letters (Persian included): such words are searched through the `.fa` fields.
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")
_GROUP_PUNCTUATION = re.compile(r"[()]")


@dataclass(frozen=True)
class ReaderQuery:
    """The reader's text parsed once (:func:`parse`): every part of a search (the builder, the
    editors' rules, suggestions, the log) reads it from here rather than re-reading the text."""

    text: str = ""  # as the search reads it (:func:`tidy`)
    words: tuple[str, ...] = ()  # every word typed, phrases' and OR groups' included, as typed
    loose: tuple[str, ...] = ()  # the words outside phrases and groups
    phrases: str = ""  # the quoted phrases and OR/AND groups, in simple_query_string syntax
    excluded: str = ""  # the -word and -"phrase" exclusions, in simple_query_string syntax

    @property
    def normal(self) -> str:
        """:func:`normal_form` of the text: what the search log and past queries store."""
        return normal_form(self.text)

    @property
    def as_exact(self) -> str:
        """The query "Exact matches only" sends (:func:`as_exact`)."""
        return as_exact(self.text)

    @property
    def terms(self) -> tuple[str, ...]:
        """The words an article is ranked on: stopwords out, unless nothing else is left."""
        return _content(self.words)

    def terms_in(self, script: str, words: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """Content words (of ``words``, default all) in ``script``: "fa" (Arabic script) or
        "en" (everything else)."""
        chosen = self.terms if words is None else _content(words)
        return tuple(t for t in chosen if (script == "fa") == bool(_ARABIC_SCRIPT.search(t)))


def tidy(q: str) -> str:
    """The text as the search reads it: whitespace collapsed and trimmed, case kept (``OR``
    and ``AND`` are operators only in capitals)."""
    return " ".join(q.split())


def normal_form(q: str) -> str:
    """A query's normal form: what makes two searches one query, in the search log, its
    analytics, autocomplete's past queries and their blocklist, and under a best bet's finer
    matching (:func:`indexer.curation.text.normalise`). Lower case, as the log's keyword
    normaliser stores it (``mappings/searchlog.json``), so text in this form is stored as it is."""
    return tidy(q).lower()


def parse(q: str) -> ReaderQuery:
    q = tidy(q)
    tokens = _QUOTED_OR_WORD.findall(q)
    joined = _joined_by_operators(tokens)
    words: list[str] = []
    loose: list[str] = []
    phrases: list[str] = []
    excluded: list[str] = []
    group: list[str] = []
    for i, token in enumerate(tokens):
        if token.startswith("-") and len(token) > 1 and i not in joined:
            excluded.append(token)
            continue
        inner = [w for w in (_bare(t) for t in token.strip('"').split()) if w]
        if i in joined:
            group.append(_OPERATORS.get(token) or _GROUP_PUNCTUATION.sub("", token))
            if i + 1 not in joined:
                phrases.append(f"({' '.join(group)})")
                group = []
        elif token.startswith('"'):
            phrases.append(token if token.endswith('"') and len(token) > 1 else f'{token.rstrip(chr(34))}"')
        else:
            loose.extend(inner)
        if not (i in joined and token in _OPERATORS):
            words.extend(inner)
    return ReaderQuery(text=q, words=tuple(words), loose=tuple(loose), phrases=" ".join(phrases),
                       excluded=" ".join(excluded))


def as_query(q: str | ReaderQuery) -> ReaderQuery:
    """``q`` parsed, unless it already is: rules and tools pass text, searches their request's query."""
    return q if isinstance(q, ReaderQuery) else parse(q)


def _content(words: tuple[str, ...]) -> tuple[str, ...]:
    content = tuple(w for w in words if not is_stopword(w))
    return content or words


def _bare(token: str) -> str:
    return _EDGE_PUNCTUATION.sub("", token)


def _joined_by_operators(tokens: list[str]) -> set[int]:
    """Positions of OR/AND and of the tokens either side of one."""
    joined: set[int] = set()
    for i, token in enumerate(tokens):
        if token in _OPERATORS and 0 < i < len(tokens) - 1:
            joined.update((i - 1, i, i + 1))
    return joined


def to_simple_query(q: str) -> str:
    """Map the standalone words OR/AND (outside quotes) to their operators."""
    tokens = _QUOTED_OR_WORD.findall(q)
    return " ".join(_OPERATORS.get(t, t) for t in tokens)


def as_exact(q: str) -> str:
    """Plain words become one phrase; a query that already uses the syntax keeps its meaning."""
    if _SYNTAX.search(q) or any(t in _OPERATORS for t in q.split()):
        return to_simple_query(q)
    return f'"{q}"'
