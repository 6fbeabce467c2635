"""Cheap checks that reject bad input before any parsing work is spent on it."""

from __future__ import annotations

import re
import signal
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import FrameType

from lxml import etree
from lxml.html import HtmlElement

from indexer.clean.encoding import header
from indexer.clean.errors import (
    EmptyDocument,
    TimeBudgetExceeded,
    TooDeep,
    TooLarge,
    UnsupportedContent,
)

# Magic numbers of formats that are sometimes served where a page was expected.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"RIFF", "RIFF media (WebP, WAV, AVI)"),
    (b"PK\x03\x04", "ZIP archive (or office document)"),
    (b"\x1f\x8b", "gzip data (decompress it first)"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"\x7fELF", "executable"),
)
# The media types a page may be served as: the one list the fetcher, the WARC reader and the
# cleaner go by. Plain text and XML are in because servers mislabel HTML as them; the bytes
# are checked for markup all the same (check_bytes).
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")

_MARKUP = re.compile(rb"<\s*(?:[a-zA-Z!?/])")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
# libxml2 silently cuts elements nested deeper than 255 levels, so content would vanish.
MAX_DEPTH = 250
# A fixed-depth path visits each element once (counting ancestors would cost depth x size).
_TOO_DEEP = etree.XPath("boolean(/*" + "/*" * (MAX_DEPTH - 1) + ")")


def check_bytes(raw: bytes, headers: Mapping[str, str] | None, max_bytes: int) -> None:
    """Reject empty, oversized and non-HTML input, looking only at the bytes."""
    if len(raw) > max_bytes:
        raise TooLarge(f"{len(raw)} bytes, limit {max_bytes}")
    if not raw.removeprefix(b"\xef\xbb\xbf").strip():
        raise EmptyDocument("no content")
    _check_declared_type(headers)
    head = raw[:16].lstrip()
    for magic, name in _MAGIC:
        if head.startswith(magic):
            raise UnsupportedContent(name)
    if _MARKUP.search(raw[:65536]) is None and b"\x00" not in raw[:4]:
        raise UnsupportedContent("no HTML markup")


def check_text(text: str) -> None:
    """Reject decoded text that is binary data or blank."""
    sample = text[:4096]
    if len(_CONTROL.findall(sample)) > len(sample) // 20:
        raise UnsupportedContent("binary data")
    if not text.strip():
        raise EmptyDocument("no content")


def check_tree(root: HtmlElement) -> None:
    """Reject trees that reach the parser's depth limit: their content was cut off."""
    if _TOO_DEEP(root):
        raise TooDeep(f"elements nested {MAX_DEPTH} or more levels deep")


def accepts_type(content_type: str) -> bool:
    """Whether a Content-Type may be a page (an absent one may: the bytes decide)."""
    declared = content_type.split(";")[0].strip().lower()
    return not declared or declared in PAGE_TYPES


def _check_declared_type(headers: Mapping[str, str] | None) -> None:
    declared = header(headers, "content-type") or ""
    if not accepts_type(declared):
        raise UnsupportedContent(f"content type {declared.split(';')[0].strip().lower()}")


class Budget:
    """Wall-clock budget, checked between stages; :meth:`enforce` also interrupts a stage."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.start = time.monotonic()

    def remaining(self) -> float:
        return self.seconds - (time.monotonic() - self.start)

    def check(self, stage: str) -> None:
        if self.remaining() < 0:
            elapsed = time.monotonic() - self.start
            raise TimeBudgetExceeded(f"{elapsed:.2f}s after {stage}, budget {self.seconds}s")

    @contextmanager
    def enforce(self, stage: str) -> Iterator[None]:
        """Interrupt the block when the budget runs out.

        Extraction of a huge page runs for minutes inside library code, so checks between
        stages are not enough. A SIGALRM timer interrupts it, in the main thread of a POSIX
        process (a worker process's tasks run there); elsewhere only stage checks apply.
        An outer timer (pytest-timeout, say) is put back with the time it had left.
        Libraries that catch every exception (readability-lxml does) can swallow the
        interruption, so the timer fires again every few milliseconds until the block
        ends, and callers check the budget once more after it.
        """
        if not _can_alarm():
            yield
            return
        started = time.monotonic()
        armed = [True]

        def on_alarm(signum: int, frame: FrameType | None) -> None:
            if armed[0]:
                raise TimeBudgetExceeded(f"interrupted during {stage}, budget {self.seconds}s")

        previous = signal.signal(signal.SIGALRM, on_alarm)
        outer, interval = signal.setitimer(signal.ITIMER_REAL, max(self.remaining(), 0.001),
                                           _REFIRE_SECONDS)
        try:
            yield
        finally:
            _disarm(armed)
            signal.signal(signal.SIGALRM, previous)
            if outer > 0:
                left = max(outer - (time.monotonic() - started), 0.001)
                signal.setitimer(signal.ITIMER_REAL, left, interval)


def _disarm(armed: list[bool]) -> None:
    """Stop the timer, even when it fires during this very cleanup (then try again: once
    the flag is down the handler no longer raises). The caller's budget check reports it."""
    while True:
        try:
            armed[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            return
        except TimeBudgetExceeded:
            continue


_REFIRE_SECONDS = 0.05


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
