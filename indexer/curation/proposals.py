"""Synonyms drafted from queries that found nothing, for an editor to accept or not.

A reader's words that match no article are most often a spelling or a word the site does not
use. The did-you-mean machinery (the phrase suggester over words that exist in the index,
offered only when its correction finds articles: :func:`indexer.searching.suggestion`) gives
the words the site does use; each word it changed becomes a one-way rule
(``jailed => imprisoned``), so the reader's word finds the site's, and nothing else changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from elasticsearch import Elasticsearch

from indexer import searching
from indexer.curation.synonyms import Synonyms
from indexer.curation.text import normalise
from indexer.query import SearchRequest
from indexer.query.builder import DEFAULT_TIMEOUT_S

MAX_PROPOSALS = 20


@dataclass(frozen=True)
class Proposal:
    query: str  # the query that found nothing
    rule: str  # the drafted rule
    found: str  # what the site's own words are, which do find articles


def draft_rule(query: str, found: str) -> str | None:
    """The one-way rule turning the reader's words into those that found something: word by
    word when both have as many words, else the whole query to the whole correction."""
    typed, fixed = normalise(query).split(), normalise(found).split()
    if not typed or not fixed or typed == fixed:
        return None
    if len(typed) == len(fixed):
        pairs = [(a, b) for a, b in zip(typed, fixed, strict=True) if a != b]
        return "; ".join(f"{a} => {b}" for a, b in pairs)
    return f"{' '.join(typed)} => {' '.join(fixed)}"


def propose(client: Elasticsearch, index: str, queries: Iterable[str], known: Synonyms | None = None, *,
            timeout_s: float = DEFAULT_TIMEOUT_S, limit: int = MAX_PROPOSALS) -> list[Proposal]:
    """Drafts for ``queries`` (zero-result queries, from the search log's analytics or typed
    in), skipping those a rule already expands."""
    drafts: list[Proposal] = []
    for query in dict.fromkeys(q for q in queries if q.strip()):
        if len(drafts) >= limit:
            break
        if known and known.expand(query):
            continue
        found = searching.suggestion(client, index, SearchRequest(q=query), timeout_s)
        rule = draft_rule(query, found) if found else None
        if found and rule:
            drafts.extend(Proposal(query, part, found) for part in rule.split("; "))
    return drafts[:limit]
