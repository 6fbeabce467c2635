"""Main-content extraction: a fallback chain around well-kept extraction libraries.

1. ``rules``: the operator's content selector for this site, when it matches;
2. ``trafilatura``: trafilatura's fast mode on the pruned tree (the strongest measured);
3. ``readability``: readability-lxml when trafilatura returns little or nothing;
4. ``body-text``: the pruned body's text, so a page never comes out empty by accident.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass

from lxml.html import HtmlElement

from indexer.clean.text import join_lines, to_text

# Below this many characters the first pass probably missed the article (or the page is a
# short one, in which case the second opinion agrees and costs little).
SHORT_TEXT = 250


@dataclass(frozen=True)
class Extraction:
    text: str
    path: str


def extract(root: HtmlElement, url: str | None, content_xpath: str | None = None) -> Extraction:
    if content_xpath:
        matched = root.xpath(content_xpath)
        text = "\n\n".join(to_text(m) for m in matched if isinstance(m, HtmlElement))
        if text:
            return Extraction(text, "rules")
    best = Extraction(_trafilatura(root, url), "trafilatura")
    if len(best.text) < SHORT_TEXT:
        second = Extraction(_readability(root, url), "readability")
        best = second if len(second.text) > len(best.text) else best
    if not best.text:
        body = root.find("body")
        best = Extraction(to_text(body) if body is not None else "", "body-text")
    return best


def _trafilatura(root: HtmlElement, url: str | None) -> str:
    import trafilatura

    text = trafilatura.extract(
        root, url=url, fast=True, include_comments=False, include_tables=True,
        deduplicate=False, output_format="txt",
    )
    return join_lines(text or "")


def _readability(root: HtmlElement, url: str | None) -> str:
    from lxml.html import fromstring
    from readability import Document
    from readability.readability import Unparseable

    try:
        summary = Document(deepcopy(root), url=url).summary(html_partial=True)
    except (Unparseable, ValueError, TypeError):
        return ""
    return to_text(fromstring(summary)) if summary.strip() else ""
