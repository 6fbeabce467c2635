"""Names as they were typed, from names as WordPress displays them.

WordPress passes what it prints through ``wptexturize``: straight quotes become curly, `` - ``
an en dash, ``--`` a dash, ``...`` an ellipsis. Block themes texturize the whole rendered
template, term and author names included; classic themes print term names as typed; the REST
API gives them as typed. Facet values read from a page are turned back, so that a category
is one facet value whatever the theme or the route (crawl or REST API) that brought it.
Titles are left as displayed: they are read, not matched.
"""

from __future__ import annotations

import re

# wptexturize's replacements, inverted; longest first where one contains another.
_SPACED = ((" \u2014 ", " -- "), (" \u2013 ", " - "))
_PLAIN = (("\u2014", "---"), ("\u2013", "--"), ("\u2026", "..."), (" \u2122", " (tm)"))
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u2033": '"'})
# 2×4 is texturized from 2x4.
_TIMES = re.compile(r"(?<=\d)\u00d7(?=\d)")


def untexturize(name: str) -> str:
    for shown, typed in (*_SPACED, *_PLAIN):
        name = name.replace(shown, typed)
    return _TIMES.sub("x", name.translate(_QUOTES))
