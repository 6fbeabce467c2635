"""The ranking's constants, each chosen by ``pagesift eval`` on judged queries.

Every value here was picked on the CACM collection by cross-validation over its queries
(``bench/relevance.py --cv``; figures and the alternatives tried in docs/search.md, "Ranking").
:class:`Ranking` bundles them so the evaluation harness can run another configuration beside
the default (``pagesift eval --compare``); the search page and the API always use
:data:`DEFAULT`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

# BM25F weight of the title against the body (combined_fields): a word in the title counts as
# this many occurrences in the body. 1, 2, 3 and 4 were tried; every fold chose 2.
TITLE_WEIGHT = 2.0
# Articles holding every content word rank above all others: this constant is added to their
# BM25F score, and is far above what BM25F can give (at most about idf x 2.2 per word, so under
# 30 a word even on a corpus of millions), which makes "all the words" a strict first tier.
# Three folds of four chose it over none (0); its in-sample gain on CACM is small (+0.002),
# since long questions rarely have every word in one abstract: it is there for short queries.
ALL_WORDS_BOOST = 1000.0
# Sequential dependence: each pair of adjacent content words found as a phrase adds its phrase
# score times this. Applied to the best RESCORE_WINDOW hits only, where it can change the order
# readers see, so phrase matching never runs over every candidate. 0, 0.15, 0.3 and 0.6 were
# tried (three folds of four chose 0.3), slop 0 and 3 (three of four chose 0: adjacent).
PROXIMITY_BOOST = 0.3
PROXIMITY_SLOP = 0
RESCORE_WINDOW = 100
# An article filed under a category, tag or author the query names (indexer/query/sitewords.py)
# gets this added to its score, once per name: a nudge within a tier (a BM25F score on CACM runs
# from about 10 to 60), never across the all-words one. Chosen on CACM with its keywords as tags
# and its authors as authors (bench/site_words.py): 0, 0.5, 1, 2, 4, 8 and 16 were tried; 1 is
# the in-sample best (0.5299 against 0.5144 without), two folds of four chose it (two chose 4);
# held out, 0.5222. On a site without names it changes nothing (plain CACM: 0.5156 either way).
SITE_WORD_BOOST = 1.0
# Within "Exact matches only", the title outranks the body as it always did.
EXACT_TITLE_BOOST = 3.0

# Hybrid search (indexer/searching.py): the BM25 ranking's best LEXICAL_WINDOW and the
# SEMANTIC_K nearest articles by vector are fused by reciprocal rank (indexer/query/fusion.py):
# an article scores weight / (RRF_K + rank) on each side that found it, the BM25 side's weight
# being 1. Below MIN_SIMILARITY (cosine) a neighbour is no match at all, so a query of unknown
# words does not bring back the whole index; it is the model's own scale (wordllama:256 here),
# to choose again with `pagesift eval` when the model changes. The values are the grid's best on
# CACM (bench/common/fusion_grid.py: 6 x 7 x 4 x 6 configurations, 4-fold cross-validated;
# figures in docs/search.md): a light vector side (a knn-only article at rank 1 sits with the
# BM25 side's rank ~60), which keeps what BM25 ranks well and still finds an article that shares
# no word with the query. MIN_SIMILARITY is not CACM's best (0.3, for its long questions): with
# this model a one-word query meets its article at about 0.3 and off-topic ones at 0.16 or less
# (docs/search.md), so the floor sits where a one-word synonym still passes.
# SEMANTIC_K: with these weights a vector-only article below its side's 10th place falls below
# the BM25 side's 100th, so deeper neighbours matter only to searches few articles match; 50
# serve those (CACM: 0.5247 against 0.5261 with 100, in-sample), and the knn, the costliest
# part of a hybrid search, takes about two thirds of the time (NUM_CANDIDATES, the HNSW search's
# breadth, at twice k as Elasticsearch advises; 100,000 articles: docs/search.md).
RRF_K = 20.0
LEXICAL_WINDOW = 100
SEMANTIC_K = 50
SEMANTIC_WEIGHT = 0.25
MIN_SIMILARITY = 0.25
NUM_CANDIDATES = 100

# Typo tolerance (indexer/query/spelling.py). A word is corrected when it occurs in fewer than
# TYPO_RARE_RATIO times the articles its closest spelling occurs in (0: only words the index
# lacks); the correction then counts TYPO_WEIGHT of the typed word's score. The spelling as
# typed ranks first even at 1: a corrected word is rare beside its correction by that rule, so its
# BM25 idf is the higher. A correction shares the word's first TYPO_PREFIX_LENGTH letters.
# Cross-validated (4 folds) on CACM's judged queries and 200 titles, clean and mistyped, over
# ratio 0/0.1/0.3/1, weight 0.5/0.65/0.8/0.9/1 and prefix 0/1 (docs/search.md, "Typo
# tolerance"): prefix 0 in every fold (Elasticsearch's default, 1, misses every typo on the
# first letter: 0.957 of the clean nDCG@10 kept against 0.977); weight 0.9 or 1 (two folds each;
# 0.5 keeps 0.93); ratio 0.1 or 0 alike on CACM, whose typos all make words no article has,
# 1 lower (clean 0.5141 against 0.5144): 0.1 also corrects a typo a few articles share.
# The weight was then chosen on lexical and hybrid at once (readers get hybrid by default;
# bench/typo_tolerance.py --weight-both-modes, 0.9/1/0.8/0.65): 1 in three folds of four, 0.9
# in one; hybrid keeps 0.975 of its clean nDCG@10 with 1 against 0.970 with 0.9.
TYPO_RARE_RATIO = 0.1
TYPO_WEIGHT = 1.0
TYPO_PREFIX_LENGTH = 0


@dataclass(frozen=True)
class Ranking:
    title_weight: float = TITLE_WEIGHT
    all_words_boost: float = ALL_WORDS_BOOST
    proximity_boost: float = PROXIMITY_BOOST
    site_word_boost: float = SITE_WORD_BOOST
    proximity_slop: int = PROXIMITY_SLOP
    rescore_window: int = RESCORE_WINDOW
    rrf_k: float = RRF_K
    lexical_window: int = LEXICAL_WINDOW
    semantic_k: int = SEMANTIC_K
    semantic_weight: float = SEMANTIC_WEIGHT
    min_similarity: float = MIN_SIMILARITY
    num_candidates: int = NUM_CANDIDATES
    typo_rare_ratio: float = TYPO_RARE_RATIO
    typo_weight: float = TYPO_WEIGHT
    typo_prefix_length: int = TYPO_PREFIX_LENGTH

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> Ranking:
        """The default with ``values`` replaced; an unknown name is an error, not ignored."""
        known = {f.name: f.type for f in fields(cls)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ValueError(f"unknown ranking setting {unknown[0]!r}; known: {', '.join(sorted(known))}")
        return replace(DEFAULT, **{k: type(getattr(DEFAULT, k))(v) for k, v in values.items()})


DEFAULT = Ranking()
