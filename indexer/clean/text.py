"""Element to plain text with one blank line between paragraphs."""

from __future__ import annotations

from lxml.html import HtmlElement

BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "blockquote", "pre", "ul", "ol", "li", "dl",
    "dt", "dd", "table", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption",
    "header", "footer", "address", "br", "hr", "td", "th",
})


def to_text(element: HtmlElement) -> str:
    """Paragraphs of ``element``, whitespace collapsed, separated by blank lines."""
    paragraphs: list[str] = []
    current: list[str] = []
    _walk(element, paragraphs, current)
    _flush(paragraphs, current)
    return "\n\n".join(paragraphs)


def join_lines(text: str) -> str:
    """Extractor output has one paragraph per line; make that one per blank-line block."""
    return "\n\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _walk(element: HtmlElement, paragraphs: list[str], current: list[str]) -> None:
    block = isinstance(element.tag, str) and element.tag in BLOCK_TAGS
    if block:
        _flush(paragraphs, current)
    if isinstance(element.tag, str) and element.text:
        current.append(element.text)
    for child in element:
        _walk(child, paragraphs, current)
    if block:
        _flush(paragraphs, current)
    if element.tail:
        current.append(element.tail)


def _flush(paragraphs: list[str], current: list[str]) -> None:
    text = " ".join("".join(current).split())
    if text:
        paragraphs.append(text)
    current.clear()
