"""Reciprocal rank fusion: scores, ties, windows, one-sided hits, paging through the order."""

from __future__ import annotations

import pytest

from indexer.query.fusion import LEXICAL, SEMANTIC, hybrid_order, rrf

pytestmark = pytest.mark.unit


def ids(items: list) -> list[str]:
    return [item.id for item in items]


def test_an_article_both_sides_found_outranks_one_found_by_a_side_alone() -> None:
    fused = rrf({LEXICAL: ["a", "b"], SEMANTIC: ["c", "b"]}, k=60, weights={})
    assert ids(fused)[0] == "b"
    assert fused[0].score == pytest.approx(1 / 62 + 1 / 62)
    assert fused[0].ranks == {LEXICAL: 2, SEMANTIC: 2}


def test_a_hit_found_by_one_side_only_keeps_its_rank_and_lacks_the_other() -> None:
    fused = {f.id: f for f in rrf({LEXICAL: ["a"], SEMANTIC: ["z"]}, k=10, weights={})}
    assert fused["z"].ranks == {SEMANTIC: 1}
    assert fused["a"].ranks == {LEXICAL: 1}


def test_ties_go_to_the_better_rank_then_to_the_side_listed_first() -> None:
    # a and z both score 1/(k+1); b and y 1/(k+2): same scores, so the lexical side's goes first.
    fused = rrf({LEXICAL: ["a", "b"], SEMANTIC: ["z", "y"]}, k=60, weights={})
    assert ids(fused) == ["a", "z", "b", "y"]
    assert rrf({LEXICAL: ["a", "b"], SEMANTIC: ["z", "y"]}, k=60, weights={}) == fused  # stable


def test_a_lighter_side_needs_a_better_rank_to_beat_the_other() -> None:
    fused = rrf({LEXICAL: [f"l{i}" for i in range(1, 11)], SEMANTIC: ["s1"]}, k=20,
                weights={LEXICAL: 1.0, SEMANTIC: 0.25})
    # 0.25 / 21 sits between 1/81 and 1/85: past every one of ten BM25 hits (1/30 at worst).
    assert ids(fused)[-1] == "s1"


def test_an_id_repeated_within_a_side_counts_once_at_its_best_rank() -> None:
    fused = rrf({LEXICAL: ["a", "a", "b"]}, k=60, weights={})
    assert ids(fused) == ["a", "b"]
    assert fused[1].ranks == {LEXICAL: 2}


def test_past_the_window_the_bm25_ranking_goes_on_and_skips_what_was_shown() -> None:
    lexical = [f"l{i}" for i in range(1, 8)]
    semantic = ["s1", "l6"]  # l6 is past the window, but the vector side brings it into the head
    order = hybrid_order(lexical, semantic, window=3, k=60, semantic_weight=1.0)
    head = ids(order)[:5]
    assert set(head) == {"l1", "l2", "l3", "s1", "l6"}
    assert ids(order)[5:] == ["l4", "l5", "l7"]
    assert order[5].ranks == {LEXICAL: 4} and order[5].score == 0.0


def test_paging_through_the_order_meets_every_article_exactly_once() -> None:
    lexical = [f"d{i}" for i in range(0, 40)]
    semantic = [f"d{i}" for i in range(35, 20, -1)] + ["x1", "x2"]
    order = ids(hybrid_order(lexical, semantic, window=10, k=20, semantic_weight=0.5))
    pages = [order[offset:offset + 7] for offset in range(0, len(order), 7)]
    met = [doc for page in pages for doc in page]
    assert sorted(met) == sorted(set(lexical) | set(semantic))
    assert len(met) == len(set(met))


def test_no_vector_hits_leaves_the_bm25_order_as_it_was() -> None:
    lexical = ["a", "b", "c", "d"]
    assert ids(hybrid_order(lexical, [], window=2, k=60, semantic_weight=1.0)) == lexical
