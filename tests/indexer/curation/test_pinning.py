"""Pinned articles in pages of hits: each at its place on its page, never twice, none lost."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.curation import pinning

pytestmark = pytest.mark.unit


def reference(organic: list[str], pinned: list[str], wanted: list[int]) -> list[str]:
    """The whole merged list, built the slow obvious way."""
    places = dict(zip(pinning.positions(wanted, len(organic)), pinned, strict=True))
    rest = iter(organic)
    return [places[n] if n in places else next(rest) for n in range(1, len(organic) + len(pinned) + 1)]


def paged(organic: list[str], pinned: list[str], wanted: list[int], size: int) -> list[list[str]]:
    """Every page as the search makes it: the organic window asked for, then merged."""
    pages, total = [], len(organic) + len(pinned)
    for offset in range(0, max(total, 1), size):
        start, count = pinning.window(wanted, offset, size)
        pages.append(pinning.merge(organic[start:start + count], pinned, wanted, len(organic), offset, size))
    return pages


def test_pins_take_their_places_on_page_one() -> None:
    organic = [f"o{n}" for n in range(1, 30)]
    first = paged(organic, ["P1", "P3"], [1, 3], 10)[0]
    assert first[:4] == ["P1", "o1", "P3", "o2"]
    assert len(first) == 10


def test_the_window_shifts_back_by_the_pins_before_and_shrinks_by_those_on_the_page() -> None:
    assert pinning.window([1, 3], 0, 10) == (0, 8)
    assert pinning.window([1, 3], 10, 10) == (8, 10)
    assert pinning.window([1, 12], 10, 10) == (9, 9)


def test_colliding_positions_move_the_later_pin_down() -> None:
    assert pinning.distinct([2, 2, 2, 7]) == [2, 3, 4, 7]


def test_a_pin_past_a_short_list_closes_up_behind_it() -> None:
    assert paged(["o1", "o2"], ["P"], [5], 10) == [["o1", "o2", "P"]]
    assert paged([], ["P", "Q"], [3, 9], 10) == [["P", "Q"]]


@given(organic_total=st.integers(0, 40), size=st.integers(1, 12),
       wanted=st.lists(st.integers(1, 10), max_size=5).map(sorted))
def test_pages_put_together_are_the_merged_list(organic_total: int, size: int, wanted: list[int]) -> None:
    organic = [f"o{n}" for n in range(organic_total)]
    pinned = [f"P{n}" for n in range(len(wanted))]
    pages = paged(organic, pinned, wanted, size)
    joined = [hit for page in pages for hit in page]
    assert joined == reference(organic, pinned, wanted)
    assert all(len(page) == size for page in pages[:-1])
