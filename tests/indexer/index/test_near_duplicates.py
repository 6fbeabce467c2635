"""Near-duplicate signatures: copies with a line changed match, other articles do not."""

import random
import subprocess
import sys

import pytest

from indexer.index import near_duplicates as nd

pytestmark = pytest.mark.unit

WORDS = ("council harbour ferry budget river bridge school library housing transport market park "
         "residents meeting contract vote timetable station district garden energy water museum").split()


def _text(seed: int, words: int = 250) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(words))


def test_a_republished_copy_is_the_same_article() -> None:
    story = _text(1)
    copy = f"Republished from the Riverside Gazette on 3 March 2026. {story} Updated at 10:00."
    a, b = nd.signature(story), nd.signature(copy)
    assert a is not None and b is not None and nd.same_article(a, b)
    assert set(nd.band_keys(a)) & set(nd.band_keys(b))


def test_another_article_on_the_same_words_is_not() -> None:
    a, b = nd.signature(_text(1)), nd.signature(_text(2))
    assert a is not None and b is not None and not nd.same_article(a, b)
    assert nd.similarity(a, b) < 0.2


def test_short_texts_are_not_judged() -> None:
    assert nd.signature(_text(1, words=nd.MIN_WORDS - 1)) is None


def test_encoding_round_trips_and_is_compact() -> None:
    sig = nd.signature(_text(3))
    assert sig is not None and nd.decode(nd.encode(sig)) == sig
    assert len(nd.encode(sig)) <= 4 * nd.NUM_PERM * 4 // 3 + 4
    assert len(nd.band_keys(sig)) == nd.BANDS


def test_signatures_are_the_same_in_another_process() -> None:
    code = ("from indexer.index import near_duplicates as nd; import sys; "
            "print(nd.encode(nd.signature(sys.argv[1])))")
    text = _text(4)
    other = subprocess.run([sys.executable, "-c", code, text], capture_output=True, text=True, check=True)
    assert other.stdout.strip() == nd.encode(nd.signature(text) or ())
