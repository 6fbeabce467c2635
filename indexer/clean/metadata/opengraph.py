"""``<meta>`` tags: Dublin Core, OpenGraph, ``article:*``, Twitter cards, plain names.

Within this source, Dublin Core's title and description come before OpenGraph's: they are
the older, more explicit vocabulary (Mozilla Readability uses the same order), and
OpenGraph's are often shortened for social cards.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from indexer.clean.metadata.model import Facts, unique


def meta_values(root: HtmlElement) -> dict[str, list[str]]:
    """Every ``<meta>`` keyed by lower-cased property/name/http-equiv, values in page order."""
    values: dict[str, list[str]] = {}
    for meta in root.iter("meta"):
        content = meta.get("content")
        if not content or not content.strip():
            continue
        # RDFa allows several properties in one attribute: "og:title twitter:title".
        prop = meta.get("property")
        keys = prop.split() if prop else [meta.get("name") or meta.get("http-equiv") or ""]
        for key in keys:
            if key.strip():
                values.setdefault(key.strip().lower(), []).append(content.strip())
    return values


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        if meta.get(key):
            return " ".join(meta[key][0].split())
    return None


# og:type values with a WordPress counterpart; "website" is OpenGraph's generic default.
_OG_TYPES = {"article": "post", "website": "page", "blog": "page"}


def extract(meta: dict[str, list[str]]) -> Facts:
    og_type = (_first(meta, "og:type") or "").lower()
    facts = Facts(
        title=_first(meta, "dc:title", "dcterm:title", "dc.title", "dcterms.title", "og:title",
                     "twitter:title", "parsely-title"),
        description=_first(meta, "dc:description", "dcterm:description", "dc.description",
                           "og:description", "description", "twitter:description"),
        image=_first(meta, "og:image", "og:image:url", "og:image:secure_url",
                     "twitter:image", "twitter:image:src"),
        url=_first(meta, "og:url"),
        site_name=_first(meta, "og:site_name", "application-name"),
        categories=unique(meta.get("article:section", [])),
        tags=unique(meta.get("article:tag", [])),
        authors=unique(_human_names(meta.get("dc:creator", []) + meta.get("author", [])
                                    + meta.get("article:author", []))),
        published=_first(meta, "article:published_time", "og:article:published_time",
                          "datepublished", "date", "dc.date", "dc.date.issued",
                          "parsely-pub-date", "sailthru.date"),
        modified=_first(meta, "article:modified_time", "og:updated_time", "datemodified",
                         "last-modified"),
    )
    if og_type:
        facts.type = _OG_TYPES.get(og_type, og_type.split(".")[0])
        facts.kind = "article" if og_type in {"article", "video.other", "video.movie"} else None
    return facts


def _human_names(values: list[str]) -> list[str]:
    # article:author is often a profile URL, which is not a display name.
    return [v for v in values if not v.startswith(("http://", "https://", "/"))]
