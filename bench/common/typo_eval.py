"""The typo benchmark: how much of a ranking's quality survives readers' typing errors.

Two sets, each searched clean and mistyped (:mod:`bench.common.typos`, one or more seeds):

- the judged queries, scored by nDCG@10 (:func:`indexer.relevance.evaluation.score`);
- a seeded sample of article titles used as queries, scored 1 when the title's own article is
  in the top :data:`TOP`, else 0 (a reader looking for an article they know).

A ranking is any :data:`indexer.relevance.evaluation.Ranker` (query text -> URLs best first),
so the product's path in either mode (``evaluation.product_ranker``, with any ``Ranking``),
plain BM25, or a candidate of typo constants are measured alike. :func:`measure` keeps every
item's figures, clean and per seed, so a benchmark can read wins and losses query by query, and
a cross-validation of typo constants can pick on some items and score on others:
:func:`cross_validate` does that over :func:`measure`'s figures for a grid of configurations.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bench.common import crossval, typos
from indexer.relevance import evaluation
from indexer.relevance.judgments import Judged

SEEDS = (1, 2, 3)
TITLES = 200
TITLE_SEED = 30
TOP = 3
# The targets: the mistyped keep this share of the clean figure.
TARGET_KEPT = 0.97

Pair = tuple[float, float]  # (clean, mistyped averaged over seeds)


@dataclass(frozen=True)
class TypoSet:
    judged: Judged
    titles: dict[str, str]  # article URL -> its title, the query that should find it
    seeds: tuple[int, ...] = SEEDS

    def mistyped(self, text: str, seed: int) -> str:
        return typos.mistype(text, seed).text


def sample_titles(titles: Mapping[str, str], size: int = TITLES, seed: int = TITLE_SEED) -> dict[str, str]:
    chosen = random.Random(seed).sample(sorted(titles), min(size, len(titles)))
    return {url: titles[url] for url in chosen}


@dataclass(frozen=True)
class Scores:
    """One measure over one set of items, clean and mistyped."""

    clean: dict[str, float]
    mistyped: dict[int, dict[str, float]]  # seed -> item -> figure

    def pairs(self) -> dict[str, Pair]:
        """Item -> (clean, mistyped averaged over seeds): the shape :func:`crossval.select` takes."""
        return {i: (c, statistics.fmean(m[i] for m in self.mistyped.values())) for i, c in self.clean.items()}

    def summary(self) -> dict[str, Any]:
        pairs = list(self.pairs().values())
        return {"clean": _mean(c for c, _ in pairs), "mistyped": _mean(m for _, m in pairs),
                "kept": round(kept(pairs), 4),
                "mistyped_per_seed": {str(s): _mean(m.values()) for s, m in self.mistyped.items()},
                "items": len(pairs), "losses": sum(m < c for c, m in pairs),
                "wins": sum(m > c for c, m in pairs)}


@dataclass(frozen=True)
class Figures:
    queries: Scores  # nDCG@10 of each judged query
    titles: Scores  # 1.0 when the title found its article in the top TOP

    def summary(self) -> dict[str, Any]:
        queries, titles = self.queries.summary(), self.titles.summary()
        return {"queries_ndcg10": queries, f"titles_top{TOP}": titles,
                "meets_target": queries["kept"] >= TARGET_KEPT and titles["kept"] >= TARGET_KEPT}


def measure(rank: evaluation.Ranker, typo_set: TypoSet) -> Figures:
    judged = typo_set.judged

    def ndcg(text_of: Callable[[str], str]) -> dict[str, float]:
        run = {qid: rank(text_of(judged.queries[qid])) for qid in judged.judged_ids}
        return {q: m["ndcg@10"] for q, m in evaluation.score("typos", run, judged).per_query.items()}

    def found(text_of: Callable[[str], str]) -> dict[str, float]:
        return {url: float(url in rank(text_of(title))[:TOP]) for url, title in typo_set.titles.items()}

    def same(text: str) -> str:
        return text

    def typed(seed: int) -> Callable[[str], str]:
        return lambda text: typo_set.mistyped(text, seed)

    return Figures(Scores(ndcg(same), {s: ndcg(typed(s)) for s in typo_set.seeds}),
                   Scores(found(same), {s: found(typed(s)) for s in typo_set.seeds}))


def averaged(figures: Sequence[Figures]) -> Figures:
    """Each item's figure averaged over ``figures`` (the same set measured several ways: a
    configuration in each search mode), so a choice weighs every way alike."""
    def mean(scores: list[Scores]) -> Scores:
        clean = {i: statistics.fmean(s.clean[i] for s in scores) for i in scores[0].clean}
        mistyped = {seed: {i: statistics.fmean(s.mistyped[seed][i] for s in scores) for i in items}
                    for seed, items in scores[0].mistyped.items()}
        return Scores(clean, mistyped)
    return Figures(mean([f.queries for f in figures]), mean([f.titles for f in figures]))


def kept(pairs: Sequence[Pair]) -> float:
    """Mistyped over clean: the issue's figure. Alone it rewards a worse clean ranking, so
    choose constants on :func:`both` and report this beside it."""
    clean = statistics.fmean(c for c, _ in pairs)
    return statistics.fmean(m for _, m in pairs) / clean if clean else 0.0


def both(pairs: Sequence[Pair]) -> float:
    """The mean of the clean and the mistyped figure: what a choice of typo constants maximises."""
    return statistics.fmean((c + m) / 2 for c, m in pairs)


def cross_validate(configs: Sequence[Mapping[str, Any]], figures: Sequence[Figures], folds: int,
                   objective: Callable[[list[Pair]], float] = both) -> dict[str, Any]:
    """k-fold choice among ``configs`` (each measured into ``figures``; list the shipped one
    first, ties go to it), for the judged queries and for the titles, each on its own items:
    the held-out figures beside the in-sample best's."""
    out: dict[str, Any] = {"folds": folds, "configurations": len(configs)}
    for name in ("queries", "titles"):
        per_config = [getattr(f, name).pairs() for f in figures]
        picked = crossval.select(sorted(per_config[0]), per_config, objective, folds)
        held_out, in_sample = list(picked.held_out.values()), list(per_config[picked.in_sample].values())
        out[name] = {"cv": _pair_summary(held_out), "in_sample": _pair_summary(in_sample),
                     "shipped": _pair_summary(list(per_config[0].values())),
                     "in_sample_best": dict(configs[picked.in_sample]),
                     "chosen_per_fold": [dict(configs[c]) for c in picked.chosen]}
    return out


