"""Render a :class:`~samples.plan.SitePlan` to the bytes of every file of the static site.

Pure: returns ``{relative path: bytes}``; :mod:`samples.site` writes them. Pages look like a
WordPress theme's output (post classes, ``rel="category tag"``, ``time.entry-date``, OpenGraph,
some JSON-LD) wrapped in the boilerplate the seed page shows: a search widget listing every
category, a category sidebar, "Recent Posts", share bars and comments.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any
from xml.etree import ElementTree

import jdatetime
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from samples import prose as source
from samples import taxonomy as tx
from samples.plan import Article, SitePlan
from samples.taxonomy import Term

PER_PAGE = 10
RECENT = 5
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
# windows-1256 has no Persian yeh or Persian digits: old Persian sites used the Arabic forms.
_CP1256_FOLD = str.maketrans({"ی": "ي", **{chr(0x06F0 + d): str(d) for d in range(10)}})


@dataclass(frozen=True)
class RenderedSite:
    files: dict[str, bytes]
    charsets: dict[str, str]  # relative path -> charset, for pages not in UTF-8


def environment() -> Environment:
    return Environment(loader=PackageLoader("samples", "templates"),
                       autoescape=select_autoescape(["html", "xml"]), keep_trailing_newline=True)


def render_site(plan: SitePlan, base_url: str, seed: int = 1) -> RenderedSite:
    renderer = _Renderer(plan, base_url.rstrip("/"), environment())
    files: dict[str, bytes] = {}
    charsets: dict[str, str] = {}
    for article in (*plan.articles, *plan.pages):
        files[_file(article.path)] = encode(renderer.article(article), article.encoding)
        if article.encoding != "utf-8":
            charsets[_file(article.path)] = article.encoding
    for duplicate in plan.duplicates:
        files[_file(duplicate.path)] = renderer.article(duplicate.original, path=duplicate.path,
                                                        amp=duplicate.amp).encode()
    for path, html in renderer.listings():
        files[_file(path)] = html.encode()
    files.update(_broken(plan, renderer, random.Random(seed)))
    files.update(_covers())
    files["wp-content/themes/assembly/style.css"] = STYLE.encode()
    files["robots.txt"] = robots(base_url).encode()
    files["sitemap.xml"] = sitemap(plan, base_url)
    return RenderedSite(files, charsets)


def encode(html: str, charset: str) -> bytes:
    if charset == "utf-8":
        return html.encode("utf-8")
    return html.translate(_CP1256_FOLD).encode("cp1256", errors="xmlcharrefreplace")


def _file(path: str) -> str:
    """The file serving a URL path: ``/a/b/`` is ``a/b/index.html``, ``/`` is ``index.html``."""
    if not path.endswith("/"):
        return path.lstrip("/")
    directory = path.strip("/")
    return f"{directory}/index.html" if directory else "index.html"


def display_date(moment: datetime, language: str) -> str:
    if language != "fa":
        return f"{moment:%B} {moment.day}, {moment.year}"
    jalali = jdatetime.date.fromgregorian(date=moment.date())
    text = f"{jalali.day} {tx.PERSIAN_MONTHS[jalali.month - 1]} {jalali.year}"
    return text.translate(_PERSIAN_DIGITS)


def excerpt(article: Article, words: int = 40) -> str:
    return " ".join(" ".join(article.paragraphs).split()[:words])


class _Renderer:
    def __init__(self, plan: SitePlan, base_url: str, env: Environment) -> None:
        self.plan = plan
        self.base_url = base_url
        self.env = env

    @cached_property
    def _posts(self) -> dict[str, list[Article]]:
        return {language: self.plan.posts(language) for language in ("en", "fa")}

    @cached_property
    def _chrome(self) -> dict[str, dict[str, Any]]:
        return {language: self._language_chrome(language) for language in ("en", "fa")}

    def _language_chrome(self, language: str) -> dict[str, Any]:
        posts = self._posts[language]
        counts = Counter(c for a in posts for c in a.categories)
        terms = tx.CATEGORIES_FA if language == "fa" else tx.CATEGORIES_EN
        return {
            "lang": language, "ui": tx.UI[language], "site_name": tx.SITE_NAME[language],
            "tagline": tx.TAGLINE[language], "menu": tx.MENU[language],
            "prefix": "/fa" if language == "fa" else "", "home": "/fa/" if language == "fa" else "/",
            "recent": list(reversed(posts[-RECENT:])),
            "category_counts": [(t, counts[t]) for t in terms if counts[t]],
            "years": sorted({a.published.year for a in posts}, reverse=True),
            "base_url": self.base_url, "credit_text": source.CREDIT_TEXT, "credit_url": source.CREDIT_URL,
            "licence_url": source.LICENCE_URL,
        }

    def article(self, a: Article, path: str | None = None, amp: bool = False) -> str:
        republished = path is not None and not amp
        own_url = self.base_url + (path or a.path)
        posts = self._posts[a.language]
        index = posts.index(a) if a.type != "page" else -1
        note = tx.UI[a.language]["republished"].format(date=display_date(a.published, a.language))
        return self.env.get_template("single.html").render(
            **self._chrome[a.language], a=a, head_title=a.title, charset=a.encoding,
            canonical=self.base_url + a.path if amp else own_url, noindex=a.noindex,
            description=excerpt(a, 30), post_class=_post_class(a), body_class=_body_class(a, amp),
            dates={"published": display_date(a.published, a.language),
                   "modified": display_date(a.modified, a.language) if a.modified else ""},
            jsonld=_jsonld(a, own_url, self.base_url) if a.jsonld and not amp else None,
            note=note if republished else None,
            previous=posts[index - 1] if index > 0 else None,
            next=posts[index + 1] if 0 <= index < len(posts) - 1 else None)

    def listings(self) -> Iterator[tuple[str, str]]:
        for language, posts in self._posts.items():
            prefix = "/fa" if language == "fa" else ""
            yield from self._paginate(language, posts, f"{prefix}/", "", "home blog")
            archives = {"category": _group(posts, lambda a: a.categories),
                        "tag": _group(posts, lambda a: a.tags),
                        "author": _group(posts, lambda a: (a.author,))}
            for kind, groups in archives.items():
                for term, members in groups.items():
                    yield from self._paginate(language, members, f"{prefix}/{kind}/{term.slug}/", term.name,
                                              f"archive {kind} {kind}-{term.slug}")
            for year in self._chrome[language]["years"]:
                members = [a for a in posts if a.published.year == year]
                yield from self._paginate(language, members, f"{prefix}/{year}/", str(year), "archive date")

    def _paginate(self, language: str, posts: Sequence[Article], base: str, heading: str,
                  body_class: str) -> Iterator[tuple[str, str]]:
        newest_first = list(reversed(posts))
        pages = max(1, -(-len(newest_first) // PER_PAGE))
        site = tx.SITE_NAME[language]

        def page_url(n: int) -> str:
            return base if n == 1 else f"{base}page/{n}/"

        for n in range(1, pages + 1):
            entries = [(a, excerpt(a), display_date(a.published, language))
                       for a in newest_first[(n - 1) * PER_PAGE:n * PER_PAGE]]
            title = heading or site
            if n > 1:
                title = f"{title} – {tx.UI[language]['page']} {n}"
            yield page_url(n), self.env.get_template("listing.html").render(
                **self._chrome[language], head_title=title,
                heading=heading, charset="utf-8", canonical=self.base_url + page_url(n), noindex=False,
                body_class=body_class + (f" paged paged-{n}" if n > 1 else ""), entries=entries,
                page=n, pages=pages, page_url=page_url)


def _group(posts: Sequence[Article], terms: Callable[[Article], Sequence[Term]]) -> dict[Term, list[Article]]:
    """Posts per term of one taxonomy, oldest first."""
    groups: dict[Term, list[Article]] = {}
    for article in posts:
        for term in terms(article):
            groups.setdefault(term, []).append(article)
    return groups


def _format(a: Article) -> str:
    return "video" if a.type == "video" else "standard"


def _post_class(a: Article) -> str:
    if a.type == "page":
        return f"post-{a.id} page type-page status-publish has-post-thumbnail hentry"
    terms = [f"category-{c.slug}" for c in a.categories] + [f"tag-{t.slug}" for t in a.tags]
    return " ".join([f"post-{a.id} post type-post status-publish format-{_format(a)}",
                     "has-post-thumbnail hentry", *terms])


def _body_class(a: Article, amp: bool) -> str:
    if a.type == "page":
        return f"page-template-default page page-id-{a.id}"
    classes = f"post-template-default single single-post postid-{a.id} single-format-{_format(a)}"
    return classes + (" amp-mode" if amp else "")


def _jsonld(a: Article, url: str, base_url: str) -> Markup:
    data = {
        "@context": "https://schema.org", "@type": "BlogPosting" if a.id % 2 else "Article",
        "headline": a.title, "description": excerpt(a, 30), "inLanguage": a.language,
        "datePublished": a.published.isoformat(),
        "dateModified": (a.modified or a.published).isoformat(),
        "author": {"@type": "Person", "name": a.author.name, "url": f"{base_url}/author/{a.author.slug}/"},
        "publisher": {"@type": "Organization", "name": tx.SITE_NAME[a.language]},
        "image": base_url + a.image, "mainEntityOfPage": url,
        "articleSection": [c.name for c in a.categories], "keywords": ", ".join(t.name for t in a.tags),
    }
    # "<" escaped so that no text can close the script element.
    return Markup(json.dumps(data, ensure_ascii=False).replace("<", "\\u003c"))  # noqa: S704


def robots(base_url: str) -> str:
    return (f"User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
            f"Sitemap: {base_url.rstrip('/')}/sitemap.xml\n")


def sitemap(plan: SitePlan, base_url: str) -> bytes:
    """Every article, page, duplicate and broken page, and the listings' first pages."""
    base = base_url.rstrip("/")
    urlset = ElementTree.Element("urlset", xmlns=SITEMAP_NS)
    newest = max(a.modified or a.published for a in plan.articles)
    entries: list[tuple[str, datetime]] = [("/", newest), ("/fa/", newest)]
    entries += [(a.path, a.modified or a.published) for a in (*plan.articles, *plan.pages)]
    entries += [(d.path, d.original.modified or d.original.published) for d in plan.duplicates]
    entries += [(path, newest) for path in plan.broken]
    for language, terms in (("en", tx.CATEGORIES_EN), ("fa", tx.CATEGORIES_FA)):
        prefix = "/fa" if language == "fa" else ""
        entries += [(f"{prefix}/category/{t.slug}/", newest) for t in terms]
    for path, lastmod in entries:
        url = ElementTree.SubElement(urlset, "url")
        ElementTree.SubElement(url, "loc").text = base + path
        ElementTree.SubElement(url, "lastmod").text = lastmod.isoformat()
    return ElementTree.tostring(urlset, encoding="utf-8", xml_declaration=True)


