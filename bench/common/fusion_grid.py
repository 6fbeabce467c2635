"""The hybrid constants chosen on judged queries, by k-fold cross-validation.

Each judged query's two rankings are fetched once, with the bodies the product sends
(``build_lexical_ranks`` and ``build_semantic_ranks``, at the grid's deepest settings); every
grid point is then the product's own fusion (:func:`indexer.query.fusion.hybrid_order`) over
them: a smaller ``semantic_k`` is the first k neighbours, a ``min_similarity`` drops those
below it. So 1,008 configurations cost two searches a query, and what is scored is the code
readers get. ``bench/relevance.py`` then runs the chosen constants through the real path.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from elasticsearch import Elasticsearch

from bench.common import crossval
from indexer.embedding import Embedder
from indexer.query import builder as b
from indexer.query.fusion import hybrid_order
from indexer.query.ranking import DEFAULT
from indexer.query.request import SearchRequest, parse_query_text
from indexer.relevance import evaluation
from indexer.relevance.judgments import Judged

# The shipped value first in each list (ties go to it).
GRID: dict[str, tuple[Any, ...]] = {
    "rrf_k": (20.0, 5.0, 10.0, 40.0, 60.0, 100.0),
    "semantic_weight": (0.25, 0.1, 0.15, 0.5, 0.75, 1.0, 1.5),
    "semantic_k": (50, 10, 20, 100),
    "min_similarity": (0.25, 0.0, 0.1, 0.2, 0.3, 0.4),
}
DEPTH = evaluation.DEPTH
WEIGHT = "semantic_weight"
SHUFFLES = 5


@dataclass(frozen=True)
class Sides:
    lexical: list[str]
    semantic: list[tuple[str, float]]  # (url, cosine), nearest first


def fetch(client: Elasticsearch, index: str, judged: Judged, embedder: Embedder) -> dict[str, Sides]:
    deepest = replace(DEFAULT, semantic_k=max(GRID["semantic_k"]), min_similarity=0.0,
                      num_candidates=max(DEFAULT.num_candidates, max(GRID["semantic_k"])))
    out: dict[str, Sides] = {}
    for qid in judged.judged_ids:
        req = SearchRequest(q=parse_query_text(judged.queries[qid]), size=DEPTH, mode="hybrid")
        vector = embedder.embed_query(b.semantic_text(req))
        lexical = client.search(index=index, body=b.build_lexical_ranks(req, DEPTH, ranking=deepest)).body
        semantic: dict[str, Any] = {"hits": {"hits": []}}
        if vector is not None:
            body = b.build_semantic_ranks(req, vector, ranking=deepest)
            semantic = client.search(index=index, body=body).body
        near = semantic["hits"]["hits"]
        out[qid] = Sides(b.ranked_urls(lexical["hits"]["hits"]),
                         list(zip(b.ranked_urls(near), (2 * h["_score"] - 1 for h in near), strict=True)))
    return out


def fused(sides: Sides, config: dict[str, Any]) -> list[str]:
    near = [url for url, cos in sides.semantic[:config["semantic_k"]] if cos >= config["min_similarity"]]
    order = hybrid_order(sides.lexical, near, window=DEFAULT.lexical_window, k=config["rrf_k"],
                         semantic_weight=config["semantic_weight"])
    return [item.id for item in order][:DEPTH]


def cross_validate(fetched: dict[str, Sides], judged: Judged, baseline: float, folds: int) -> dict[str, Any]:
    configs = [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]
    per_config = [_per_query(fetched, judged, c) for c in configs]
    lexical = evaluation.score("lexical", {q: s.lexical for q, s in fetched.items()}, judged)
    dense = evaluation.score("dense", {q: [u for u, _ in s.semantic] for q, s in fetched.items()}, judged)
    picked = crossval.select(list(judged.judged_ids), per_config, statistics.fmean, folds)
    cv = statistics.fmean(picked.held_out.values())
    best_in = statistics.fmean(per_config[picked.in_sample].values())
    current = configs.index({k: getattr(DEFAULT, k) for k in GRID})
    default = statistics.fmean(per_config[current].values())
    lex = lexical.means["ndcg@10"]
    print(f"hybrid grid ({len(configs)} configurations): cross-validated nDCG@10 {cv:.4f} "
          f"({cv / baseline:.3f}x BM25, {cv / lex:.3f}x lexical); in-sample best {best_in:.4f} with "
          f"{configs[picked.in_sample]}; shipped {default:.4f}; lexical {lex:.4f}; dense alone "
          f"{dense.means['ndcg@10']:.4f}", flush=True)
    return {"folds": folds, "grid": {k: list(v) for k, v in GRID.items()}, "configurations": len(configs),
            "cv_ndcg10": round(cv, 4), "cv_ratio_bm25": round(cv / baseline, 3),
            "cv_ratio_lexical": round(cv / lex, 3),
            "in_sample_best": configs[picked.in_sample], "in_sample_best_ndcg10": round(best_in, 4),
            "shipped_ndcg10": round(default, 4), "lexical_ndcg10": round(lex, 4),
            "dense_only": dense.to_dict(), "chosen_per_fold": [configs[c] for c in picked.chosen],
            "per_query_cv_vs_lexical": _wins(picked.held_out, lexical.per_query),
            "weight_only": _weight_only(configs, per_config, list(judged.judged_ids), folds, baseline, lex)}


def _weight_only(configs: list[dict[str, Any]], per_config: list[dict[str, float]], queries: list[str],
                 folds: int, baseline: float, lexical: float) -> dict[str, Any]:
    """Cross-validation of the vector side's weight alone, the other constants as shipped: the
    fewer the constants chosen on the queries, the less the choice fits them alone. Averaged
    over SHUFFLES dealings of the queries into folds, since one dealing of 52 moves it."""
    shipped = {k: getattr(DEFAULT, k) for k in GRID if k != WEIGHT}
    chosen = [i for i, c in enumerate(configs) if all(c[k] == v for k, v in shipped.items())]
    figures = []
    for seed in range(crossval.SEED, crossval.SEED + SHUFFLES):
        picked = crossval.select(queries, [per_config[i] for i in chosen], statistics.fmean, folds, seed)
        figures.append(statistics.fmean(picked.held_out.values()))
    cv = statistics.fmean(figures)
    print(f"hybrid, the weight alone cross-validated: nDCG@10 {cv:.4f} ({cv / baseline:.3f}x BM25, "
          f"{cv / lexical:.3f}x lexical; {min(figures):.4f}-{max(figures):.4f} over {SHUFFLES} dealings)",
          flush=True)
    return {"weights": [configs[i][WEIGHT] for i in chosen], "shuffles": SHUFFLES, "cv_ndcg10": round(cv, 4),
            "cv_range": [round(min(figures), 4), round(max(figures), 4)],
            "cv_ratio_bm25": round(cv / baseline, 3), "cv_ratio_lexical": round(cv / lexical, 3)}


def _per_query(fetched: dict[str, Sides], judged: Judged, config: dict[str, Any]) -> dict[str, float]:
    report = evaluation.score(str(config), {q: fused(s, config) for q, s in fetched.items()}, judged)
    return {q: m["ndcg@10"] for q, m in report.per_query.items()}


def _wins(held_out: dict[str, float], lexical: dict[str, dict[str, float]]) -> dict[str, int]:
    deltas: Sequence[float] = [held_out[q] - lexical[q]["ndcg@10"] for q in held_out]
    return {"better": sum(d > 1e-9 for d in deltas), "worse": sum(d < -1e-9 for d in deltas),
            "same": sum(abs(d) <= 1e-9 for d in deltas)}
