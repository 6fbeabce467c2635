"""k-fold selection scores every item once, by a choice made without it."""

from __future__ import annotations

import statistics

import pytest

from bench.common import crossval


def test_folds_deal_every_item_once() -> None:
    items = [f"q{i}" for i in range(23)]
    parts = crossval.folds_of(items, 5)
    assert len(parts) == 5
    assert sorted(i for part in parts for i in part) == sorted(items)
    assert crossval.folds_of(items, 5) == parts, "a fixed seed: the same folds every run"


def test_a_choice_that_only_fits_one_item_is_not_made_for_it() -> None:
    items = [f"p{i}" for i in range(10)]
    steady = {i: 0.8 for i in items}
    # Perfect on one item, poor elsewhere: best in-sample only if that item decides.
    lucky = {i: (1.0 if i == "p3" else 0.7) for i in items}
    picked = crossval.select(items, [steady, lucky], statistics.fmean, folds=10)
    assert picked.in_sample == 0
    assert picked.chosen == [0] * 10
    assert picked.held_out == steady


def test_held_out_scores_come_from_the_other_folds_choice() -> None:
    items = [f"p{i}" for i in range(8)]
    # Config 1 wins on p0..p5 by a little, config 0 wins on p6, p7 by a lot: the fold that
    # holds p6 and p7 out sees only config 1's wins and picks it, so they score config 1's.
    first = {i: (0.5 if int(i[1:]) < 6 else 1.0) for i in items}
    second = {i: (0.6 if int(i[1:]) < 6 else 0.0) for i in items}
    picked = crossval.select(items, [first, second], statistics.fmean, folds=4)
    assert set(picked.held_out) == set(items)
    for fold, test in zip(picked.chosen, crossval.folds_of(items, 4), strict=True):
        table = (first, second)[fold]
        assert all(picked.held_out[i] == table[i] for i in test)
    assert picked.in_sample == 0  # over all items, config 0's two big wins decide


def test_ties_go_to_the_first_configuration() -> None:
    items = ["a", "b", "c"]
    same = {i: 0.5 for i in items}
    assert crossval.select(items, [same, dict(same)], statistics.fmean, folds=3).chosen == [0, 0, 0]


def test_no_configuration_is_an_error() -> None:
    with pytest.raises(ValueError):
        crossval.select(["a"], [], statistics.fmean, folds=1)
