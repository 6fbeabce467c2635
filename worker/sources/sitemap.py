"""Sitemaps (sitemaps.org 0.9): a ``<urlset>`` of pages or a ``<sitemapindex>`` of sitemaps."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from worker.fetch.body import gunzip_if_gzipped

KINDS = ("urlset", "sitemapindex")


@dataclass(frozen=True)
class Entry:
    loc: str
    lastmod: str | None = None


@dataclass
class Sitemap:
    kind: str
    entries: list[Entry] = field(default_factory=list)


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse(data: bytes, cap: int) -> Sitemap | None:
    """The sitemap in ``data`` (gzip or plain), or None when it is not one.

    No entities are resolved and nothing is fetched by the parser (no XXE); the gunzipped
    size is bounded by ``cap``.
    """
    data = gunzip_if_gzipped(data, cap)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data.lstrip(), parser)
    except etree.XMLSyntaxError:
        return None
    kind = _local(root.tag)
    if kind not in KINDS:
        return None
    sitemap = Sitemap(kind)
    child = "url" if kind == "urlset" else "sitemap"
    for node in root:
        if _local(node.tag) != child:
            continue
        values = {_local(part.tag): (part.text or "").strip() for part in node}
        if values.get("loc"):
            sitemap.entries.append(Entry(values["loc"], values.get("lastmod") or None))
    return sitemap
