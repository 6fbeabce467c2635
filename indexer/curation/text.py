"""The one normal form a rule's query and a reader's query are compared in."""

from __future__ import annotations

import re
import unicodedata

from indexer.query.text import ReaderQuery, as_query, normal_form

_WORD = re.compile(r"\w+")
# Persian typed on an Arabic keyboard layout (ي ى ك) and on a Persian one (ی ک) is one query.
_PERSIAN_FORMS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})


def normalise(text: str | ReaderQuery) -> str:
    """A query's normal form (:func:`indexer.query.text.normal_form`, the search log's: lower
    case, whitespace collapsed) made coarser for matching: NFKC, Persian letter forms folded,
    punctuation and the query syntax dropped (quotes, OR, ``-excluded`` words): the words a
    reader meant, space-separated."""
    words = as_query(text).words
    folded = normal_form(unicodedata.normalize("NFKC", " ".join(words))).translate(_PERSIAN_FORMS)
    return " ".join(_WORD.findall(folded))


def contains(haystack: str, needle: str) -> bool:
    """Whether normalised ``needle`` is a run of whole words of normalised ``haystack``."""
    return bool(needle) and f" {needle} " in f" {haystack} "
