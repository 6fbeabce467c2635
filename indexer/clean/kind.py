"""Article or listing: listings (home, category, tag, archive, search pages) are mostly links
to other pages, and searching them would only duplicate the articles they point to."""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from indexer.clean.tree import body_chars

# A page with this many separate post blocks is an index of posts.
MIN_LISTING_BLOCKS = 3
MAX_LISTING_CHARS_PER_BLOCK = 1500
# Share of the remaining text that sits in links, beyond which a page is a link list.
LINK_TEXT_SHARE = 0.6
_POST_BLOCKS = etree.XPath("//article[not(ancestor::article)] | "
                           "//*[contains(@class, 'hentry')][not(ancestor::article)]")


def decide(declared: str | None, pruned_root: HtmlElement, content: str) -> tuple[str, str]:
    """The kind and what decided it: the page's own markup when it says, else its shape."""
    if declared in {"article", "listing", "protected"}:
        return declared, "markup"
    if _many_post_blocks(pruned_root, content) or _mostly_links(pruned_root):
        return "listing", "shape"
    return "article", "default"


def _many_post_blocks(root: HtmlElement, content: str) -> bool:
    blocks = _POST_BLOCKS(root)
    if len(blocks) < MIN_LISTING_BLOCKS:
        return False
    # Excerpts are short; a long article split into <article> sections is still one article.
    return len(content) < MAX_LISTING_CHARS_PER_BLOCK * len(blocks)


def _mostly_links(root: HtmlElement) -> bool:
    body = root.find("body")
    if body is None:
        return False
    total = body_chars(root)
    if total == 0:
        return False
    linked = sum(len(" ".join(a.text_content().split())) for a in body.iter("a"))
    return linked / total > LINK_TEXT_SHARE
