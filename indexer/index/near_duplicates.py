"""Near-duplicate texts: MinHash signatures of word shingles, and LSH band keys to find them.

A republished copy differs from its original by a date line, a "first published in" note, an
AMP frame: its content hash differs, its shingles barely do. Each document carries its
signature (``near_signature``, stored, not indexed) and one key per LSH band (``near_keys``,
a keyword): copies share at least one band with near certainty, so a ``terms`` query on the
keys finds the candidates, and the signatures decide. Pure functions, no I/O.

Signatures depend on datasketch's permutation scheme: 1.x and 2.x give different values for
one text, hence the pin to 2.x; a new major version means a reclean to recompute them. Constants measured with
``bench/near_duplicates.py`` (figures in docs/benchmarks.md).
"""

from __future__ import annotations

import base64
import hashlib
import re
import struct
from collections.abc import Sequence
from functools import cache

from datasketch import MinHash

# 64 permutations: the Jaccard estimate's standard error at the threshold is 0.05; 128 would
# double the cost and the stored bytes for precision the threshold does not need.
NUM_PERM = 64
# Word 5-grams: long enough that two articles on one topic share almost none (the closest
# distinct dev-set pages score 0.66), short enough that one inserted line disturbs only the
# few shingles that span it.
SHINGLE_WORDS = 5
# 16 bands of 4 rows: a pair at Jaccard 0.8 shares a band with probability 0.9998, one at
# 0.3 with 0.12 (a candidate the signatures then turn down).
BANDS, ROWS = 16, 4
# Estimated Jaccard at or above which two texts are one article. The demo's republished
# copies score 0.83 (a one-line note on a 96-word post) to 0.98; the closest distinct dev-set
# pages 0.66. Above 0.8 on the dev sets: only pages that are the same text.
THRESHOLD = 0.8
# Below this many words a text is too short to judge: boilerplate-sized pages would merge.
MIN_WORDS = 50
_SEED = 20260301
_WORD = re.compile(r"\w+")

Signature = tuple[int, ...]


def signature(text: str) -> Signature | None:
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i:i + SHINGLE_WORDS]).encode("utf-8")
                for i in range(len(words) - SHINGLE_WORDS + 1)}
    sketch = _empty().copy()
    sketch.update_batch(list(shingles))
    return tuple(int(v) for v in sketch.hashvalues)


@cache
def _empty() -> MinHash:
    # Making one draws its permutations (about 0.2 ms); a copy of a made one is the same.
    return MinHash(num_perm=NUM_PERM, seed=_SEED)


def band_keys(sig: Sequence[int]) -> list[str]:
    keys = []
    for band in range(BANDS):
        rows = struct.pack(f"<{ROWS}I", *sig[band * ROWS:(band + 1) * ROWS])
        keys.append(f"{band}:{hashlib.blake2b(rows, digest_size=8).hexdigest()}")
    return keys


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """The share of equal positions: MinHash's estimate of the shingles' Jaccard index."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


def same_article(a: Sequence[int], b: Sequence[int]) -> bool:
    return len(a) == len(b) and similarity(a, b) >= THRESHOLD


def encode(sig: Sequence[int]) -> str:
    return base64.b64encode(struct.pack(f"<{len(sig)}I", *sig)).decode("ascii")


def decode(text: str) -> Signature:
    raw = base64.b64decode(text)
    return struct.unpack(f"<{len(raw) // 4}I", raw)
