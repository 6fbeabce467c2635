"""k-fold selection: which configuration a benchmark would pick without seeing the item.

Every configuration is run once over every item (its per-item scores kept); then, fold by
fold, the configuration best on the other k-1 folds is scored on the held-out one. Each item
is scored exactly once, by a choice made without it: the figure a tuned constant would reach
on items nobody tuned on. The in-sample figure (best over all items) sits beside it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
SEED = 13


@dataclass(frozen=True)
class Selection(Generic[T]):
    held_out: dict[str, T]
    chosen: list[int]  # per fold, the index of the configuration picked on the other folds
    in_sample: int  # the configuration best over all items


def folds_of(items: Sequence[str], folds: int, seed: int = SEED) -> list[list[str]]:
    """``items`` shuffled with a fixed seed and dealt into ``folds`` parts."""
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    return [shuffled[i::folds] for i in range(folds)]


def select(items: Sequence[str], per_config: Sequence[Mapping[str, T]],
           aggregate: Callable[[list[T]], float], folds: int, seed: int = SEED) -> Selection[T]:
    """k-fold selection over ``per_config[c][item]`` scores; ``aggregate`` turns a list of
    per-item scores into the figure being maximised (ties go to the earlier configuration,
    so list the shipped one first)."""
    if not per_config:
        raise ValueError("no configurations to choose from")

    def best(over: list[str]) -> int:
        figures = [aggregate([scores[i] for i in over]) for scores in per_config]
        return max(range(len(figures)), key=lambda c: (figures[c], -c))

    held_out: dict[str, T] = {}
    chosen = []
    parts = folds_of(items, folds, seed)
    for k, test in enumerate(parts):
        train = [i for j, part in enumerate(parts) if j != k for i in part]
        pick = best(train)
        chosen.append(pick)
        held_out.update({i: per_config[pick][i] for i in test})
    return Selection(held_out, chosen, best(list(items)))
