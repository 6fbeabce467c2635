"""Pinned articles placed at their positions in a page of hits.

The organic search leaves the pinned articles out (so none shows twice), and asks for the
window of organic hits that fills the page around the pins (:func:`window`); :func:`merge`
then interleaves them. A pin placed beyond the end of a short list closes up behind the last
organic hit (:func:`positions`), so pages never have holes, and the total is the organic
total plus the pins shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def distinct(wanted: Sequence[int]) -> list[int]:
    """Wanted positions (ascending, 1-based) made distinct: a collision moves the later pin down."""
    out: list[int] = []
    for p in wanted:
        out.append(max(p, out[-1] + 1) if out else max(p, 1))
    return out


def window(wanted: Sequence[int], offset: int, size: int) -> tuple[int, int]:
    """The organic ``from`` and ``size`` for the page at ``offset``: the pins before the page
    shift it back, those on the page take places from it."""
    places = distinct(wanted)
    before = sum(1 for p in places if p <= offset)
    inside = sum(1 for p in places if offset < p <= offset + size)
    return offset - before, size - inside


def positions(wanted: Sequence[int], organic_total: int) -> list[int]:
    """Where the pins land once the organic total is known: never past the organic hits."""
    return [min(p, organic_total + i + 1) for i, p in enumerate(distinct(wanted))]


def merge(organic: Sequence[T], pinned: Sequence[T], wanted: Sequence[int], organic_total: int,
          offset: int, size: int) -> list[T]:
    """The page at ``offset``: ``pinned[i]`` at ``positions(wanted)[i]``, organic hits between."""
    here = {p: hit for p, hit in zip(positions(wanted, organic_total), pinned, strict=True)
            if offset < p <= offset + size}
    rest = iter(organic)
    page: list[T] = []
    for place in range(offset + 1, offset + size + 1):
        hit = here.get(place)
        if hit is None:
            hit = next(rest, None)
        if hit is None:
            break
        page.append(hit)
    return page
