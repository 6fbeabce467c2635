"""schema.org JSON-LD: the most explicit metadata a page can carry, so trusted first."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

from indexer.clean.metadata.model import Facts, unique

ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "blogposting", "reportage", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
    "techarticle", "socialmediaposting", "liveblogposting", "report", "videoobject",
})
LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage"})
_JSON_LD = "application/ld+json"


def nodes(root: HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, ``@graph`` members flattened in."""
    found: list[dict[str, Any]] = []
    # A tag-filtered walk: cheaper than both an XPath query and a scan of the source first.
    for script in (s for s in root.iter("script") if s.get("type") == _JSON_LD):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue  # broken JSON-LD is common; the other sources still apply
        found.extend(_flatten(data))
    return found


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        yield data
        yield from _flatten(data.get("@graph"))


def types_of(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {v.lower() for v in values if isinstance(v, str)}


def extract(all_nodes: list[dict[str, Any]], title_tag: str | None = None) -> Facts:
    article = next((n for n in all_nodes if types_of(n) & ARTICLE_TYPES), None)
    facts = Facts(site_name=_site_name(all_nodes))
    if any(types_of(n) & LISTING_TYPES for n in all_nodes):
        facts.kind = "listing"
    if article is None:
        return facts
    facts.kind = "article"
    facts.type = "video" if "videoobject" in types_of(article) else "post"
    facts.title = _title(article, title_tag)
    facts.description = _text(article.get("description"))
    facts.image = _url(article.get("image")) or _url(article.get("thumbnailUrl"))
    facts.categories = unique(_strings(article.get("articleSection")))
    facts.tags = unique(_keywords(article.get("keywords")))
    facts.authors = unique(_names(article.get("author"), all_nodes))
    facts.published = _text(article.get("datePublished")) or _text(article.get("uploadDate"))
    facts.modified = _text(article.get("dateModified"))
    facts.language = _text(article.get("inLanguage"))
    return facts


def _title(article: dict[str, Any], title_tag: str | None) -> str | None:
    """``headline``, unless ``name`` differs and is closer to the <title> element: some
    sites put a description in one of the two (Wikipedia's headline is "Wikimedia list
    article")."""
    headline, name = _text(article.get("headline")), _text(article.get("name"))
    if not (headline and name) or headline == name or not title_tag:
        return headline or name
    return max((headline, name), key=lambda candidate: _overlap(candidate, title_tag))


def _overlap(a: str, b: str) -> float:
    words_a, words_b = set(a.casefold().split()), set(b.casefold().split())
    return len(words_a & words_b) / max(len(words_a), 1)


def _site_name(all_nodes: list[dict[str, Any]]) -> str | None:
    for node in all_nodes:
        if "website" in types_of(node):
            return _text(node.get("name"))
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, str | int | float) and str(value).strip():
        return " ".join(str(value).split())
    return None


def _url(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        return _text(value.get("url")) or _text(value.get("@id"))
    return _text(value)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _keywords(value: Any) -> list[str]:
    # Often one comma-separated string rather than a list.
    if isinstance(value, str):
        return value.split(",")
    return _strings(value)


def _names(value: Any, all_nodes: list[dict[str, Any]]) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            node = _resolve(item, all_nodes)
            name = _text(node.get("name"))
            if name:
                names.append(name)
    return names


def _resolve(ref: dict[str, Any], all_nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """A bare ``{"@id": ...}`` reference points at a node elsewhere in the graph."""
    if "name" in ref or "@id" not in ref:
        return ref
    return next((n for n in all_nodes if n.get("@id") == ref["@id"] and "name" in n), ref)