def _broken(plan: SitePlan, renderer: _Renderer, rng: random.Random) -> dict[str, bytes]:
    files = {}
    for path, kind in plan.broken.items():
        if kind == "truncated":
            html = renderer.article(plan.posts("en")[1], path=path)
            cut = html.index("<p>", html.index("entry-content")) + 120
            files[_file(path)] = html[:cut].encode()
        elif kind == "binary":
            files[_file(path)] = b"\x89PNG\r\n\x1a\n" + rng.randbytes(4096)
        else:
            files[_file(path)] = b""
    return files


def _covers() -> dict[str, bytes]:
    files = {}
    for n in range(12):
        hue = n * 30
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630">'
               f'<rect width="1200" height="630" fill="hsl({hue},45%,35%)"/>'
               f'<circle cx="{200 + n * 70}" cy="315" r="180" fill="hsl({hue},60%,55%)" opacity=".6"/>'
               f'<text x="60" y="580" font-family="sans-serif" font-size="48" fill="#fff">'
               f"{tx.SITE_NAME['en']}</text>"
               f"</svg>\n")
        files[f"wp-content/uploads/covers/cover-{n}.svg"] = svg.encode()
    return files


STYLE = """/* Open Assembly theme (sample site) */
body { margin: 0; font: 17px/1.6 Georgia, serif; color: #222; background: #f6f4ef; }
.rtl { font-family: Tahoma, sans-serif; }
.site-header { background: #7a1f1f; color: #fff; padding: 1em 2em; }
.site-header a { color: #fff; }
.site-title { font-size: 1.8em; margin: 0; }
.menu, .footer-navigation ul { list-style: none; padding: 0; display: flex; gap: 1.2em; flex-wrap: wrap; }
.is-ajax-search-settings { display: none; }
.site-content { display: flex; gap: 2em; max-width: 1100px; margin: 2em auto; padding: 0 1em; }
.content-area { flex: 3; } .widget-area { flex: 1; font-size: .9em; }
.post-thumbnail img { max-width: 100%; height: auto; }
.sd-content ul { list-style: none; display: flex; gap: .8em; padding: 0; }
.comment-list { list-style: none; padding: 0; }
.site-footer { background: #333; color: #ddd; padding: 1em 2em; } .site-footer a { color: #fff; }
"""
