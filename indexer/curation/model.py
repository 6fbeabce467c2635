"""Everything editors decided, loaded once and applied to many searches."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from indexer.curation import best_bets
from indexer.curation.best_bets import BestBet, Decision, hidden_clause
from indexer.curation.expansion import Curated, Expansion
from indexer.curation.synonyms import NO_SYNONYMS, Synonym, Synonyms
from indexer.query.text import ReaderQuery


@dataclass(frozen=True)
class Curation:
    best_bets: tuple[BestBet, ...] = ()
    synonyms: Synonyms = field(default=NO_SYNONYMS)

    def decide(self, q: str | ReaderQuery, now: datetime | None = None) -> Decision:
        return best_bets.decide(self.best_bets, q, now or datetime.now(UTC))

    def hiding(self, q: str | ReaderQuery, now: datetime | None = None) -> Curated:
        """What the rules for ``q`` hide, kept out of whatever else is asked for ``q``: the
        titles autocomplete offers for it, the check that "did you mean" finds something."""
        return Curated(tuple(hidden_clause(self.decide(q, now).hidden)))

    def expansions(self, q: str | ReaderQuery, exact: bool = False) -> tuple[Expansion, ...]:
        # "Exact matches only" is the reader's word as typed; so is a quoted phrase.
        return () if exact else self.synonyms.expand(q)

    def with_best_bet(self, bet: BestBet | None, *, dropping: str = "") -> Curation:
        """This curation with ``bet`` in place of the stored rule of its id (or ``dropping``)."""
        gone = {bet.id if bet else "", dropping} - {""}
        kept = tuple(b for b in self.best_bets if b.id not in gone)
        return replace(self, best_bets=kept + ((bet,) if bet else ()))

    def with_synonym(self, synonym: Synonym | None, *, dropping: str = "") -> Curation:
        gone = {synonym.id if synonym else "", dropping} - {""}
        kept = [s for s in self.synonyms.rules if s.id not in gone]
        return replace(self, synonyms=Synonyms(kept + ([synonym] if synonym else [])))


NO_CURATION = Curation()
