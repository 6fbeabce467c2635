"""Remove page furniture from the tree before extraction.

Extraction libraries score blocks by text and link density; a 30-item category widget or a
"Recent Posts" list can still win a block. Removing what is never content first makes
their job easier and faster (fewer nodes to score). Rules are data, so they can be read,
tested and extended without touching the traversal.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

# Elements that never hold article text.
DROP_TAGS: tuple[str, ...] = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "canvas",
    "button", "select", "textarea", "input", "label", "dialog",
    "nav", "aside", "menu", "svg",
)
# Landmark roles with the same meaning as the tags above.
DROP_ROLES: tuple[str, ...] = (
    "navigation", "complementary", "search", "contentinfo", "banner", "menu", "menubar",
    "dialog", "alert", "toolbar",
)
# Wrappers whose text stays and whose element goes once pruning has read their class and id:
# spans are the commonest element on many pages, and every later step (trafilatura copies
# the tree four times, readability serialises it) walks them. Measured on the dev sets:
# cleaning 8% faster on the readability set, F1 within 0.002 on both.
UNWRAP_TAGS: tuple[str, ...] = ("span",)
# Containers dropped only when not inside the article: inside, a <header> holds the
# headline and a <footer> the byline, outside they are the site's masthead and footer.
OUTER_ONLY_TAGS: tuple[str, ...] = ("header", "footer", "form")

# Words in class/id values that name furniture. Matched as whole hyphen/underscore
# delimited words, so "nav" does not hit "canvas" nor "comment" hit "commentary".
FURNITURE_WORDS: tuple[str, ...] = (
    "sidebar", "widget", "widgets", "share", "sharing", "sharedaddy", "social", "sociable",
    "related", "comments", "comment", "respond", "disqus", "breadcrumb", "breadcrumbs",
    "menu", "nav", "navbar", "navigation", "footer", "masthead", "cookie", "cookies",
    "newsletter", "subscribe", "subscription", "signup", "advert", "advertisement", "ads",
    "ad", "sponsor", "sponsored", "promo", "pagination", "pager", "popup", "modal",
    "skip", "screen-reader-text", "sr-only", "visually-hidden", "print-only", "toolbar",
    "tagcloud", "tag-cloud", "tags", "categories", "recent", "popular", "trending",
    "author-bio", "authorbox", "jp-relatedposts", "yarpp", "addthis", "sharethis",
    "entry-footer", "search", "searchform", "login",
    # Line-number gutters beside code listings.
    "gutter", "lineno", "linenos", "line-numbers-rows",
)
# Class tokens that describe the content, not furniture: WordPress post classes carry the
# post's own tags ("tag-share") and state modifiers say what is next to it ("has-sidebar").
IGNORED_PREFIXES: tuple[str, ...] = (
    "category-", "tag-", "post_tag-", "format-", "author-", "type-", "status-", "has-",
    "with-", "no-", "is-",
)
# A token naming the main content protects the element even if another token names
# furniture ("main-content has-sidebar", "post widget-area").
CONTENT_TOKENS = frozenset({
    "main", "content", "article", "post", "hentry", "entry", "story", "main-content",
    "entry-content", "post-content", "article-content", "article-body", "post-body",
    "entry-body", "story-body", "single-post", "blog", "post-outer",
})
# Comment sections are dropped whatever their size or shape; they hold paragraphs too.
COMMENT_WORDS: tuple[str, ...] = ("comment", "comments", "respond", "disqus", "commentlist")
_COMMENTS = re.compile(rf"(?:^|[\s_-])(?:{'|'.join(COMMENT_WORDS)})(?:$|[\s_-])", re.I)
# Other furniture is link lists (menus, category clouds, Recent Posts) or short (share bars,
# search widgets). A matched block that is long and mostly plain text may be the article
# itself inside an oddly named wrapper ("share_wrapper", "nav-single"), so it stays and the
# extractor decides.
MAX_PLAIN_CHARS = 400
MIN_LINK_DENSITY = 0.35
_WORD = "|".join(sorted((re.escape(w) for w in FURNITURE_WORDS), key=len, reverse=True))
_FURNITURE = re.compile(rf"(?:^|[\s_-])(?:{_WORD})(?:$|[\s_-])", re.I)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BODY_CHARS = etree.XPath("string-length(/html/body)")
_PROTECTED = frozenset({"html", "body", "article", "main"})

# Attributes that mark an element whatever its class: landmark role, hidden, inline style.
_FLAG_ATTRIBUTES = frozenset({"role", "hidden", "aria-hidden", "style"})
_NAME_ATTRIBUTES = frozenset({"class", "id"})

# A matched element holding more than this share of the page's text is a layout wrapper
# ("content-sidebar-wrap", an ASP.NET page-wide <form>), not furniture.
MAX_TEXT_SHARE = 0.4


def prune(root: HtmlElement, extra_drop: list[str] | None = None, unwrap: bool = True) -> None:
    """Drop furniture from ``root`` in place; ``extra_drop`` are per-site XPath expressions.
    ``unwrap=False`` keeps the wrappers of UNWRAP_TAGS, for an operator's content selector
    that may name one."""
    body = root.find("body")
    if body is None:
        return
    _empty_head(root)
    etree.strip_elements(body, *DROP_TAGS, with_tail=False)
    total = max(int(_BODY_CHARS(root)), 1)
    for expression in extra_drop or ():
        _drop_guarded(root, root.xpath(expression), total, share=1.0)
    _drop_guarded(root, _outer(body), total)
    _drop_guarded(root, _candidates(body), total, judge=True)
    if unwrap:
        etree.strip_tags(body, *UNWRAP_TAGS)


def _empty_head(root: HtmlElement) -> None:
    # Metadata has been read by now; what is left in <head> (scripts, styles, JSON-LD) is
    # never content, yet the extractors copy and walk it.
    head = root.find("head")
    if head is not None:
        head.clear()


def _outer(body: HtmlElement) -> list[HtmlElement]:
    # A tag-filtered iteration is three times faster than the equivalent XPath.
    return [e for e in body.iter(*OUTER_ONLY_TAGS)
            if not any(a.tag in {"article", "main"} for a in e.iterancestors())]


@lru_cache(maxsize=8192)
def _names_furniture(value: str) -> bool:
    # Class values repeat within a page and across a site's pages: cache the regex result.
    return _FURNITURE.search(value) is not None


def _candidates(body: HtmlElement) -> list[HtmlElement]:
    # One walk over the elements' attributes, in document order: measured about 40% faster
    # than two XPath queries (class/id values, flagged elements), whose descendant axis also
    # visits every text node.
    found = []
    for element in body.iterdescendants(etree.Element):
        for name, value in element.items():
            if name in _FLAG_ATTRIBUTES or (name in _NAME_ATTRIBUTES and _names_furniture(value)):
                found.append(element)
                break
    return found


def is_furniture(element: HtmlElement) -> bool:
    """Whether class, id, role or visibility mark ``element`` as page furniture."""
    if element.tag in _PROTECTED:
        return False
    get = element.get
    if get("role") in DROP_ROLES or get("aria-hidden") == "true" or get("hidden") is not None:
        return True
    style = get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    return _names_say_furniture(f"{get('class') or ''} {get('id') or ''}")


@lru_cache(maxsize=8192)
def _names_say_furniture(names: str) -> bool:
    # Most elements match no furniture word at all: settle those with one regex search.
    if _FURNITURE.search(names) is None:
        return False
    tokens = names.lower().split()
    if CONTENT_TOKENS.intersection(tokens):
        return False
    names = " ".join(t for t in tokens if not t.startswith(IGNORED_PREFIXES))
    return _FURNITURE.search(names) is not None


def _looks_like_furniture(element: HtmlElement, text: int) -> bool:
    """``text``: the length of the element's text."""
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    if _COMMENTS.search(names):
        return True
    if text <= MAX_PLAIN_CHARS:
        return True
    linked = sum(len(a.text_content()) for a in element.iter("a"))
    return linked >= MIN_LINK_DENSITY * text


def _drop_guarded(root: HtmlElement, elements: list[HtmlElement], total: int,
                  share: float = MAX_TEXT_SHARE, judge: bool = False) -> None:
    """Drop ``elements`` holding at most ``share`` of the page's text; with ``judge``, only
    those :func:`is_furniture` and :func:`_looks_like_furniture` confirm."""
    for element in elements:
        # Inside a container dropped earlier (elements come in document order): skip the work.
        if not isinstance(element, HtmlElement) or element.getroottree().getroot() is not root:
            continue
        if judge and not is_furniture(element):
            continue
        text = len(element.text_content())
        if judge and not _looks_like_furniture(element, text):
            continue
        if text <= share * total:
            _drop(element)


def _drop(element: HtmlElement) -> None:
    # drop_tree keeps the element's tail text, which belongs to the parent.
    if element.getparent() is not None:
        element.drop_tree()
