"""The typo benchmark's figures: clean and mistyped per item, their ratio, and the k-fold choice."""

from __future__ import annotations

import pytest

from bench.common import typo_eval, typos
from indexer.relevance.judgments import Judged

pytestmark = pytest.mark.unit

DOCS = {
    "u/1": "Parallel sorting algorithms",
    "u/2": "Compiler optimization techniques",
    "u/3": "Operating systems scheduling",
    "u/4": "Numerical integration methods",
}
# One long word each: mistyped, an exact-spelling ranking finds nothing.
JUDGED = Judged({"q1": "on sorting", "q2": "the compiler", "q3": "scheduling"},
                {"q1": {"u/1": 1}, "q2": {"u/2": 1}, "q3": {"u/3": 1}})
TYPO_SET = typo_eval.TypoSet(JUDGED, {url: DOCS[url] for url in ("u/1", "u/2", "u/4")}, seeds=(1, 2))


def exact_words(q: str) -> list[str]:
    """A ranking that knows only exact spellings: articles by words shared with the query."""
    words = set(q.lower().split())
    shared = {url: len(words & set(text.lower().split())) for url, text in DOCS.items()}
    return [url for url, n in sorted(shared.items(), key=lambda kv: -kv[1]) if n]


def forgiving(q: str) -> list[str]:
    """A ranking that reads every word's typos back: the mistyped search equals the clean."""
    undo = {t.typed.lower(): t.word.lower() for text in [*JUDGED.queries.values(), *DOCS.values()]
            for seed in TYPO_SET.seeds for t in typos.mistype(text, seed).typos}
    return exact_words(" ".join(undo.get(w, w) for w in q.lower().split()))


def test_a_ranking_blind_to_typos_loses_what_the_typo_took_and_a_forgiving_one_keeps_all() -> None:
    blind = typo_eval.measure(exact_words, TYPO_SET).summary()
    assert blind["queries_ndcg10"]["clean"] == 1.0 and blind["titles_top3"]["clean"] == 1.0
    assert blind["queries_ndcg10"]["mistyped"] < 1.0
    assert not blind["meets_target"]
    kept = typo_eval.measure(forgiving, TYPO_SET).summary()
    assert kept["queries_ndcg10"]["kept"] == 1.0 and kept["titles_top3"]["kept"] == 1.0
    assert kept["meets_target"] and kept["queries_ndcg10"]["losses"] == 0


def test_per_item_figures_are_kept_for_every_seed_and_named_in_the_report() -> None:
    figures = typo_eval.measure(exact_words, TYPO_SET)
    assert set(figures.queries.mistyped) == {1, 2}
    assert set(figures.titles.clean) == {"u/1", "u/2", "u/4"}
    out = typo_eval.report(TYPO_SET, {"lexical": figures})
    q1 = out["per_query"]["q1"]
    assert q1["text"] == "on sorting" and q1["mistyped"]["1"] == typos.mistype("on sorting", 1).text
    assert q1["lexical"]["clean"] == 1.0 and set(q1["lexical"]["mistyped"]) == {"1", "2"}
    assert out["lexical"]["titles_top3"]["items"] == 3


def test_kept_is_mistyped_over_clean_and_both_rewards_only_what_readers_see() -> None:
    pairs = [(1.0, 0.5), (0.5, 0.5)]
    assert typo_eval.kept(pairs) == pytest.approx(1 / 1.5)
    worse_clean = [(0.5, 0.5), (0.5, 0.5)]
    assert typo_eval.kept(worse_clean) > typo_eval.kept(pairs)
    assert typo_eval.both(worse_clean) < typo_eval.both(pairs)


def test_cross_validation_chooses_per_fold_and_scores_the_held_out_items() -> None:
    configs = [{"tolerance": "none"}, {"tolerance": "on"}]
    figures = [typo_eval.measure(exact_words, TYPO_SET), typo_eval.measure(forgiving, TYPO_SET)]
    cv = typo_eval.cross_validate(configs, figures, folds=3)
    assert cv["queries"]["in_sample_best"] == {"tolerance": "on"}
    assert cv["queries"]["cv"]["kept"] <= cv["queries"]["in_sample"]["kept"] == 1.0
    assert cv["queries"]["shipped"]["mistyped"] < 1.0
    assert len(cv["titles"]["chosen_per_fold"]) == 3


def test_the_title_sample_is_seeded() -> None:
    titles = {f"u/{i}": f"title {i}" for i in range(50)}
    assert typo_eval.sample_titles(titles, 10) == typo_eval.sample_titles(titles, 10)
    assert len(typo_eval.sample_titles(titles, 10)) == 10
    assert typo_eval.sample_titles(titles, 10, seed=1) != typo_eval.sample_titles(titles, 10, seed=2)


def test_figures_averaged_over_modes_are_each_items_mean() -> None:
    from bench.common.typo_eval import Figures, Scores, averaged

    a = Figures(Scores({"q": 1.0}, {1: {"q": 0.5}}), Scores({"t": 1.0}, {1: {"t": 0.0}}))
    b = Figures(Scores({"q": 0.0}, {1: {"q": 0.25}}), Scores({"t": 1.0}, {1: {"t": 1.0}}))
    mean = averaged([a, b])
    assert mean.queries.pairs() == {"q": (0.5, 0.375)} and mean.titles.pairs() == {"t": (1.0, 0.5)}
