"""Bytes to text, in the order of trust of the HTML standard's sniffing.

BOM, then the HTTP charset, then valid UTF-8, then the ``<meta>`` charset, then a
statistical detector. Each declared charset is only used if the bytes decode with it
strictly, so a wrong declaration falls through instead of producing U+FFFD.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels browsers treat as a superset encoding (WHATWG Encoding Standard).
_ALIASES: dict[str, str] = {
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "iso-8859-9": "windows-1254",
    "tis-620": "windows-874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-sjis": "shift_jis",
    "utf8": "utf-8",
}

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(
    rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I
)
_META_SCAN_BYTES = 4096
# How much more "chaos" (charset_normalizer's mess score) Windows-1252 may show and still
# be preferred to another Latin code page.
_WESTERN_MARGIN = 0.02


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    source: str  # bom | http | utf-8 | meta | detector | fallback


def decode(raw: bytes, headers: Mapping[str, str] | None = None) -> Decoded:
    """Decode ``raw`` and say which source decided the encoding."""
    bom = _from_bom(raw)
    if bom is not None:
        return bom
    for source, label in (("http", header_charset(headers)), ("utf-8", "utf-8"),
                          ("meta", meta_charset(raw))):
        text = _strict(raw, label)
        if text is not None and label is not None:
            return Decoded(text, _normalise(label), source)
    return _detect(raw)


def header_charset(headers: Mapping[str, str] | None) -> str | None:
    value = header(headers, "content-type")
    match = _HEADER_CHARSET.search(value) if value else None
    return match.group(1) if match else None


def header(headers: Mapping[str, str] | None, name: str) -> str | None:
    """Case-insensitive header lookup (HTTP header names are case-insensitive)."""
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def meta_charset(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw[:_META_SCAN_BYTES])
    return match.group(1).decode("ascii", "ignore") if match else None


def _from_bom(raw: bytes) -> Decoded | None:
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return Decoded(raw[len(bom):].decode(name, "replace"), name, "bom")
    return None


def _normalise(label: str) -> str:
    lowered = label.strip().lower()
    name = _ALIASES.get(lowered, lowered)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return lowered


def _strict(raw: bytes, label: str | None) -> str | None:
    if not label:
        return None
    try:
        return raw.decode(_normalise(label))
    except (LookupError, UnicodeDecodeError):
        return None


def _detect(raw: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    results = list(from_bytes(raw[:200_000]))
    if results:
        best = min(results, key=lambda r: r.chaos)
        # Short Western text fits several Latin code pages about equally well; Windows-1252
        # is what undeclared Western pages almost always are (and browsers' default).
        western = next((r for r in results if _normalise(r.encoding) == "cp1252"), None)
        if western is not None and western.chaos <= best.chaos + _WESTERN_MARGIN:
            best = western
        text = _strict(raw, best.encoding)
        if text is not None:
            return Decoded(text, _normalise(best.encoding), "detector")
    # Windows-1252 maps almost every byte, so the few undefined ones become U+FFFD.
    return Decoded(raw.decode("windows-1252", "replace"), "cp1252", "fallback")
