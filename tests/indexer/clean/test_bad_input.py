"""Bad input gives a typed error or a correct result: never a crash, never a hang."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.clean import (
    CleanError,
    EmptyDocument,
    TimeBudgetExceeded,
    TooDeep,
    TooLarge,
    UnsupportedContent,
    clean,
)

pytestmark = pytest.mark.unit
REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("raw,kind", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "PNG"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
    (b"GIF89a\x01\x00\x01\x00", "GIF"),
    (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
    (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
])
def test_binary_formats_are_unsupported(raw, kind):
    with pytest.raises(UnsupportedContent, match=kind) as info:
        clean(raw)
    assert info.value.kind == "unsupported_content"
    assert str(info.value).startswith("unsupported_content: ")


def test_random_binary_is_unsupported():
    raw = bytes(range(256)) * 64
    with pytest.raises(UnsupportedContent):
        clean(raw)


def test_declared_non_html_type_is_unsupported():
    with pytest.raises(UnsupportedContent, match="application/pdf"):
        clean(b"<html><body>x</body></html>", headers={"Content-Type": "application/pdf"})


def test_plain_text_without_markup_is_unsupported():
    with pytest.raises(UnsupportedContent, match="no HTML markup"):
        clean(b"just some words, no tags at all\n" * 10)


@pytest.mark.parametrize("raw", [b"", b"   \n\t  ", b"\xef\xbb\xbf"])
def test_empty(raw):
    with pytest.raises(EmptyDocument) as info:
        clean(raw)
    assert info.value.kind == "empty"


def test_truncated_page_still_gives_its_text(page_bytes):
    raw = page_bytes("wordpress_article.html")
    cut = raw[: raw.index(b"The council estimates") + 40]  # mid-paragraph, tags left open
    page = clean(cut)
    assert page.title == "River ferry service returns after ten years"
    assert "Two electric vessels, each with room for ninety passengers" in page.content


def test_invalid_utf8_bytes_do_not_crash():
    raw = (b"<html><head><meta charset='utf-8'><title>Broken bytes</title></head><body><article>"
           + b"<p>Valid text here, then bad bytes \xff\xfe\xc3\x28 and more text after them."
           + b" This sentence makes the paragraph long enough to count as content.</p>" * 4
           + b"</article></body></html>")
    page = clean(raw)
    assert page.title == "Broken bytes"
    assert "more text after them" in page.content


def test_too_large_is_refused_before_parsing():
    raw = b"<html><body>" + b"<p>word</p>" * 200_000 + b"</body></html>"
    with pytest.raises(TooLarge) as info:
        clean(raw, max_bytes=1024 * 1024)
    assert info.value.kind == "too_large"


def test_100000_nested_divs_are_too_deep():
    raw = b"<html><body>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000 + b"</body></html>"
    started = time.monotonic()
    with pytest.raises(TooDeep) as info:
        clean(raw)
    assert info.value.kind == "too_deep"
    assert time.monotonic() - started < 5


def test_moderate_nesting_is_fine():
    raw = (b"<html><body>" + b"<div>" * 100 + b"<p>" + b"Nested but readable text. " * 30
           + b"</p>" + b"</div>" * 100 + b"</body></html>")
    assert "Nested but readable text." in clean(raw).content


def test_time_budget_is_enforced(page_bytes):
    with pytest.raises(TimeBudgetExceeded) as info:
        clean(page_bytes("wordpress_article.html"), time_budget=0.0)
    assert info.value.kind == "time_budget_exceeded"


def test_every_error_is_a_clean_error():
    for error in (EmptyDocument, TimeBudgetExceeded, TooDeep, TooLarge, UnsupportedContent):
        assert issubclass(error, CleanError)


def test_50_mb_page_is_refused_with_bounded_memory():
    # In a fresh process so that peak RSS reflects this page alone.
    script = (
        "import resource; from indexer.clean import clean, TooLarge\n"
        "raw = b'<html><body>' + b'<p>' + b'x' * 1000 + b'</p>' * 1 + b'<div>a</div>' * "
        "(50 * 1024 * 1024 // 12) + b'</body></html>'\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n    clean(raw)\nexcept TooLarge as e:\n    print('too_large', e)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("too_large"), result.stderr
    assert int(lines[1]) < 10 * 1024  # KiB beyond holding the input itself


def _big_article(megabytes: int) -> bytes:
    para = b"<p>" + b"A paragraph of ordinary article text that fills the page. " * 10 + b"</p>\n"
    return (b"<html><head><title>Big</title></head><body><article>"
            + para * (megabytes * 1024 * 1024 // len(para)) + b"</article></body></html>")


def test_time_budget_interrupts_a_long_extraction():
    import signal

    handler_before = signal.getsignal(signal.SIGALRM)
    raw = _big_article(8)
    started = time.monotonic()
    with pytest.raises(TimeBudgetExceeded, match="interrupted during cleaning"):
        clean(raw, time_budget=0.5)
    assert time.monotonic() - started < 4
    # Nothing left armed: the caller's handler is back and no late interruption comes.
    assert signal.getsignal(signal.SIGALRM) is handler_before
    time.sleep(0.2)


def test_an_outer_alarm_timer_is_put_back(page_bytes):
    import signal

    previous = signal.signal(signal.SIGALRM, lambda *_: None)
    outer = signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        clean(page_bytes("wordpress_article.html"))
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 90 < left <= 100
        assert signal.getsignal(signal.SIGALRM) is not None
    finally:
        signal.setitimer(signal.ITIMER_REAL, *outer)
        signal.signal(signal.SIGALRM, previous)


def test_control_characters_and_nul_bytes_are_dropped():
    raw = (b"<html><head><title>Con\x00trol</title></head><body><div class='share'>x\x01</div>"
           + b"<article><p>" + b"Text with a stray \x0b control character and NUL\x00 bytes. " * 10
           + b"</p></article></body></html>")
    page = clean(raw)
    assert page.title == "Control"
    assert "stray control character and NUL bytes" in page.content


@pytest.mark.parametrize("noise", ["\ufffe", "\uffff", "\x1f"])
def test_characters_xml_cannot_hold_are_dropped_from_utf8_pages(noise):
    # Valid UTF-8 is parsed from its own bytes: the check there must catch these too.
    raw = ("<html><body><article><p>" + f"Caf\u00e9 text with{noise} a stray character. " * 10
           + "</p></article></body></html>").encode("utf-8")
    page = clean(raw)
    assert "Café text with a stray character" in page.content
    assert noise not in page.content


def test_utf8_page_declaring_another_charset_reads_as_utf8():
    raw = ("<html><head><meta charset='iso-8859-1'></head><body><article><p>"
           + "Caf\u00e9 و کتاب\u200cها. " * 20 + "</p></article></body></html>").encode("utf-8")
    assert "Café و کتاب\u200cها" in clean(raw).content


@pytest.mark.parametrize("url", ["http://[broken", "not a url", "ftp://example.org/x"])
def test_malformed_urls_do_not_fail_the_page(page_bytes, url):
    raw = page_bytes("wordpress_article.html").replace(
        b'href="https://riverside.example/category/public-transport/"',
        b'href="http://[broken/category/x/"')
    page = clean(raw, url=url)
    assert page.title == "River ferry service returns after ten years"


def test_xml_declaration_with_encoding():
    raw = (b'<?xml version="1.0" encoding="utf-8"?><html><body><article><p>'
           + b"An XHTML page served with its XML declaration. " * 10 + b"</p></article></body></html>")
    assert "XML declaration" in clean(raw).content
