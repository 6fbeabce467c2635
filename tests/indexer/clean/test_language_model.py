"""The language model kept inflated in a cache directory decides exactly as the packaged one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from py3langid import langid

from indexer.clean import language_model

SAMPLES = (
    "The council voted on Tuesday to extend the programme for another three years.",
    "Le conseil a voté mardi la prolongation du programme pour trois années de plus.",
    "Der Rat stimmte am Dienstag für eine Verlängerung des Programms um drei Jahre.",
    "شورای شهر روز سه‌شنبه به تمدید این برنامه برای سه سال دیگر رأی داد.",
    "El consejo votó el martes para extender el programa por otros tres años.",
    "Совет во вторник проголосовал за продление программы ещё на три года.",
)


@pytest.fixture
def fresh() -> Iterator[None]:
    language_model.identifier.cache_clear()
    yield
    language_model.keep_in(None)
    language_model.identifier.cache_clear()


def test_cached_copy_ranks_as_the_packaged_model(fresh: None, tmp_path: Path) -> None:
    packaged = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE)
    language_model.keep_in(tmp_path)
    first = language_model.identifier()
    kept = list(tmp_path.glob("py3langid-*"))
    assert len(kept) == 1 and not list(tmp_path.glob("*.partial"))
    language_model.identifier.cache_clear()
    second = language_model.identifier()  # read from the kept copy this time
    for text in SAMPLES:
        expected = packaged.rank(text)[:5]
        assert first.rank(text)[:5] == expected
        assert second.rank(text)[:5] == expected


def test_unwritable_cache_falls_back_to_the_package(fresh: None, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the cache directory would be")
    language_model.keep_in(blocked)
    assert language_model.identifier().classify(SAMPLES[1])[0] == "fr"
