from __future__ import annotations

from pathlib import Path

import pytest

from samples import prose
from samples.prose import Prose, Section

pytestmark = pytest.mark.unit

LONG = "This paragraph is long enough to count as prose because it has well over fifteen words in it"

# Shaped like the handbook's publican output: XHTML, numbered headings, div.para blocks.
CHAPTER = f"""<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>6.2. Tools</title></head><body>
<h2 class="title">6.2. The Tools of the Trade</h2>
<div class="para">{LONG}, first.</div>
<div class="para">Too short to keep.</div>
<div class="para">{LONG}, with a listing: <pre class="screen">apt install foo</pre></div>
<h3>6.2.1. Second Section Here</h3>
<div class="para">{LONG}, second.</div>
<h3>Chapter 7. Lonely</h3>
</body></html>""".encode()


def test_parse_pages_keeps_sections_of_prose_in_order():
    sections = prose.parse_pages([CHAPTER, CHAPTER], "en")
    # The second copy of the page repeats paragraphs already seen: nothing new to keep.
    assert sections == [Section("The Tools of the Trade", (f"{LONG}, first.",)),
                        Section("Second Section Here", (f"{LONG}, second.",))]


def test_persian_edition_keeps_only_persian_paragraphs():
    persian = ("این بند به اندازه کافی بلند است تا به عنوان متن نگه داشته شود "
               "و بیش از پانزده واژه دارد برای آزمون")
    page = f"""<html><body dir="rtl"><h2>6.1. ابزارهای مدیریت بسته</h2>
    <div class="para">{persian}</div><div class="para">{LONG}, left untranslated.</div></body></html>"""
    assert prose.parse_pages([page.encode()], "fa") == [Section("ابزارهای مدیریت بسته", (persian,))]
    assert prose.in_language(LONG, "en") and not prose.in_language(persian, "en")


def test_prose_round_trips_through_json():
    book = Prose(sections={"en": (Section("A Title", ("one", "two")),), "fa": ()}, source="x_1_all")
    assert Prose.from_json(book.to_json()) == book
    assert book.paragraphs("en") == ["one", "two"]


def test_cached_prose_is_used_without_apt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    book = Prose(sections={"en": (Section("A Title", ("one",)),), "fa": ()}, source="cached")
    cache = prose.cache_dir(tmp_path)
    cache.mkdir(parents=True)
    (cache / f"{prose.PACKAGE}.json").write_text(book.to_json(), encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path))  # no apt-get, no dpkg-deb
    assert prose.load(tmp_path) == book


def test_without_apt_the_error_says_what_to_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(prose.ProseUnavailable, match="apt-get download debian-handbook"):
        prose.load(tmp_path)
    assert not list(prose.cache_dir(tmp_path).glob("*.json"))
