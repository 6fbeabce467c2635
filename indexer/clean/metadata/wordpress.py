"""WordPress's own markup: what core prints on every theme, classic or block.

Themes differ in layout and class names, but the markup of a post's facts comes from core's
template tags (classic themes) and core's blocks (block themes, the default since 5.9), and
those are the same on every site. Read by principle, not by one theme's classes:

- **term links**: every term link core prints has ``rel="tag"`` (``get_the_term_list``, the
  post-terms block); the classic category list says ``rel="category tag"``. Which taxonomy a
  link is from, most explicit first: ``rel="category"``; the post-terms block's wrapper class
  ``taxonomy-<name>``; the link's path (``/category/...``, ``/tag/...``, WordPress's default
  bases); the post's own classes (``post_class``: ``category-<slug>``, ``tag-<slug>``)
  naming the link's slug in one taxonomy only; else a tag. Only ``category`` and ``post_tag`` are facets.
- **category hierarchy**: a child category's permalink holds its ancestors' slugs
  (``/category/world/europe/``); their names come from links to their archives on the page,
  else from the slugs.
- **dates**: ``<time datetime>``: classed ``entry-date``/``published`` and ``updated``
  (classic), or inside the post-date block (``wp-block-post-date``, its
  ``__modified-date`` variant a modified date); else the first one of the post's own.
- **authors**: ``rel="author"`` links (``the_author_posts_link``), links in an author
  ``vcard``, the post-author blocks' names (``wp-block-post-author__name``,
  ``wp-block-post-author-name``).
- **what is the post's own**: body classes name the post (``postid-N``, ``page-id-N``), as
  does the REST API's link in the head (``/wp-json/wp/v2/posts/N``), and ``post_class`` marks
  its element (``post-N``); term links inside that element win over any outside it. An
  element of another post (``post-M``), a reader's comment (``comment_class``, the comment
  blocks), a widget (``widget_*``), a menu or the site's term lists say nothing about it.
- **kind and type**: body classes (``single``, ``page``: an article; ``home``, ``archive``,
  ``search``, ...: a listing), the post format (``single-format-video``), the post type
  (``type-post``, the REST route's ``posts``/``pages``); a password-protected post
  (``post-password-required``, or core's password form posting to ``action=postpass``) is
  ``protected``, never searchable.

Each rule is checked on Debian's Twenty Twenty-Three and Twenty Twenty-Two (block) and
Twenty Twenty-One (classic), rendered by a real WordPress (tests/indexer/clean/test_wordpress_themes.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote

from lxml import etree
from lxml.html import HtmlElement

from indexer.clean import urls
from indexer.clean.dates import to_iso
from indexer.clean.metadata.model import Facts, unique
from indexer.clean.metadata.texturize import untexturize
from indexer.clean.tree import text_of

# Markup read from three tags: one C-level tag-filtered walk visits every element once,
# where an XPath per field walked the whole tree six or seven times (measured: half the time).
_MARKED_TAGS = ("a", "time", "h1")
_ENTRY_TIME_CLASSES = ("entry-date", "published")
_ENTRY_TITLE_CLASSES = ("entry-title", "post-title")
# Class-marked elements: the post's own element (type-*) and author cards (vcard), on most
# WordPress pages; the author blocks and dates written as text (Twenty Ten's span.entry-date,
# hAtom's abbr.published) are looked for only when their class is in the source and nothing
# else gave the fact (each condition of one query costs on every element of every page).
_CLASS_MARKERS = ("type-", "vcard")
_CLASSED = etree.XPath("//*[contains(@class, 'type-') or contains(@class, 'vcard')]")
_AUTHOR_BLOCK = "wp-block-post-author"
_AUTHOR_BLOCKS = etree.XPath(f"//*[contains(@class, '{_AUTHOR_BLOCK}')]")
_TEXT_DATE_MARKERS = ("entry-date", "published")
_TEXT_DATES = etree.XPath("//*[contains(@class, 'entry-date') or contains(@class, 'published')]"
                         "[not(self::time)]")
# the_author_posts_link's rel, and get_the_author_link's (to the author's own site).
_AUTHOR_RELS = ({"author"}, {"author", "external"})
# The post-author block's name (6.1) and the post-author-name block (6.2 on).
_AUTHOR_BLOCK_CLASSES = frozenset({"wp-block-post-author__name", "wp-block-post-author-name"})
# The post-date block; its modified-date variant (6.2 on) adds the second class.
_DATE_BLOCK = "wp-block-post-date"
_MODIFIED_DATE_BLOCK = "wp-block-post-date__modified-date"
# Body classes WordPress prints on archive-type views: mostly links, not one article.
_LISTING_CLASSES = frozenset({"home", "blog", "archive", "category", "tag", "search",
                              "search-results", "date", "author", "paged", "tax"})
# Taxonomies that are facets, by the name WordPress gives them.
TAXONOMY_FACETS = {"category": "categories", "post_tag": "tags"}
# WordPress's default permalink bases of the two taxonomies (/category/news/, /tag/ferries/).
_TAXONOMY_BASES = {"category": "category", "tag": "post_tag"}
_CATEGORY_BASE = "category"
# post_class's slug classes: category-<slug>, tag-<slug>.
_SLUG_CLASS = re.compile(r"^(category|tag)-(.+)$")
_TAXONOMY_CLASS = "taxonomy-"
# Body classes naming the post: single posts of any type, pages, attachments.
_BODY_POST_ID = re.compile(r"^(?:postid|page-id|attachmentid)-(\d+)$")
# The REST API's link to the post, printed in every theme's head by rest_output_link_header's
# sibling rest_output_link_wp_head: /wp-json/wp/v2/<route>/<id> (or ?rest_route=/wp/v2/...).
_REST_LINK = re.compile(r"/wp/v2/([a-z0-9_-]+)/(\d+)/?$")
_REST_TYPES = {"posts": "post", "pages": "page", "media": "attachment"}
# What says nothing about this post, by the classes core gives it: readers' comments
# (comment_class, the comment blocks), widgets, navigation menus (wp_nav_menu, the navigation
# block), the site's category and page lists (wp_list_categories, wp_list_pages), the tag
# cloud. Not by the ids themes give their comment sections (#comments): some put the post's
# tags in there.
_FOREIGN_CLASSES = frozenset({"comment", "pingback", "trackback", "menu-item", "cat-item", "page_item",
                              "tag-cloud-link"})
# A widget by its own class, widget_<type> (widget_text, widget_tag_cloud, widget_block, ...):
# the bare "widget" is too common a word (Blogger wraps its posts in one).
_FOREIGN_CLASS_PREFIXES = ("wp-block-comment", "wp-block-navigation", "widget_")
_POST_CLASS = re.compile(r"^post-(\d+)$")
# The feed links' title: "<site> » Feed".
_FEED_SEPARATOR = " \u00bb "
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml"})
# Where core's password form posts to.
_POSTPASS = "action=postpass"
# In any page WordPress made: its files' paths, its REST API's link relation.
_WORDPRESS_MARKERS = ("/wp-content/", "/wp-includes/", "api.w.org")
# Marks menus put before a nested item's name ("> Portfolio Management").
_DECORATION = " >»›-–—|•·:"


@dataclass
class _Marked:
    """What the walk over links, times and headings found, in document order."""

    term_links: list[HtmlElement] = field(default_factory=list)
    author_links: list[HtmlElement] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    first_time: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class _Scope:
    """Tells the post's own elements from those of comments, widgets and other posts."""

    post_id: str | None

    def foreign(self, element: HtmlElement) -> bool:
        """Inside a comment, widget, menu, list or another post; the walk up stops at the
        post's own element (whatever a theme calls its containers above it)."""
        for node in (element, *element.iterancestors()):
            classes = node.get("class")
            if not classes:
                continue
            for token in classes.split():
                if token in _FOREIGN_CLASSES or token.startswith(_FOREIGN_CLASS_PREFIXES):
                    return True
                post = _POST_CLASS.match(token)
                if post and self.post_id is not None:
                    return post.group(1) != self.post_id
        return False


