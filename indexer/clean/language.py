"""Page language as ISO 639-1: what the page declares first, a detector last."""

from __future__ import annotations

import re

_CODE = re.compile(r"^([a-zA-Z]{2})(?:[-_][a-zA-Z0-9]+)*$")
# Enough text for a stable guess; more only costs time.
_DETECT_CHARS = 1000
_MIN_DETECT_CHARS = 40


def iso639_1(tag: str | None) -> str | None:
    """``en-US`` -> ``en``; None for anything that is not a two-letter primary subtag."""
    if not tag:
        return None
    first = tag.split(",")[0].strip()
    match = _CODE.match(first)
    return match.group(1).lower() if match else None


def detect(text: str) -> str | None:
    """A statistical guess from the content; None when there is too little to go on."""
    sample = text[:_DETECT_CHARS]
    if len(sample.strip()) < _MIN_DETECT_CHARS:
        return None
    from indexer.clean.language_model import identifier

    code, _score = identifier().classify(sample)
    return iso639_1(str(code))


def warm_up() -> None:
    """Load the detector's model now rather than on the first page that needs it."""
    from indexer.clean.language_model import identifier

    identifier()


def decide(declared: list[tuple[str, str | None]], content: str) -> tuple[str | None, str]:
    """First usable declared (source, tag) in order of trust, else the detector; and which
    source decided."""
    for source, tag in declared:
        code = iso639_1(tag)
        if code:
            return code, source
    code = detect(content)
    return code, "detector" if code else "unknown"
