"""WordPress theme markup: ``rel="category tag"`` links, body/post classes, entry dates.

Most themes print these through core template tags, so they are consistent across sites
even when no SEO plugin adds JSON-LD or OpenGraph.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from lxml import etree
from lxml.html import HtmlElement

from indexer.clean import urls
from indexer.clean.metadata.model import Facts, unique
from indexer.clean.tree import text_of

# Simple XPath (no per-element string building) and the exact test in Python: these run
# over every element of every page, so they must be cheap.
_REL_LINKS = etree.XPath("//a[contains(@rel, 'tag')]")
_TYPED = etree.XPath("//*[contains(@class, 'type-')]")
_ENTRY_TIME = etree.XPath("//time[contains(@class, 'entry-date') or "
                          "contains(@class, 'published')]/@datetime")
_UPDATED_TIME = etree.XPath("//time[contains(@class, 'updated')]/@datetime")
_ENTRY_TITLE = etree.XPath("//h1[contains(@class, 'entry-title') or "
                           "contains(@class, 'post-title')]")
_AUTHORS = etree.XPath("//*[contains(@class, 'vcard')]//a | //a[@rel='author']")
# Body classes WordPress prints on archive-type views: mostly links, not one article.
_LISTING_CLASSES = frozenset({"home", "blog", "archive", "category", "tag", "search",
                              "search-results", "date", "author", "paged", "tax"})
_TAXONOMY_LINKS = etree.XPath("//a[contains(@href, '/category/') or contains(@href, '/tag/')]")
_SLUG_CLASS = re.compile(r"^(category|tag)-(.+)$")


def extract(root: HtmlElement) -> Facts:
    # No substring tests on the source to skip absent markup first: measured on the dev
    # sets, a dozen scans of a large page cost more than the compiled queries they skip.
    body_classes = _classes(root.find("body"))
    post_classes = _classes(_post(root))
    categories, tags = _rel_links(root)
    facts = Facts(
        title=_first_text(_ENTRY_TITLE(root)),
        categories=categories,
        tags=tags,
        authors=unique([text_of(a) for a in _AUTHORS(root) if _is_author_link(a)]),
        published=_str(_first(_ENTRY_TIME(root))),
        modified=_str(_first(_UPDATED_TIME(root))),
        kind=_kind(body_classes),
    )
    # On an archive the post classes belong to the listed posts, not to the page.
    if facts.kind != "listing":
        facts.type = _post_type(post_classes or body_classes)
    if not facts.categories or not facts.tags:
        _from_slug_classes(root, post_classes or body_classes, facts)
    return facts


def _post(root: HtmlElement) -> HtmlElement | None:
    """The post's own element: ``hentry`` or ``id="post-N"``, with a ``type-*`` class."""
    for element in _TYPED(root):
        if "hentry" in _classes(element) or (element.get("id") or "").startswith("post-"):
            return element
    return None


def _rel_links(root: HtmlElement) -> tuple[list[str], list[str]]:
    """Display names of ``rel="category tag"`` and plain ``rel="tag"`` links."""
    categories: list[str] = []
    tags: list[str] = []
    for link in _REL_LINKS(root):
        rel = (link.get("rel") or "").lower().split()
        if "category" in rel:
            categories.append(text_of(link))
        elif "tag" in rel:
            tags.append(text_of(link))
    return unique(categories), unique(tags)


def _is_author_link(link: HtmlElement) -> bool:
    if link.get("rel") == "author":
        return True
    return any("author" in _classes(a) for a in link.iterancestors())


def _classes(element: HtmlElement | None) -> list[str]:
    if element is None:
        return []
    return (element.get("class") or "").split()


def _first(values: list[Any]) -> Any:
    return values[0] if values else None


def _str(value: Any) -> str | None:
    # XPath attribute results are "smart strings" that keep the tree alive.
    return str(value) if value else None


def _first_text(elements: list[HtmlElement]) -> str | None:
    return text_of(elements[0]) or None if elements else None


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
    for link in _TAXONOMY_LINKS(root):
        parts = unquote(urls.path(link.get("href"))).rstrip("/").split("/")
        if len(parts) >= 2 and parts[-2] in {"category", "tag"} and text_of(link):
            names.setdefault((parts[-2], parts[-1]), text_of(link))
    return names
