"""The typo generator: seeded, one Damerau edit per mistyped word, long words only."""

from __future__ import annotations

import random

import pytest

from bench.common import typos

pytestmark = pytest.mark.unit

QUERIES = [
    "Parallel algorithms for sorting and searching in computer memory hierarchies",
    "Describe the performance of interrupt handling in time-sharing operating systems",
    "Algorithm 352: Characteristic Values and Associated Solutions of Mathieu's Differential Equation",
    "compiler optimization",
    "What articles exist which deal with TSS (Time Sharing System)?",
]


def damerau(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def test_the_same_seed_gives_the_same_typos_and_another_seed_others() -> None:
    first = [typos.mistype(q, seed=7) for q in QUERIES]
    assert [typos.mistype(q, seed=7) for q in reversed(QUERIES)] == first[::-1]
    assert [typos.mistype(q, seed=8).text for q in QUERIES] != [m.text for m in first]


def test_about_one_long_word_in_four_and_at_least_one() -> None:
    long_one = " ".join(["keyboard", "of", "the"] + ["algorithm", "memory", "paging", "storage"] * 2)
    assert len(typos.mistype(long_one, seed=1).typos) == 2  # 8 long words
    assert len(typos.mistype("compiler optimization", seed=1).typos) == 1
    assert typos.mistype("a cat on the mat", seed=1) == typos.Mistyped("a cat on the mat", ())


@pytest.mark.parametrize("seed", range(40))
def test_every_change_is_one_edit_of_a_long_word_and_nothing_else_moves(seed: int) -> None:
    for q in QUERIES:
        done = typos.mistype(q, seed)
        assert done.typos and done.text != q
        for typo in done.typos:
            assert typos.is_long(typo.word) and typo.word in q
            assert damerau(typo.word, typo.typed) == 1, typo
        rebuilt = done.text
        for typo in reversed(done.typos):
            at = rebuilt.rindex(typo.typed)
            rebuilt = rebuilt[:at] + typo.word + rebuilt[at + len(typo.typed):]
        assert rebuilt == q


def test_short_words_stopwords_quotes_and_exclusions_are_left_as_typed() -> None:
    q = 'the "operating system" -scheduling with disk paging'
    for seed in range(30):
        done = typos.mistype(q, seed)
        assert [t.word for t in done.typos] == ["paging"]
        assert done.text.startswith('the "operating system" -scheduling with disk ')
    assert typos.mistype("which about these cats", 1).typos == ()


@pytest.mark.parametrize("kind", typos.KINDS)
def test_each_kind_does_what_it_says(kind: str) -> None:
    rng = random.Random(3)
    for word in ("Memory", "allocation", "queueing", "Parallel"):
        for _ in range(20):
            typed = typos.apply(word, kind, rng)
            assert damerau(word, typed) == 1
            if kind == "swap":
                assert sorted(typed) == sorted(word) and len(typed) == len(word)
            elif kind == "drop":
                assert len(typed) == len(word) - 1
            elif kind == "double":
                i = next((i for i, (a, b) in enumerate(zip(word, typed, strict=False)) if a != b), len(word))
                assert typed == word[:i] + word[i - 1] + word[i:]
            else:
                i = next(i for i, (a, b) in enumerate(zip(word, typed, strict=True)) if a != b)
                assert typed[i].lower() in typos.NEIGHBOURS[word[i].lower()]
                assert typed[i].isupper() == word[i].isupper()


def test_neighbouring_keys_follow_the_staggered_rows() -> None:
    assert set(typos.NEIGHBOURS["g"]) == set("tyfhvb")
    assert set(typos.NEIGHBOURS["q"]) == set("wa")
    assert set(typos.NEIGHBOURS["m"]) == set("njk")
    assert all(a in typos.NEIGHBOURS[b] for a, near in typos.NEIGHBOURS.items() for b in near)


def test_a_word_of_one_letter_repeated_is_not_swapped_and_letters_off_the_keyboard_get_no_neighbour() -> None:
    assert typos._kinds_for("aaaaa") == ("drop", "double", "neighbour")
    assert typos._kinds_for("ééééé") == ("drop", "double")
