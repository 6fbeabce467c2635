"""Encodings: BOM, HTTP charset, valid UTF-8, meta charset, detector, in that order."""

from __future__ import annotations

import pytest

from indexer.clean import clean
from indexer.clean.encoding import decode

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("name,source", [
    ("persian_windows1256.html", "meta"),
    ("persian_windows1256_undeclared.html", "detector"),
])
def test_persian_windows_1256(page_bytes, name, source):
    page = clean(page_bytes(name))
    assert page.diagnostics["encoding"] == "cp1256"
    assert page.diagnostics["encoding_source"] == source
    assert page.title == "بازگشت کشتي رودخانه پس از ده سال"
    assert "شوراي شهر روز دوشنبه" in page.content
    assert "\ufffd" not in page.content
    assert page.language == "fa"
    # The page's Arabic yeh (windows-1256 has no Persian one) folded to one facet spelling.
    assert page.categories == ["حمل و نقل عمومی"]
    # Written as 1402-04-12 (Solar Hijri): 3 July 2023.
    assert page.published == "2023-07-03T08:30:00+03:30"
    for sidebar in ("محیط زیست", "درباره ما", "تمامی حقوق"):
        assert sidebar not in page.content


def test_latin1_without_any_declaration(page_bytes):
    page = clean(page_bytes("latin1_no_meta.html"))
    assert page.diagnostics["encoding_source"] == "detector"
    assert page.title == "Les quais seront réaménagés dès l'automne"
    assert "Ça coûte très cher" in page.content
    assert "\ufffd" not in page.content
    assert page.language == "fr"


def test_bom_beats_meta(page_bytes):
    page = clean(page_bytes("bom_utf8.html"))
    assert page.diagnostics["encoding_source"] == "bom"
    assert "Ça coûte très cher" in page.content


def test_http_header_beats_meta(page_bytes):
    page = clean(page_bytes("header_meta_disagree.html"),
                 headers={"content-type": "text/html; charset=windows-1251"})
    assert page.diagnostics["encoding_source"] == "http"
    assert page.title == "Паром вернётся через десять лет"
    assert "Городской совет" in page.content
    assert page.language == "ru"


def test_wrong_http_charset_falls_through():
    # The header claims UTF-8 but the bytes are Windows-1252: the meta charset decides.
    raw = '<meta charset="windows-1252"><p>naïve café</p>'.encode("cp1252")
    decoded = decode(raw, {"Content-Type": "text/html; charset=utf-8"})
    assert decoded.source == "meta"
    assert "naïve café" in decoded.text


def test_valid_utf8_beats_meta():
    raw = '<html><head><meta charset="iso-8859-1"></head><body>Ωmega</body></html>'.encode()
    decoded = decode(raw)
    assert (decoded.source, "Ωmega" in decoded.text) == ("utf-8", True)


def test_meta_used_when_not_utf8():
    raw = '<meta charset="koi8-r"><p>Привет</p>'.encode("koi8-r")
    decoded = decode(raw)
    assert decoded.source == "meta" and "Привет" in decoded.text


def test_utf16_bom():
    raw = "\ufeff<html><body><p>hello</p></body></html>".encode("utf-16-le")
    decoded = decode(raw)
    assert decoded.source == "bom" and decoded.text.startswith("<html>")