def extract(root: HtmlElement, markup: str | None = None) -> Facts:
    """``markup``, the page's source, lets the class query be skipped where no class could
    match: that query costs more than all the rest here, and most non-WordPress pages have
    neither marker (one substring scan each is cheap next to it)."""
    classed = _CLASSED(root) if markup is None or any(m in markup for m in _CLASS_MARKERS) else []
    body_classes = _classes(root.find("body"))
    head = root.find("head")
    rest_type, rest_id = _rest_link(head)
    scope = _Scope(_body_post_id(body_classes) or rest_id)
    post = _post(classed, scope.post_id)
    post_classes = _classes(post)
    marked = _walk(root, _vcard_links(classed), scope)
    links = _own_first(marked.term_links, post)
    authors = [text_of(a) for a in marked.author_links] or _author_blocks(root, markup, scope)
    # Only names need the (whole-source) check that WordPress made the page.
    typed = untexturize if (links or authors) and _wordpress(markup) else _as_shown
    categories, tags, category_links = _term_links(links, post_classes, typed)
    site_name = _feed_site_name(head)
    facts = Facts(
        title=marked.title,
        categories=categories,
        category_paths=_category_chains(root, category_links, typed),
        tags=tags,
        authors=unique([typed(name) for name in authors]),
        published=marked.published,
        modified=marked.modified,
        kind="protected" if _password_form(root, markup, post_classes) else _kind(body_classes),
        site_name=site_name if site_name and _wordpress(markup) else None,
    )
    if facts.kind == "article":
        facts.published = facts.published or marked.first_time or _text_date(root, markup, scope)
    # On an archive the post classes belong to the listed posts, not to the page.
    if facts.kind != "listing":
        facts.type = _post_type(post_classes or body_classes, rest_type)
    if not facts.categories or not facts.tags:
        _from_slug_classes(root, post_classes or body_classes, facts)
    return facts


