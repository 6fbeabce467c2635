"""`pagesift clean`: JSON Lines in input order, errors as lines, exit 1 if any failed."""

from __future__ import annotations

import gzip
import io
import json
import shutil
from pathlib import Path

import pytest

from pagesift.cli import main

pytestmark = pytest.mark.unit
PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def run(capsys, *argv: str) -> tuple[int, list[dict]]:
    code = main(["clean", *argv])
    lines = capsys.readouterr().out.splitlines()
    return code, [json.loads(line) for line in lines]


def test_single_file_with_url(capsys):
    path = str(PAGES / "wordpress_article.html")
    code, records = run(capsys, path, "--url", "https://riverside.example/?p=482")
    assert code == 0
    assert records[0]["source"] == path
    assert records[0]["title"] == "River ferry service returns after ten years"
    assert records[0]["url"] == "https://riverside.example/2023/07/03/river-ferry-returns/"


def test_directory_is_walked_sorted_and_failures_reported(capsys, tmp_path):
    (tmp_path / "b").mkdir()
    shutil.copy(PAGES / "wordpress_article.html", tmp_path / "b" / "2.html")
    with gzip.open(tmp_path / "a.html.gz", "wb") as stream:
        stream.write((PAGES / "noindex_page.html").read_bytes())
    (tmp_path / "c.htm").write_bytes(b"%PDF-1.4 not html")
    (tmp_path / "notes.txt").write_text("ignored")
    code, records = run(capsys, str(tmp_path))
    assert code == 1
    assert [r["source"] for r in records] == [
        str(tmp_path / "a.html.gz"), str(tmp_path / "b" / "2.html"), str(tmp_path / "c.htm")]
    assert records[0]["noindex"] is True
    assert records[2] == {"source": str(tmp_path / "c.htm"),
                          "error": "unsupported_content: PDF document"}


def test_stdin(capsys, monkeypatch):
    raw = (PAGES / "latin1_no_meta.html").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw)))
    code, records = run(capsys, "-")
    assert code == 0 and records[0]["source"] == "-"
    assert records[0]["language"] == "fr"


def test_missing_file_and_bad_gzip(capsys, tmp_path):
    (tmp_path / "bad.gz").write_bytes(b"not gzip")
    code, records = run(capsys, str(tmp_path / "missing.html"), str(tmp_path / "bad.gz"))
    assert code == 1
    assert all(r["error"].startswith("io_error: ") for r in records)


def test_url_needs_a_single_input(capsys):
    path = str(PAGES / "wordpress_article.html")
    assert main(["clean", path, path, "--url", "https://a.example/"]) == 2


def test_rules_file(capsys, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text('[sites."riverside.example"]\ntitle = "p.site-title"\n')
    code, records = run(capsys, str(PAGES / "wordpress_article.html"), "--rules", str(rules))
    assert code == 0 and records[0]["title"] == "Riverside Civic Journal"


def test_bad_rules_file_stops_the_run(capsys, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text("[sites")
    assert main(["clean", str(PAGES / "wordpress_article.html"), "--rules", str(rules)]) == 2
    assert "rules_error" in capsys.readouterr().err


def test_size_cap_comes_from_configuration(capsys, monkeypatch):
    monkeypatch.setenv("PAGESIFT_CLEAN_MAX_BYTES", "1000")
    code, records = run(capsys, str(PAGES / "wordpress_article.html"))
    assert code == 1 and records[0]["error"].startswith("too_large: ")
