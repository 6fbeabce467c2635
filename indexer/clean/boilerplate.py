"""Furniture that survives extraction as whole short paragraphs: "Read more", "Advertisement",
"Comments (3)", "Share this article", "Related stories:"; and the headline again.

Extractors keep such a line when it sits inside the article's container, which on today's
templates is where share bars, inline ads and teaser headings live. A paragraph is dropped
only when its whole text, at most ``MAX_WORDS`` words, is one of ``FURNITURE_LINES``: a
sentence that merely contains these words stays. Rules are data; ``bench/clean.py --cv``
keeps them only while cross-validation does.
"""

from __future__ import annotations

import re
from functools import lru_cache

# What teaser headings list: "Related stories", "Most read articles", "More videos".
_LISTED = r"(stories|articles|posts|news|content|links|reading|videos|coverage|headlines)"
# Whole-paragraph patterns, matched case-insensitively against the paragraph with trailing
# punctuation and arrows removed.
FURNITURE_LINES: tuple[str, ...] = (
    r"advertisement", r"advertising", r"sponsored( content| post)?", r"promoted( content)?",
    r"(read|see|view|load|show) (more|all)( \w+){0,3}", r"continue reading( \w+){0,6}",
    r"share( this)?( article| story| post| page)?( on \w+)?", r"share (via|on) \w+",
    r"(\d+ )?comments?( \(\d+\))?", r"(leave|post|add) a (comment|reply)", r"no comments( yet)?",
    rf"(related|recommended|trending|popular|latest|top)( {_LISTED})?",
    rf"most (read|popular|viewed|shared|commented)( {_LISTED})?",
    r"you (may|might) (also )?(like|enjoy)( these)?", r"more from .{1,40}",
    rf"more {_LISTED}( from .{{1,40}})?",
    r"read (next|this next|also)", r"also read", r"don'?t miss",
    r"(sign up|subscribe)( now| today| here)?", r"follow us( on [\w ]{1,30})?",
    r"printer[ -]friendly( version)?", r"print( this)?( article| page| story)?",
    r"back to top", r"skip to (main )?content", r"(previous|next) (post|article|story)",
    r"tags?", r"filed under", r"categories", r"about the author",
    # A teaser line inside the body: "Read more: The fiscal cliff, explained".
    r"(read more|related|read also|also read|see also|more|read next|recommended|watch|listen)"
    r" ?: .{1,120}",
    r"was this (page|article|post|answer) (helpful|useful)\??", r"(send )?feedback",
    # The credit line under a news story.
    r"(additional )?(reporting|writing|editing|research) by .{1,80}",
    r".{1,60} contributed (reporting|to this (report|story|article))",
)
MAX_WORDS = 10
_TRAILING = re.compile(r"[\s:.!»›→>…|·-]+$")
_WORDS = re.compile(r"\w+")

# The headline kept as the content's first paragraph goes: the record holds it as its title,
# and a body that repeats it counts its words twice in ranking and opens every snippet with it.
DROP_LEADING_HEADLINE = True


@lru_cache(maxsize=4)
def _pattern(lines: tuple[str, ...]) -> re.Pattern[str] | None:
    # Built from the tuple passed in, so a variant with other lines gets its own pattern.
    if not lines:
        return None
    return re.compile(rf"(?:{'|'.join(lines)})", re.I)


def is_furniture_line(paragraph: str) -> bool:
    pattern = _pattern(tuple(FURNITURE_LINES))
    if pattern is None or len(paragraph.split()) > MAX_WORDS:
        return False
    return pattern.fullmatch(_TRAILING.sub("", paragraph.strip())) is not None


def drop_furniture_lines(text: str) -> str:
    """``text`` (paragraphs separated by blank lines) without furniture paragraphs."""
    paragraphs = text.split("\n\n")
    kept = [p for p in paragraphs if not is_furniture_line(p)]
    return text if len(kept) == len(paragraphs) else "\n\n".join(kept)


def drop_leading_headline(text: str, headlines: list[str | None]) -> str:
    """``text`` without a first paragraph that says one of ``headlines`` word for word (the
    record's own title); a text that is nothing else is kept."""
    if not DROP_LEADING_HEADLINE:
        return text
    first, _, rest = text.partition("\n\n")
    said = _key(first)
    if rest and said and any(_key(h) == said for h in headlines if h):
        return rest
    return text


def _key(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))
