"""Reciprocal rank fusion of the BM25 and the vector rankings, in the app.

Elasticsearch's own ``rrf`` retriever is a paid feature and absent from the embedded node;
fusing here works on both and needs only each side's ranked ids. An article scores
``weight / (k + rank)`` on each side that found it (Cormack, Clarke and Büttcher, SIGIR 2009):
ranks, not scores, so BM25's unbounded scores and cosine's [-1, 1] need no calibration.

The fused order covers the BM25 side's first ``window`` ids and every vector hit; past them
the BM25 ranking continues as it was (the vector side has no more to give), so paging
through every page meets each article exactly once and the total stays exact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

LEXICAL = "lexical"
SEMANTIC = "semantic"


@dataclass
class Fused:
    id: str
    score: float = 0.0
    # Side -> the 1-based rank it gave this article; a side that did not find it is absent.
    ranks: dict[str, int] = field(default_factory=dict)

    def best_rank(self) -> int:
        return min(self.ranks.values())


def rrf(rankings: Mapping[str, Sequence[str]], *, k: float, weights: Mapping[str, float]) -> list[Fused]:
    """Every id of ``rankings`` (side -> ids best first), best fused score first.

    Ties (the same score, as when two sides give one article each the same rank) go to the
    better single rank, then to the side listed first: deterministic, so a page is stable.
    """
    fused: dict[str, Fused] = {}
    order: dict[str, tuple[int, int]] = {}
    for side_at, (side, ids) in enumerate(rankings.items()):
        weight = weights.get(side, 1.0)
        for rank, doc_id in enumerate(dict.fromkeys(ids), 1):
            item = fused.setdefault(doc_id, Fused(doc_id))
            item.score += weight / (k + rank)
            item.ranks[side] = rank
            order.setdefault(doc_id, (rank, side_at))
    return sorted(fused.values(), key=lambda f: (-f.score, f.best_rank(), order[f.id]))


def hybrid_order(lexical: Sequence[str], semantic: Sequence[str], *, window: int, k: float,
                 semantic_weight: float) -> list[Fused]:
    """The whole reading order: the fused head, then the BM25 ranking's rest (each id once)."""
    head = rrf({LEXICAL: lexical[:window], SEMANTIC: semantic}, k=k,
               weights={LEXICAL: 1.0, SEMANTIC: semantic_weight})
    seen = {item.id for item in head}
    tail = [Fused(doc_id, 0.0, {LEXICAL: rank}) for rank, doc_id in enumerate(lexical, 1)
            if rank > window and doc_id not in seen]
    return head + tail
