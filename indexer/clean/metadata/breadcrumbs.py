"""Breadcrumbs: the least explicit source, used for a category when nothing else names one."""

from __future__ import annotations

from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from indexer.clean.metadata.jsonld import types_of
from indexer.clean.metadata.model import Facts, unique
from indexer.clean.tree import text_of

_TRAILS = etree.XPath("//*[contains(@class, 'breadcrumb') or contains(@id, 'breadcrumb')]"
                      "[not(ancestor::*[contains(@class, 'breadcrumb')])]")
_HOME = frozenset({"home", "homepage", "start", "accueil", "inicio", "startseite",
                   "خانه", "صفحه اصلی", "الرئيسية"})


def extract(root: HtmlElement, jsonld_nodes: list[dict[str, Any]],
            markup: str | None = None) -> Facts:
    crumbs = _from_jsonld(jsonld_nodes)
    stated = bool(crumbs)
    if not crumbs and (markup is None or "readcrumb" in markup):  # Breadcrumb, breadcrumbs
        crumbs = _from_markup(root)
    # The last crumb is usually the page itself, the first the home page.
    middle = [c for c in crumbs[:-1] if c.lower() not in _HOME]
    # A BreadcrumbList states the trail down to the page, its category's path (Home > World >
    # Europe > the post). A trail read from markup takes every link in the element, menus and
    # "Email a friend" included (seen on the dev pages): its last link only, as a category.
    chains = [tuple(middle)] if stated and middle else []
    return Facts(categories=unique(middle[-1:]), category_paths=chains)


def _from_jsonld(jsonld_nodes: list[dict[str, Any]]) -> list[str]:
    for node in jsonld_nodes:
        if "breadcrumblist" in types_of(node):
            items = node.get("itemListElement")
            return [_item_name(i) for i in items or [] if _item_name(i)]
    return []


def _item_name(item: Any) -> str:
    if not isinstance(item, dict):
        return ""
    name = item.get("name")
    inner = item.get("item")
    if not name and isinstance(inner, dict):
        name = inner.get("name")
    return name.strip() if isinstance(name, str) else ""


def _from_markup(root: HtmlElement) -> list[str]:
    trails = _TRAILS(root)
    if not trails:
        return []
    links = [text_of(a) for a in trails[0].iter("a")]
    # The current page is often plain text after the last link, so append a placeholder.
    return [*[name for name in links if name], "(current)"]
