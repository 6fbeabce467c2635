"""readability-lxml as the second opinion on trafilatura's text (see ``content.doubtful``).

Imported only when a page needs it: readability-lxml and its HTML cleaner load on first use.
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Any

from lxml.html import HtmlElement, fromstring
from lxml_html_clean import Cleaner
from readability import Document
from readability.readability import REGEXES, Unparseable, clean

from indexer.clean.text import to_text

_WHITESPACE_RUN = re.compile(r"\s{2,}")
# readability-lxml's own cleaner settings, less ``javascript``: that pass rewrites every
# link and walks every attribute (a quarter of readability's time) to neutralise scripts in
# HTML that is turned into plain text here, so never runs. Text and scores are unchanged.
_CLEANER = Cleaner(
    scripts=True, javascript=False, comments=True, style=True, links=True, meta=False,
    add_nofollow=False, page_structure=False, processing_instructions=True, embedded=False,
    frames=False, forms=False, annoying_tags=False, remove_unknown_tags=False,
    safe_attrs_only=False,
)


class _TreeDocument(Document):
    """A Document over the pruned tree, parsed the way readability-lxml parses a tree, with
    one copy of it (the stock path copies twice) and without the link rewriting."""

    def _parse(self, input: HtmlElement) -> HtmlElement:
        # A fresh copy on every call: readability parses again, from the input, when its
        # first (ruthless) pass finds too little.
        doc = _squeezed(deepcopy(input))
        self.encoding = "utf-8"
        for element in doc.xpath("//*[@hidden]"):
            element.drop_tree()
        for element in doc.xpath("//*[@style]"):
            if REGEXES["displayNoneRe"].search(element.get("style")):
                element.drop_tree()
        _CLEANER(doc)
        return doc

    # Scoring computes the link density of every paragraph's parent and grandparent, so the
    # same links are measured two or three times over. Within scoring the tree does not
    # change: each link's length is measured once. Densities are unchanged.
    _link_lengths: dict[HtmlElement, int] | None = None

    def score_paragraphs(self) -> dict[HtmlElement, dict[str, Any]]:
        self._link_lengths = {}
        try:
            return dict(super().score_paragraphs())
        finally:
            self._link_lengths = None

    def get_link_density(self, elem: HtmlElement) -> float:
        # The stock method, with each length measured by clean_length: the same densities.
        lengths = self._link_lengths if self._link_lengths is not None else {}
        linked = 0
        for link in elem.iterdescendants("a"):
            if link not in lengths:
                lengths[link] = clean_length(link.text_content())
            linked += lengths[link]
        return linked / max(clean_length(elem.text_content()), 1)


def clean_length(text: str) -> int:
    """``len(readability.readability.clean(text))``, without its three regular expressions
    where they cannot change anything.

    readability measures every link of every candidate block this way (over half its time on
    pages with many links). Text whose only whitespace is single spaces (``isprintable``
    rejects every other whitespace character) is left as it is by those expressions, so
    its length is that of the stripped text.
    """
    if text.isprintable() and "  " not in text:
        return len(text.strip(" "))
    return len(clean(text))


def text(root: HtmlElement) -> str:
    """readability-lxml's article text from ``root`` (left unchanged); empty when it finds
    none."""
    try:
        # No URL: with one, readability rewrites every link for output that is plain text.
        summary = _TreeDocument(root).summary(html_partial=True)
    except (Unparseable, ValueError, TypeError):
        return ""
    return _once(to_text(fromstring(summary))) if summary.strip() else ""


def _once(text: str) -> str:
    """``text`` without a second copy of itself.

    A page that prints its article twice (a print or mobile copy the stylesheet hides) makes
    readability's best candidate the parent of both copies. Only a whole repeat of two or more
    distinct paragraphs counts: a paragraph repeated on its own can be the article's own
    (a refrain, a placeholder text).
    """
    paragraphs = text.split("\n\n")
    half, odd = divmod(len(paragraphs), 2)
    if odd or half < 2:
        return text
    keys = [" ".join(p.split()).casefold() for p in paragraphs]
    if keys[:half] != keys[half:] or len(set(keys[:half])) < 2:
        return text
    return "\n\n".join(paragraphs[:half])


def _squeezed(root: HtmlElement) -> HtmlElement:
    """``root`` with whitespace runs in text squeezed as readability-lxml would squeeze them.

    readability-lxml normalises the text of every candidate, over and over, with regular
    expressions that are slow on long whitespace runs (source indentation, gaps left by
    pruning). Squeezing them once, the same way (a run with a line break becomes one line
    break, others one space), cuts its time by about a third and changes none of its scores.
    """
    for element in root.iter():
        if element.text and _WHITESPACE_RUN.search(element.text):
            element.text = _WHITESPACE_RUN.sub(_squeeze, element.text)
        if element.tail and _WHITESPACE_RUN.search(element.tail):
            element.tail = _WHITESPACE_RUN.sub(_squeeze, element.tail)
    return root


def _squeeze(run: re.Match[str]) -> str:
    return "\n" if "\n" in run.group() else " "