def _wordpress(markup: str | None) -> bool:
    """WordPress's own paths or API in the page: its names were texturized."""
    return markup is None or any(marker in markup for marker in _WORDPRESS_MARKERS)


def _as_shown(name: str) -> str:
    return name


def _body_post_id(body_classes: list[str]) -> str | None:
    for token in body_classes:
        found = _BODY_POST_ID.match(token)
        if found:
            return found.group(1)
    return None


def _rest_link(head: HtmlElement | None) -> tuple[str | None, str | None]:
    """(route, id) of ``<link rel="alternate" type="application/json" href=".../wp/v2/posts/4">``."""
    for link in head.iter("link") if head is not None else ():
        if (link.get("type") or "").lower() != "application/json":
            continue
        found = _REST_LINK.search(unquote(link.get("href") or ""))
        if found and "alternate" in (link.get("rel") or "").lower().split():
            return found.group(1), found.group(2)
    return None, None


def _feed_site_name(head: HtmlElement | None) -> str | None:
    """The site's name from its feeds' links (feed_links, feed_links_extra): "Site » Feed",
    "Site » Post title Comments Feed" (the separator is core's, in every language)."""
    for link in head.iter("link") if head is not None else ():
        title = link.get("title") or ""
        if _FEED_SEPARATOR in title and (link.get("type") or "").lower() in _FEED_TYPES:
            return title.split(_FEED_SEPARATOR, 1)[0].strip() or None
    return None


def _vcard_links(classed: list[HtmlElement]) -> set[HtmlElement]:
    return {a for e in classed if "vcard" in (e.get("class") or "")
            for a in e.iterdescendants("a")}


def _walk(root: HtmlElement, vcard_links: set[HtmlElement], scope: _Scope) -> _Marked:
    marked = _Marked()
    for element in root.iter(*_MARKED_TAGS):
        if element.tag == "a":
            _link(element, vcard_links, marked, scope)
        elif element.tag == "h1":
            classes = element.get("class") or ""
            if marked.title is None and any(c in classes for c in _ENTRY_TITLE_CLASSES):
                marked.title = text_of(element) or None
        elif element.get("datetime") and not scope.foreign(element):
            _time(element, marked)
    return marked


def _time(element: HtmlElement, marked: _Marked) -> None:
    when = str(element.get("datetime")).strip()
    classes = element.get("class") or ""
    parent = element.getparent()
    block = (parent.get("class") or "") if parent is not None else ""
    marked.first_time = marked.first_time or when
    if _MODIFIED_DATE_BLOCK in block:
        marked.modified = marked.modified or when
    elif any(c in classes for c in _ENTRY_TIME_CLASSES) or _DATE_BLOCK in block.split():
        marked.published = marked.published or when
    if "updated" in classes:
        marked.modified = marked.modified or when


