"""`pagesift sample ...` end to end, with the prose cache filled from the test book."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pagesift.cli import main
from samples import prose as source

pytestmark = pytest.mark.unit


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prose) -> Path:
    cache = source.cache_dir(tmp_path)
    cache.mkdir(parents=True)
    (cache / f"{source.PACKAGE}.json").write_text(prose.to_json(), encoding="utf-8")
    monkeypatch.setenv("PAGESIFT_HOME", str(tmp_path))
    return tmp_path


def test_sample_build_and_corpus(home: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["sample", "build", "--articles", "12"]) == 0
    assert (home / "samples" / "site" / "sitemap.xml").is_file()
    assert "site:" in capsys.readouterr().out
    out = home / "corpus.jsonl"
    assert main(["sample", "corpus", "--out", str(out), "--docs", "7"]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 7
    assert json.loads(out.read_text(encoding="utf-8").splitlines()[0])["kind"] == "article"


def test_bad_arguments_get_a_clear_error(home: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["sample", "build", "--articles", "0"]) == 2
    assert "--articles" in capsys.readouterr().err
    assert main(["sample", "serve", "--dir", str(home / "nothing"), "--port", "0"]) == 1
    assert "pagesift sample build" in capsys.readouterr().err