def _pair_summary(pairs: list[Pair]) -> dict[str, float]:
    return {"clean": _mean(c for c, _ in pairs), "mistyped": _mean(m for _, m in pairs),
            "kept": round(kept(pairs), 4)}


def _mean(values: Any) -> float:
    return round(statistics.fmean(values), 4)


def report(typo_set: TypoSet, measured: Mapping[str, Figures]) -> dict[str, Any]:
    """The benchmark's JSON: the set's definition, each ranking's summary, and item by item
    the texts searched and every ranking's figure for them."""
    seeds = typo_set.seeds
    queries = {qid: typo_set.judged.queries[qid] for qid in typo_set.judged.judged_ids}
    per_query = _per_item(typo_set, queries, {name: f.queries for name, f in measured.items()})
    per_title = _per_item(typo_set, typo_set.titles, {name: f.titles for name, f in measured.items()})
    return {"seeds": list(seeds), "rate": typos.RATE, "min_letters": typos.MIN_LETTERS,
            "kinds": list(typos.KINDS), "titles": len(typo_set.titles), "title_seed": TITLE_SEED,
            "top": TOP, "target_kept": TARGET_KEPT,
            **{name: f.summary() for name, f in measured.items()},
            "per_query": per_query, "per_title": per_title}


def _per_item(typo_set: TypoSet, texts: Mapping[str, str],
              scores: Mapping[str, Scores]) -> dict[str, dict[str, Any]]:
    return {item: {"text": text, "mistyped": {str(s): typo_set.mistyped(text, s) for s in typo_set.seeds},
                   **{name: _item(by, item) for name, by in scores.items()}}
            for item, text in texts.items()}


def _item(scores: Scores, item: str) -> dict[str, Any]:
    return {"clean": round(scores.clean[item], 4),
            "mistyped": {str(s): round(m[item], 4) for s, m in scores.mistyped.items()}}