def _link(link: HtmlElement, vcard_links: set[HtmlElement], marked: _Marked, scope: _Scope) -> None:
    rel = link.get("rel")
    if not rel and not vcard_links:  # most links of most pages: nothing to read
        return
    tokens = set(rel.lower().split()) if rel else set()
    if "tag" in tokens:
        if not scope.foreign(link):
            marked.term_links.append(link)
    elif (tokens in _AUTHOR_RELS or (link in vcard_links and _is_author_link(link))) \
            and not scope.foreign(link):
        marked.author_links.append(link)


def _post(classed: list[HtmlElement], post_id: str | None) -> HtmlElement | None:
    """The post's own element (``post_class``): ``post-<id>`` when the page names its post,
    else the first ``hentry`` or ``id="post-N"`` with a ``type-*`` class."""
    for element in classed:
        classes = element.get("class") or ""
        if "type-" not in classes:
            continue
        if post_id is not None:
            if f"post-{post_id}" in classes.split():
                return element
        elif "hentry" in classes.split() or (element.get("id") or "").startswith("post-"):
            return element
    return None


def _own_first(links: list[HtmlElement], post: HtmlElement | None) -> list[HtmlElement]:
    """The links inside the post's own element when it has any (a theme may repeat the terms
    in a breadcrumb, or list other terms in its footer), else all."""
    if post is None:
        return links
    inside = [link for link in links if post in link.iterancestors()]
    return inside or links


def _term_links(links: list[HtmlElement], post_classes: list[str], typed: Callable[[str], str]
                ) -> tuple[list[str], list[str], list[HtmlElement]]:
    """Names of the post's category and tag links (see the module's docstring), and the
    category links themselves."""
    slugs = {(m.group(1), m.group(2).lower()) for m in map(_SLUG_CLASS.match, post_classes) if m}
    found: dict[str, list[HtmlElement]] = {"category": [], "post_tag": []}
    for link in links:
        taxonomy = _taxonomy(link, slugs)
        if taxonomy in found:
            found[taxonomy].append(link)
    names = {taxonomy: unique([typed(text_of(link)) for link in found[taxonomy]]) for taxonomy in found}
    return names["category"], names["post_tag"], found["category"]


def _category_chains(root: HtmlElement, links: list[HtmlElement],
                     typed: Callable[[str], str]) -> list[tuple[str, ...]]:
    """Each category link's ancestors, from its address: WordPress's permalink of a child
    category holds its ancestors' slugs (``/category/world/europe/``, under the default base).
    An ancestor's name is the text of a link to its own archive anywhere on the page (a
    category list, a menu, the post's other categories), else its slug made readable."""
    slug_paths = [(link, _category_slugs(link)) for link in links]
    if not any(len(slugs) > 1 for _link, slugs in slug_paths):
        return []
    names = {slug: typed(name) for (base, slug), name in _taxonomy_link_names(root).items()
             if base == "category"}
    chains = []
    for link, slugs in slug_paths:
        ancestors = [names.get(slug) or slug_name(slug) for slug in slugs[:-1]]
        chains.append((*ancestors, typed(text_of(link))))
    return chains


def _category_slugs(link: HtmlElement) -> list[str]:
    """The slugs after the default category base in a link's path, ancestors first."""
    parts = [unquote(p) for p in urls.path(link.get("href")).strip("/").split("/") if p]
    base = parts.index(_CATEGORY_BASE) if _CATEGORY_BASE in parts[:-1] else None
    return parts[base + 1:] if base is not None else parts[-1:]


def slug_name(slug: str) -> str:
    """A name from a slug alone (``human-rights``: Human Rights), when no link names it."""
    return slug.replace("-", " ").title()


def _taxonomy(link: HtmlElement, slugs: set[tuple[str, str]]) -> str:
    if "category" in (link.get("rel") or "").lower().split():
        return "category"
    wrapper = _taxonomy_wrapper(link)
    if wrapper is not None:
        return wrapper
    path = [unquote(p) for p in urls.path(link.get("href")).strip("/").split("/") if p]
    for base, taxonomy in _TAXONOMY_BASES.items():
        if base in path[:-1]:
            return taxonomy
    slug = path[-1].lower() if path else ""
    named = [taxonomy for prefix, taxonomy in _TAXONOMY_BASES.items() if (prefix, slug) in slugs]
    # A slug both a category and a tag have says nothing.
    return named[0] if len(named) == 1 else "post_tag"


