"""Page metadata from every source, merged in a documented order of trust.

1. JSON-LD (``Article``, ``NewsArticle``, ``BlogPosting``, ... also inside ``@graph``);
2. OpenGraph and ``article:*`` meta (then Twitter cards and plain ``<meta name>``);
3. WordPress markup (``rel="category tag"``, ``rel="tag"``, body classes, ``time.entry-date``);
4. microdata (``itemprop``);
5. breadcrumbs (categories only).

Above them all, what the publisher itself states (a CMS pushing its post, see :func:`trusting`).

Per field, the most trusted source that has a value wins (except ``type``, where WordPress's
own post type or format wins, and ``kind`` when WordPress says the post needs a password);
sources are never mixed within one list field, so a slug-derived category never joins
JSON-LD's display names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from lxml import etree
from lxml.html import HtmlElement

from indexer.clean.encoding import header
from indexer.clean.metadata import breadcrumbs, jsonld, microdata, opengraph, wordpress
from indexer.clean.metadata.model import Facts, merge
from indexer.clean.tree import text_of

_H1 = etree.XPath("//body//h1")


@dataclass
class Metadata:
    facts: Facts
    # The <title> element and the page's single <h1>: fallbacks and tie-breakers for title.
    title_tag: str | None = None
    headline: str | None = None
    canonical: str | None = None
    robots: set[str] = field(default_factory=set)
    # (source, language tag) in order of trust.
    languages: list[tuple[str, str | None]] = field(default_factory=list)


def extract(root: HtmlElement, headers: Mapping[str, str] | None = None,
            markup: str | None = None) -> Metadata:
    """``markup``, the page's source text, lets sources absent from it be skipped cheaply."""

    def has(needle: str) -> bool:
        return markup is None or needle in markup

    meta = opengraph.meta_values(root)
    nodes = jsonld.nodes(root)
    wp = wordpress.extract(root, markup)
    title_tag = _title_tag(root)
    facts = merge([
        jsonld.extract(nodes, title_tag),
        opengraph.extract(meta),
        wp,
        microdata.extract(root) if has("itemprop") else Facts(),
        breadcrumbs.extract(root, nodes, markup),
    ])
    # The one exception to the order: a post type or format the theme prints (video,
    # gallery, page) is more specific than JSON-LD's or OpenGraph's generic "article".
    facts.type = wp.type or facts.type
    # And a password form (WordPress's post-password-required) is no article, whatever an SEO
    # plugin's JSON-LD says of the post behind it.
    if wp.kind == "protected":
        facts.kind = wp.kind
    return Metadata(
        facts=facts,
        title_tag=title_tag,
        headline=_headline(root),
        canonical=_canonical(root),
        robots=_robots(meta, headers),
        languages=[
            ("html-lang", root.get("lang") or root.get("xml:lang")),
            ("content-language", header(headers, "content-language")),
            ("meta-content-language", _first(meta.get("content-language"))),
            ("json-ld", facts.language),
        ],
    )


def trusting(meta: Metadata, stated: Facts) -> Metadata:
    """``meta`` with the publisher's own statement first: its facts win field by field (its
    post type included), its language over every declared one."""
    return replace(meta, facts=merge([stated, meta.facts]),
                   languages=[("supplied", stated.language), *meta.languages])


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None


def _title_tag(root: HtmlElement) -> str | None:
    title = root.find(".//title")
    return text_of(title) or None if title is not None else None


def _headline(root: HtmlElement) -> str | None:
    h1s = _H1(root)
    return text_of(h1s[0]) or None if len(h1s) == 1 else None


def _canonical(root: HtmlElement) -> str | None:
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return str(link.get("href")).strip()
    return None


def _robots(meta: dict[str, list[str]], headers: Mapping[str, str] | None) -> set[str]:
    values = meta.get("robots", []) + meta.get("googlebot", [])
    values.append(header(headers, "x-robots-tag") or "")
    directives = {d.strip().lower() for v in values for d in v.split(",")}
    if "none" in directives:
        directives |= {"noindex", "nofollow"}
    return directives & {"noindex", "nofollow"}
