"""The gate: the judged queries run with a rule and without it, through the site's search.

Saving a best bet or a synonym is the moment to know what it does beyond the query it was
written for: :func:`run` scores every judged query (nDCG@10, trec_eval's, as ``pagesift
eval`` does) with the curation as it is and as it would be, and the change per query and
overall is shown; a drop is a warning, the editor decides.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from indexer.curation.model import Curation
from indexer.relevance import evaluation
from indexer.relevance.judgments import Judged

MEASURE = "ndcg@10"
# Below this a change is noise from ties, not a drop worth a warning.
TOLERANCE = 1e-4

# A curation → the ranker that searches with it.
Rankers = Callable[[Curation], evaluation.Ranker]


@dataclass(frozen=True)
class Change:
    query: str
    before: float
    after: float

    @property
    def delta(self) -> float:
        return round(self.after - self.before, 4)


@dataclass(frozen=True)
class Report:
    changes: tuple[Change, ...]  # every judged query, the largest drop first
    before: float  # mean nDCG@10
    after: float

    @property
    def delta(self) -> float:
        return round(self.after - self.before, 4)

    @property
    def dropped(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.delta < -TOLERANCE)

    @property
    def changed(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if abs(c.delta) > TOLERANCE)

    @property
    def warns(self) -> bool:
        """Any judged query worse, or the mean: the editor is asked before the rule is saved."""
        return bool(self.dropped) or self.delta < -TOLERANCE

    @property
    def empty(self) -> bool:
        return not self.changes


def run(rankers: Rankers, judged: Judged, before: Curation, after: Curation,
        max_queries: int | None = None) -> Report:
    ids = judged.judged_ids[:max_queries] if max_queries else judged.judged_ids
    if not ids:
        return Report((), 0.0, 0.0)
    old = evaluation.evaluate("before", rankers(before), judged, only=ids)
    new = evaluation.evaluate("after", rankers(after), judged, only=ids)
    changes = [Change(judged.queries[q], old.per_query[q][MEASURE], new.per_query[q][MEASURE]) for q in ids]
    changes.sort(key=lambda c: (c.delta, c.query))
    return Report(tuple(changes), old.means[MEASURE], new.means[MEASURE])
