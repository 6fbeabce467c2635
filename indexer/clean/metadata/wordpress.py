"""WordPress theme markup: ``rel="category tag"`` links, body/post classes, entry dates.

Most themes print these through core template tags, so they are consistent across sites
even when no SEO plugin adds JSON-LD or OpenGraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from lxml import etree
from lxml.html import HtmlElement

from indexer.clean import urls
from indexer.clean.metadata.model import Facts, unique
from indexer.clean.tree import text_of

# Markup read from three tags: one C-level tag-filtered walk visits every element once,
# where an XPath per field walked the whole tree six or seven times (measured: half the time).
_MARKED_TAGS = ("a", "time", "h1")
_ENTRY_TIME_CLASSES = ("entry-date", "published")
_ENTRY_TITLE_CLASSES = ("entry-title", "post-title")
# Class-marked elements: the post's own element (type-*) and author cards (vcard).
_CLASSED = etree.XPath("//*[contains(@class, 'type-') or contains(@class, 'vcard')]")
_CLASS_MARKERS = ("type-", "vcard")  # what _CLASSED looks for, as plain substrings
# Body classes WordPress prints on archive-type views: mostly links, not one article.
_LISTING_CLASSES = frozenset({"home", "blog", "archive", "category", "tag", "search",
                              "search-results", "date", "author", "paged", "tax"})
_TAXONOMY_PATHS = ("/category/", "/tag/")
_SLUG_CLASS = re.compile(r"^(category|tag)-(.+)$")


@dataclass
class _Marked:
    """What the walk over links, times and headings found, in document order."""

    rel_links: list[HtmlElement] = field(default_factory=list)
    author_links: list[HtmlElement] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    title: str | None = None


def extract(root: HtmlElement, markup: str | None = None) -> Facts:
    """``markup``, the page's source, lets the class query be skipped where no class could
    match: that query costs more than all the rest here, and most non-WordPress pages have
    neither marker (one substring scan each is cheap next to it)."""
    classed = _CLASSED(root) if markup is None or any(m in markup for m in _CLASS_MARKERS) else []
    marked = _walk(root, _vcard_links(classed))
    body_classes = _classes(root.find("body"))
    post_classes = _classes(_post(classed))
    categories, tags = _rel_links(marked.rel_links)
    facts = Facts(
        title=marked.title,
        categories=categories,
        tags=tags,
        authors=unique([text_of(a) for a in marked.author_links]),
        published=marked.published,
        modified=marked.modified,
        kind=_kind(body_classes),
    )
    # On an archive the post classes belong to the listed posts, not to the page.
    if facts.kind != "listing":
        facts.type = _post_type(post_classes or body_classes)
    if not facts.categories or not facts.tags:
        _from_slug_classes(root, post_classes or body_classes, facts)
    return facts


def _vcard_links(classed: list[HtmlElement]) -> set[HtmlElement]:
    return {a for e in classed if "vcard" in (e.get("class") or "")
            for a in e.iterdescendants("a")}


def _walk(root: HtmlElement, vcard_links: set[HtmlElement]) -> _Marked:
    marked = _Marked()
    for element in root.iter(*_MARKED_TAGS):
        if element.tag == "a":
            _link(element, vcard_links, marked)
            continue
        classes = element.get("class") or ""
        if element.tag == "h1":
            if marked.title is None and any(c in classes for c in _ENTRY_TITLE_CLASSES):
                marked.title = text_of(element) or None
            continue
        when = element.get("datetime")
        if when and marked.published is None and any(c in classes for c in _ENTRY_TIME_CLASSES):
            marked.published = str(when)
        if when and marked.modified is None and "updated" in classes:
            marked.modified = str(when)
    return marked


def _link(link: HtmlElement, vcard_links: set[HtmlElement], marked: _Marked) -> None:
    rel = link.get("rel") or ""
    if "tag" in rel:
        marked.rel_links.append(link)
    if rel == "author" or (link in vcard_links and _is_author_link(link)):
        marked.author_links.append(link)


def _post(classed: list[HtmlElement]) -> HtmlElement | None:
    """The post's own element: ``hentry`` or ``id="post-N"``, with a ``type-*`` class."""
    for element in classed:
        if "type-" not in (element.get("class") or ""):
            continue
        if "hentry" in _classes(element) or (element.get("id") or "").startswith("post-"):
            return element
    return None


def _rel_links(links: list[HtmlElement]) -> tuple[list[str], list[str]]:
    """Display names of ``rel="category tag"`` and plain ``rel="tag"`` links."""
    categories: list[str] = []
    tags: list[str] = []
    for link in links:
        rel = (link.get("rel") or "").lower().split()
        if "category" in rel:
            categories.append(text_of(link))
        elif "tag" in rel:
            tags.append(text_of(link))
    return unique(categories), unique(tags)


def _is_author_link(link: HtmlElement) -> bool:
    return any("author" in _classes(a) for a in link.iterancestors())


def _classes(element: HtmlElement | None) -> list[str]:
    if element is None:
        return []
    return (element.get("class") or "").split()


def _post_type(classes: list[str]) -> str | None:
    fmt = next((c.split("format-", 1)[1] for c in classes
                if c.startswith(("format-", "single-format-"))), None)
    if fmt and fmt != "standard":
        return fmt
    post_type = next((c[len("type-"):] for c in classes if c.startswith("type-")), None)
    if post_type:
        return post_type
    if "page" in classes or "page-template-default" in classes:
        return "page"
    return "post" if "single-post" in classes or "single" in classes else None


def _kind(body_classes: list[str]) -> str | None:
    if {"single", "single-post", "page"} & set(body_classes):
        return "article"
    if _LISTING_CLASSES & set(body_classes):
        return "listing"
    return None


def _from_slug_classes(root: HtmlElement, classes: list[str], facts: Facts) -> None:
    """``category-human-rights`` only gives the slug; the page's own links give the name."""
    slugs = [m.groups() for m in map(_SLUG_CLASS.match, classes)
             if m and not m.group(2).isdigit()]
    if not slugs:
        return
    names = _taxonomy_link_names(root)
    found: dict[str, list[str]] = {"category": [], "tag": []}
    for taxonomy, slug in slugs:
        fallback = unquote(slug).replace("-", " ").title()
        found[taxonomy].append(names.get((taxonomy, unquote(slug)), fallback))
    facts.categories = facts.categories or unique(found["category"])
    facts.tags = facts.tags or unique(found["tag"])


def _taxonomy_link_names(root: HtmlElement) -> dict[tuple[str, str], str]:
    """(taxonomy, slug) -> link text, from links such as ``/category/human-rights/``."""
    names: dict[tuple[str, str], str] = {}
    for link in root.iter("a"):
        if not any(p in (link.get("href") or "") for p in _TAXONOMY_PATHS):
            continue
        parts = unquote(urls.path(link.get("href"))).rstrip("/").split("/")
        if len(parts) >= 2 and parts[-2] in {"category", "tag"} and text_of(link):
            names.setdefault((parts[-2], parts[-1]), text_of(link))
    return names
