"""Seeded typing errors in a query: the typo benchmark's mistyped twin of each clean query.

The kinds readers make and site search forgives (Damerau's four single-edit errors, which are
most real misspellings): two adjacent letters swapped, one letter dropped, one letter doubled,
one letter replaced by a key next to it on a QWERTY keyboard. Each is one Damerau edit.

Only *long* words are mistyped: runs of at least :data:`MIN_LETTERS` letters that the search
does not drop as stopwords (:func:`indexer.query.stopwords.is_stopword`). Tolerance is never
asked of shorter words (none under 5 letters, as Algolia and Meilisearch do), and a typo in a
stopword would test the stopword list rather than the tolerance. Words inside ``"quotes"`` and
``-exclusions`` are left as typed: there the reader asked for the spelling itself.

Of a query's long words, about one in four (:data:`RATE`, rounded half up) is mistyped, and at
least one when there is any: ``max(1, round(n / 4))`` of them, chosen at random. A fixed count
rather than a coin per word keeps short queries (titles) from going untouched by chance. The
random choices are seeded with ``(seed, text)``, so a query's typos depend on nothing else (not
on which other queries are in the run, their order, or the process's hash seed): a fold of a
cross-validation sees the same typos as the whole set.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from indexer.query.stopwords import is_stopword

MIN_LETTERS = 5
RATE = 0.25
KINDS = ("swap", "drop", "double", "neighbour")
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# How far each row sits right of the one above, in key widths, on a standard keyboard.
_ROW_SHIFT = (0.0, 0.25, 0.75)
# A quoted phrase (maybe unclosed), an -exclusion, or a run of letters.
_TOKEN = re.compile(r'(?P<quoted>"[^"]*"?)|(?P<excluded>(?<!\S)-\S+)|(?P<word>[^\W\d_]+)')


@dataclass(frozen=True)
class Typo:
    word: str
    typed: str
    kind: str


@dataclass(frozen=True)
class Mistyped:
    text: str
    typos: tuple[Typo, ...]


def _neighbours() -> dict[str, str]:
    """Each letter's neighbouring keys: beside it on its row, or overlapping it on the row
    above or below (rows are staggered, so "g" touches t, y, f, h, v and b)."""
    keys = [(ch, r, c + _ROW_SHIFT[r]) for r, row in enumerate(_ROWS) for c, ch in enumerate(row)]
    near: dict[str, str] = {}
    for ch, r, x in keys:
        near[ch] = "".join(other for other, r2, x2 in keys
                           if other != ch and abs(r2 - r) <= 1 and abs(x2 - x) < (1.01 if r2 == r else 1.0))
    return near


NEIGHBOURS = _neighbours()


def is_long(word: str) -> bool:
    return len(word) >= MIN_LETTERS and not is_stopword(word)


def mistype(text: str, seed: int, rate: float = RATE) -> Mistyped:
    """``text`` with ``max(1, round(rate * n))`` of its ``n`` long words mistyped (none if n is 0)."""
    rng = random.Random(f"{seed}\x00{text}")
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)
             if m.lastgroup == "word" and is_long(m.group())]
    if not spans:
        return Mistyped(text, ())
    count = max(1, int(rate * len(spans) + 0.5))
    chosen = sorted(rng.sample(spans, count))
    out, typos, at = [], [], 0
    for start, end in chosen:
        word = text[start:end]
        kind = rng.choice(_kinds_for(word))
        typed = apply(word, kind, rng)
        typos.append(Typo(word, typed, kind))
        out += [text[at:start], typed]
        at = end
    out.append(text[at:])
    return Mistyped("".join(out), tuple(typos))


def _kinds_for(word: str) -> tuple[str, ...]:
    kinds = KINDS
    if not any(c.lower() in NEIGHBOURS for c in word):
        kinds = tuple(k for k in kinds if k != "neighbour")
    if not _swappable(word):
        kinds = tuple(k for k in kinds if k != "swap")
    return kinds


def _swappable(word: str) -> list[int]:
    # Swapping two equal letters changes nothing: only pairs that differ are typos.
    return [i for i in range(len(word) - 1) if word[i] != word[i + 1]]


def apply(word: str, kind: str, rng: random.Random) -> str:
    """One typo of ``kind`` at a random place in ``word``; always exactly one Damerau edit."""
    if kind == "swap":
        i = rng.choice(_swappable(word))
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "drop":
        i = rng.randrange(len(word))
        return word[:i] + word[i + 1:]
    if kind == "double":
        i = rng.randrange(len(word))
        return word[:i + 1] + word[i:]
    if kind == "neighbour":
        i = rng.choice([j for j, c in enumerate(word) if c.lower() in NEIGHBOURS])
        key = rng.choice(NEIGHBOURS[word[i].lower()])
        return word[:i] + (key.upper() if word[i].isupper() else key) + word[i + 1:]
    raise ValueError(f"unknown typo kind {kind!r}")
