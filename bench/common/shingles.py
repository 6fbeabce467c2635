"""Shingle F1, exactly as ../shared/data/README.md defines it.

Tokens are ``\\w+`` matches (Unicode, case kept); a page's shingles are its runs of four
consecutive tokens, as a multiset. Per page TP/FP/FN are normalised by their sum (so long
pages weigh no more than short ones); precision and recall are means over pages, and F1
is the harmonic mean of those two means.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


@dataclass(frozen=True)
class PageScore:
    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float | None:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp) if self.tp + self.fp > 0 else None

    @property
    def recall(self) -> float | None:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn) if self.tp + self.fn > 0 else None

    @property
    def f1(self) -> float:
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def score_page(extracted: str, gold: str) -> PageScore:
    got, want = shingles(extracted), shingles(gold)
    tp = sum((got & want).values())
    fp = sum(got.values()) - tp
    fn = sum(want.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return PageScore(0.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


@dataclass(frozen=True)
class Summary:
    f1: float
    precision: float
    recall: float
    pages: int


def summarise(scores: list[PageScore]) -> Summary:
    precisions = [p for p in (s.precision for s in scores) if p is not None]
    recalls = [r for r in (s.recall for s in scores) if r is not None]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Summary(f1, p, r, len(scores))
