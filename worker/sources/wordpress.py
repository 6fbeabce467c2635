"""A WordPress site read through its own REST API (``/wp-json/wp/v2/``).

WordPress says where its API is on every page (``<link rel="https://api.w.org/">`` and the
same ``Link`` header). Through it pagesift lists exactly the published posts and pages (never
drafts, private or scheduled ones), with their exact metadata: category and tag names, the
author's name, dates in UTC, the format and type, the link. A synced site is asked only for
what changed since the newest post pagesift holds (``modified_after``), and its list of
published links tells which indexed posts are gone.

Each post becomes a small HTML document (:func:`document`): the post's rendered content, its
title, and its metadata as JSON-LD and WordPress's own body classes, so the same cleaner
that reads crawled pages reads it (the body through the same extraction, the facts through
the same metadata sources), and the raw store keeps it for a reclean like any fetched page.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlencode, urljoin, urlsplit

from lxml import html as lxml_html

from worker.fetch.errors import FetchError

API_REL = "https://api.w.org/"
JSON_TYPES = ("application/json",)
# The REST API's largest page.
PER_PAGE = 100
# Post types of WordPress's own that are not reading matter.
_INTERNAL_TYPES = frozenset({"attachment", "nav_menu_item", "wp_block", "wp_template", "wp_template_part",
                             "wp_navigation", "wp_global_styles"})
_LINK_HEADER = re.compile(r'<([^>]+)>\s*;\s*rel="?https://api\.w\.org/"?')
_LIST_FIELDS = "id,link,modified_gmt"
_LIGHT_FIELDS = "id,link"
# A watermark's slack: a post saved in the same second as the newest one indexed is asked again.
_SLACK = timedelta(minutes=1)


class Fetch(Protocol):
    def __call__(self, url: str, accept: tuple[str, ...] | None) -> tuple[Mapping[str, str], bytes]: ...


class NotWordPress(Exception):
    """No open WordPress REST API at this address: crawl the site instead (the reason says why)."""


@dataclass(frozen=True)
class Term:
    name: str
    parent: int


@dataclass(frozen=True)
class Site:
    """A WordPress site's API: where it is, the site's home and language, its reading types
    (REST route -> post type), and its clock (the API compares dates in the site's time)."""

    api: str  # ends with "/", e.g. http://example.org/wp-json/
    home: str
    name: str
    language: str | None
    gmt_offset: float
    routes: Mapping[str, str] = field(default_factory=dict)
    # Every category as (id, name, parent id), asked once a sync: the posts' paths are read
    # from it (see :func:`category_tree`).
    categories: Sequence[Sequence[Any]] = ()

    def terms(self) -> dict[int, Term]:
        return {int(i): Term(str(name), int(parent)) for i, name, parent in self.categories}

    def collection(self, route: str) -> str:
        return urljoin(self.api, f"wp/v2/{route}")

    def local_time(self, moment: datetime) -> str:
        """``moment`` as the API's date filters read it: the site's local time, no offset."""
        local = moment.astimezone(UTC) + timedelta(hours=self.gmt_offset)
        return local.strftime("%Y-%m-%dT%H:%M:%S")


@dataclass(frozen=True)
class Listed:
    id: int
    link: str
    route: str
    modified: datetime | None

    def item_url(self, site: Site) -> str:
        return f"{site.collection(self.route)}/{self.id}"


def api_root(page_headers: Mapping[str, str], page: bytes, url: str) -> str | None:
    """The API's root that a page of the site names (Link header, else ``<link>`` in the head)."""
    found = _LINK_HEADER.search(page_headers.get("link", ""))
    if found:
        return urljoin(url, found.group(1))
    try:
        root = lxml_html.fromstring(page)
    except (ValueError, lxml_html.etree.ParserError):
        return None
    for link in root.iter("link"):
        if API_REL in (link.get("rel") or "").split() and link.get("href"):
            return urljoin(url, str(link.get("href")))
    return None


def page_language(page: bytes) -> str | None:
    try:
        root = lxml_html.fromstring(page)
    except (ValueError, lxml_html.etree.ParserError):
        return None
    return root.get("lang") or None


def discover(fetch: Fetch, url: str) -> Site:
    """The site behind ``url`` (any of its pages); NotWordPress when it has no open API."""
    try:
        headers, page = fetch(url, None)
    except FetchError as exc:
        raise NotWordPress(f"{url}: {exc}") from exc
    api = api_root(headers, page, url)
    if api is None:
        raise NotWordPress(f"{url}: no {API_REL} link")
    api = api if api.endswith("/") else api + "/"
    index = _json(fetch, api, "the API's index")
    if not isinstance(index, dict) or "wp/v2" not in (index.get("namespaces") or []):
        raise NotWordPress(f"{api}: the wp/v2 API is not offered")
    types = _json(fetch, urljoin(api, "wp/v2/types"), "the API's post types")
    routes = {str(t["rest_base"]): slug for slug, t in (types.items() if isinstance(types, dict) else ())
              if slug not in _INTERNAL_TYPES and isinstance(t, dict) and t.get("rest_base")} \
        or {"posts": "post", "pages": "page"}
    return Site(api=api, home=str(index.get("home") or index.get("url") or url).rstrip("/"),
                name=html.unescape(str(index.get("name") or "")), language=page_language(page),
                gmt_offset=float(index.get("gmt_offset") or 0), routes=routes,
                categories=category_tree(fetch, api))


def _json(fetch: Fetch, url: str, what: str) -> Any:
    try:
        _headers, body = fetch(url, JSON_TYPES)
        return json.loads(body)
    except FetchError as exc:
        raise NotWordPress(f"{what}: {exc}") from exc
    except ValueError as exc:
        raise NotWordPress(f"{what}: not JSON ({url})") from exc


def published(fetch: Fetch, site: Site, *, modified_after: datetime | None = None,
              light: bool = False) -> Iterator[Listed]:
    """Every published post and page (of every reading type), or those modified after a time;
    oldest id first, a hundred a request. ``light``: ids and links only."""
    for route in site.routes:
        query: dict[str, Any] = {"per_page": PER_PAGE, "orderby": "id", "order": "asc",
                                 "_fields": _LIGHT_FIELDS if light else _LIST_FIELDS}
        if modified_after is not None:
            query["modified_after"] = site.local_time(modified_after - _SLACK)
        page, pages = 1, 1
        while page <= pages:
            url = f"{site.collection(route)}?{urlencode({**query, 'page': page})}"
            headers, body = fetch(url, JSON_TYPES)
            pages = int(headers.get("x-wp-totalpages") or 1)
            for item in json.loads(body):
                yield Listed(int(item["id"]), str(item["link"]), route, _gmt(item.get("modified_gmt")))
            page += 1


def items(fetch: Fetch, collection: str, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Posts of one collection by id, with their authors, terms and featured image embedded,
    a hundred a request (the API's largest page). An id missing from the answer is no longer
    published."""
    found: dict[int, dict[str, Any]] = {}
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), PER_PAGE):
        chunk = ordered[start:start + PER_PAGE]
        query = urlencode({"include": ",".join(map(str, chunk)), "per_page": PER_PAGE,
                           "_embed": "author,wp:term,wp:featuredmedia"})
        _headers, body = fetch(f"{collection}?{query}", JSON_TYPES)
        found.update((int(item["id"]), item) for item in json.loads(body))
    return found


def category_tree(fetch: Fetch, api: str) -> tuple[tuple[int, str, int], ...]:
    """Every category (id, name, parent id), a hundred a request; none when the site does not
    answer it (the batches then ask for their posts' categories, see :func:`categories`)."""
    found: list[tuple[int, str, int]] = []
    page, pages = 1, 1
    try:
        while page <= pages:
            query = urlencode({"per_page": PER_PAGE, "page": page, "orderby": "id",
                               "_fields": "id,name,parent"})
            headers, body = fetch(urljoin(api, f"wp/v2/categories?{query}"), JSON_TYPES)
            pages = int(headers.get("x-wp-totalpages") or 1)
            found.extend((int(t["id"]), html.unescape(str(t["name"])), int(t.get("parent") or 0))
                         for t in json.loads(body))
            page += 1
    except (FetchError, ValueError, KeyError, TypeError):
        return ()
    return tuple(found)


def missing_categories(item_ids: set[int], known: Mapping[int, Term]) -> set[int]:
    """The categories of ``item_ids`` and their ancestors that ``known`` lacks."""
    missing: set[int] = set()
    for term_id in item_ids:
        seen: set[int] = set()
        while term_id and term_id not in seen:
            seen.add(term_id)
            if term_id not in known:
                missing.add(term_id)
                break
            term_id = known[term_id].parent
    return missing


def categories(fetch: Fetch, site: Site, ids: set[int]) -> dict[int, Term]:
    """The categories ``ids`` and all their ancestors (``/wp/v2/categories``, ``parent``):
    a request per level at most, each for the parents not yet known."""
    known: dict[int, Term] = {}
    wanted = set(ids)
    while wanted:
        ordered = sorted(wanted)
        for start in range(0, len(ordered), PER_PAGE):
            query = urlencode({"include": ",".join(map(str, ordered[start:start + PER_PAGE])),
                               "per_page": PER_PAGE, "_fields": "id,name,parent"})
            _headers, body = fetch(f"{site.collection('categories')}?{query}", JSON_TYPES)
            for term in json.loads(body):
                known[int(term["id"])] = Term(html.unescape(str(term["name"])), int(term.get("parent") or 0))
        # An id the API did not answer (deleted meanwhile) ends its chain where it is.
        wanted = {t.parent for t in known.values() if t.parent and t.parent not in known} - wanted
    return known


def category_ids(item: Mapping[str, Any]) -> set[int]:
    return {int(i) for i in item.get("categories") or [] if isinstance(i, int)}


def category_chains(item: Mapping[str, Any], terms: Mapping[int, Term]) -> list[list[str]]:
    """Each of the post's categories as names from the root down."""
    chains = []
    for term_id in sorted(category_ids(item)):
        chain: list[str] = []
        seen: set[int] = set()
        while term_id in terms and term_id not in seen:  # a loop in the data ends the walk
            seen.add(term_id)
            chain.insert(0, terms[term_id].name)
            term_id = terms[term_id].parent
        if chain:
            chains.append(chain)
    return chains


def _gmt(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)
    except ValueError:
        return None


# The document a post becomes ---------------------------------------------------------------

def protected(item: Mapping[str, Any]) -> bool:
    return bool((item.get("content") or {}).get("protected"))


def document(item: Mapping[str, Any], site: Site, route: str) -> bytes:
    """The post as an HTML page the cleaner reads like any other: its content, its title, its
    facts as JSON-LD (names as WordPress stores them, dates in UTC) and as the body classes
    WordPress prints (type, format)."""
    post_type = site.routes.get(route, route.rstrip("s"))
    fmt = str(item.get("format") or "standard")
    title = _text(item.get("title"))
    terms = _terms(item)
    language = item.get("lang") or site.language
    facts = {
        "@context": "https://schema.org", "@type": "Article", "headline": title,
        "url": item.get("link"), "datePublished": _utc(item.get("date_gmt")),
        "dateModified": _utc(item.get("modified_gmt")), "author": [
            {"@type": "Person", "name": name} for name in _authors(item)],
        "articleSection": terms.get("category", []), "keywords": terms.get("post_tag", []),
        "inLanguage": language, "image": _featured(item),
    }
    body_classes = f"single single-{post_type} postid-{item['id']}" if post_type != "page" else \
        f"page page-id-{item['id']}"
    if post_type == "post":
        body_classes += f" single-format-{fmt}"
    rtl = ' dir="rtl"' if (language or "").split("-")[0].lower() in _RTL else ""
    page = (
        f'<!DOCTYPE html>\n<html lang="{_attr(language or "")}"{rtl}>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'<link rel="canonical" href="{_attr(str(item.get("link") or ""))}">\n'
        f'<meta property="og:site_name" content="{_attr(site.name)}">\n'
        f'<script type="application/ld+json">{_json_in_html(facts)}</script>\n'
        f'</head>\n<body class="{body_classes}">\n'
        f'<article class="post-{item["id"]} type-{post_type} format-{fmt}">\n'
        f'<h1 class="entry-title">{html.escape(title)}</h1>\n'
        f'<div class="entry-content">\n{(item.get("content") or {}).get("rendered") or ""}\n</div>\n'
        "</article>\n</body>\n</html>\n")
    return page.encode("utf-8")


# Languages written right to left (for the synthesized page's dir, as WordPress prints it).
_RTL = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "ug", "sd", "yi", "dv"})


def _text(value: Any) -> str:
    """A rendered field (title.rendered), as text: tags dropped, entities read."""
    rendered = value.get("rendered") if isinstance(value, dict) else value
    return html.unescape(re.sub(r"<[^>]+>", "", str(rendered or ""))).strip()


def _terms(item: Mapping[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for group in (item.get("_embedded") or {}).get("wp:term") or []:
        for term in group if isinstance(group, list) else []:
            if isinstance(term, dict) and term.get("name"):
                found.setdefault(str(term.get("taxonomy")), []).append(html.unescape(str(term["name"])))
    return found


def _authors(item: Mapping[str, Any]) -> list[str]:
    return [html.unescape(str(a["name"])) for a in (item.get("_embedded") or {}).get("author") or []
            if isinstance(a, dict) and a.get("name")]


def _featured(item: Mapping[str, Any]) -> str | None:
    media = (item.get("_embedded") or {}).get("wp:featuredmedia") or []
    first = media[0] if media and isinstance(media[0], dict) else {}
    return str(first["source_url"]) if first.get("source_url") else None


def _utc(value: Any) -> str | None:
    moment = _gmt(value)
    return moment.isoformat() if moment else None


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _json_in_html(value: Any) -> str:
    # "</" cannot end the script element early.
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def same_site(url: str, site: Site) -> bool:
    home = urlsplit(site.home)
    parts = urlsplit(url)
    return parts.netloc.lower() == home.netloc.lower() and parts.path.startswith(home.path or "/")