def _taxonomy_wrapper(link: HtmlElement) -> str | None:
    """``taxonomy-<name>`` on the post-terms block around the link (its parent, or near)."""
    for node in _ancestors(link, 3):
        for token in (node.get("class") or "").split():
            if token.startswith(_TAXONOMY_CLASS):
                return token[len(_TAXONOMY_CLASS):]
    return None


def _ancestors(element: HtmlElement, levels: int) -> Iterable[HtmlElement]:
    node = element.getparent()
    while node is not None and levels > 0:
        yield node
        node = node.getparent()
        levels -= 1


def _text_date(root: HtmlElement, markup: str | None, scope: _Scope) -> str | None:
    """A date without a datetime attribute: an ``entry-date``/``published`` element's title
    (hAtom's abbr) or text, when it reads as a date."""
    if markup is not None and not any(m in markup for m in _TEXT_DATE_MARKERS):
        return None
    for element in _TEXT_DATES(root):
        if not set(_TEXT_DATE_MARKERS) & set(_classes(element)):
            continue
        for value in (element.get("title"), text_of(element)):
            if value and to_iso(value) and not scope.foreign(element):
                return value
    return None


def _author_blocks(root: HtmlElement, markup: str | None, scope: _Scope) -> list[str]:
    if markup is not None and _AUTHOR_BLOCK not in markup:
        return []
    return [text_of(e) for e in _AUTHOR_BLOCKS(root)
            if _AUTHOR_BLOCK_CLASSES & set(_classes(e)) and not scope.foreign(e)]


def _is_author_link(link: HtmlElement) -> bool:
    return any("author" in _classes(a) for a in link.iterancestors())


def _classes(element: HtmlElement | None) -> list[str]:
    if element is None:
        return []
    return (element.get("class") or "").split()


def _post_type(classes: list[str], rest_type: str | None) -> str | None:
    fmt = next((c.split("format-", 1)[1] for c in classes
                if c.startswith(("format-", "single-format-"))), None)
    if fmt and fmt != "standard":
        return fmt
    post_type = next((c[len("type-"):] for c in classes if c.startswith("type-")), None)
    if post_type:
        return post_type
    if rest_type:
        # A custom type's route is its REST base ("events"); body_class names the type itself.
        return _REST_TYPES.get(rest_type) or _single_type(classes) or rest_type
    if "page" in classes or "page-template-default" in classes:
        return "page"
    return "post" if "single-post" in classes or "single" in classes else None


def _single_type(classes: list[str]) -> str | None:
    """body_class's single-<post type> (not single-format-*, nor Twenty Eleven's single-author)."""
    return next((c[len("single-"):] for c in classes if c.startswith("single-")
                 and not c.startswith("single-format-") and c != "single-author"), None)


def _password_form(root: HtmlElement, markup: str | None, post_classes: list[str]) -> bool:
    """A password-protected post: post_class says so, or core's password form stands in for
    its content (get_the_password_form posts to wp-login.php?action=postpass)."""
    if "post-password-required" in post_classes:
        return True
    if markup is not None and _POSTPASS not in markup:
        return False
    return any(_POSTPASS in (form.get("action") or "") for form in root.iter("form"))


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
        found[taxonomy].append(names.get((taxonomy, unquote(slug)), slug_name(unquote(slug))))
    facts.categories = facts.categories or unique(found["category"])
    facts.tags = facts.tags or unique(found["tag"])


def _taxonomy_link_names(root: HtmlElement) -> dict[tuple[str, str], str]:
    """(taxonomy, slug) -> link text, from links such as ``/category/human-rights/``."""
    names: dict[tuple[str, str], str] = {}
    for link in root.iter("a"):
        if not any(f"/{p}/" in (link.get("href") or "") for p in _TAXONOMY_BASES):
            continue
        parts = unquote(urls.path(link.get("href"))).rstrip("/").split("/")
        base = next((p for p in parts[:-1] if p in _TAXONOMY_BASES), None)
        name = text_of(link).strip(_DECORATION)
        if base is not None and name:
            names.setdefault((base, parts[-1]), name)
    return names
