"""The reader's words → ``simple_query_string`` syntax.

Readers write ``OR`` and ``AND`` as words; simple_query_string spells them ``|`` and ``+``.
Quoted phrases are left alone, so a phrase can still contain the word "or".
"""

from __future__ import annotations

import re

# simple_query_string features readers get. PREFIX, FUZZY, NEAR and SLOP are left out: they
# turn one word into many term lookups, the cost a public search box must not expose.
FLAGS = "AND|OR|NOT|PHRASE|PRECEDENCE|WHITESPACE|ESCAPE"

_OPERATORS = {"OR": "|", "AND": "+"}
_QUOTED_OR_WORD = re.compile(r'"[^"]*"?|\S+')
_SYNTAX = re.compile(r'["|+\-()\\]')


def to_simple_query(q: str) -> str:
    """Map the standalone words OR/AND (outside quotes) to their operators."""
    tokens = _QUOTED_OR_WORD.findall(q)
    return " ".join(_OPERATORS.get(t, t) for t in tokens)


def as_exact(q: str) -> str:
    """Plain words become one phrase; a query that already uses the syntax keeps its meaning."""
    if _SYNTAX.search(q) or any(t in _OPERATORS for t in q.split()):
        return to_simple_query(q)
    return f'"{q}"'
