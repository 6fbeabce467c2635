"""Dates to ISO 8601, including dates written in the Persian (Solar Hijri) calendar."""

from __future__ import annotations

import re
from datetime import date, datetime

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
# Solar Hijri years of the web era; Gregorian years never fall in this range on a page.
_HIJRI_YEARS = range(1300, 1500)
_NUMERIC = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(.*)$")
_PERSIAN_MONTHS = {
    name: number for number, names in enumerate((
        ("فروردین",), ("اردیبهشت",), ("خرداد",), ("تیر",), ("مرداد", "امرداد"),
        ("شهریور",), ("مهر",), ("آبان",), ("آذر",), ("دی",), ("بهمن",), ("اسفند",),
    ), start=1) for name in names
}
_PERSIAN_TEXT = re.compile(r"(\d{1,2})\s+(\S+)\s+(\d{4})")
_ENGLISH_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%Y%m%d")


def to_iso(value: str | None) -> str | None:
    """ISO 8601 text of a date or date-time string, or None when it cannot be read."""
    if not value:
        return None
    text = " ".join(value.translate(_DIGITS).split())
    return _iso(text) or _numeric(text) or _persian_text(text) or _english(text)


def _iso(text: str) -> str | None:
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        return None
    if parsed.year in _HIJRI_YEARS:
        return None  # let the Solar Hijri path convert it
    if len(text) <= 10:
        return parsed.date().isoformat()
    return parsed.isoformat()


def _numeric(text: str) -> str | None:
    match = _NUMERIC.match(text)
    if not match:
        return None
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    day_iso = _gregorian(year, month, day)
    if day_iso is None:
        return None
    rest = match.group(4).strip().lstrip("T")
    time_part = _time(rest)
    return f"{day_iso}T{time_part}" if time_part else day_iso


def _time(rest: str) -> str | None:
    match = re.match(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(.*)$", rest)
    if not match:
        return None
    hours, minutes, seconds = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    zone = match.group(4).strip()
    zone = "+00:00" if zone == "Z" else zone if re.fullmatch(r"[+-]\d{2}:\d{2}", zone) else ""
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{zone}"


def _gregorian(year: int, month: int, day: int) -> str | None:
    try:
        if year in _HIJRI_YEARS:
            import jdatetime

            return str(jdatetime.date(year, month, day).togregorian().isoformat())
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _persian_text(text: str) -> str | None:
    match = _PERSIAN_TEXT.search(text)
    if not match or match.group(2) not in _PERSIAN_MONTHS:
        return None
    return _gregorian(int(match.group(3)), _PERSIAN_MONTHS[match.group(2)], int(match.group(1)))


def _english(text: str) -> str | None:
    for fmt in _ENGLISH_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None
