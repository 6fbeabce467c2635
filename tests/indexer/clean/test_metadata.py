"""Metadata sources and their order of trust."""

from __future__ import annotations

import pytest

from indexer.clean import clean
from indexer.clean.titles import strip_site_name
from indexer.clean.urls import resolve

pytestmark = pytest.mark.unit

BODY = "<p>" + "An ordinary sentence of article text for the extractor to keep. " * 12 + "</p>"


def page(head: str, body: str = BODY, attrs: str = "") -> bytes:
    return (f"<html{attrs}><head>{head}</head><body><article>{body}</article></body></html>"
            ).encode()


def test_json_ld_graph_beats_opengraph():
    head = ('<meta property="og:title" content="OG title">'
            '<meta property="article:section" content="OG Section">'
            '<script type="application/ld+json">{"@graph": [{"@type": "BlogPosting", '
            '"headline": "LD title", "articleSection": "LD Section", '
            '"datePublished": "2020-05-01", "author": [{"@type": "Person", "name": "A. Writer"}]}'
            ']}</script>')
    result = clean(page(head))
    assert result.title == "LD title"
    assert result.categories == ["LD Section"]
    assert result.published == "2020-05-01"
    assert result.authors == ["A. Writer"]
    assert result.type == "post"


def test_broken_json_ld_is_skipped():
    head = ('<script type="application/ld+json">{"@type": "Article", </script>'
            '<meta property="og:title" content="From OpenGraph">')
    assert clean(page(head)).title == "From OpenGraph"


def test_opengraph_article_tags_and_type():
    head = ('<meta property="og:type" content="video.other">'
            '<meta property="article:tag" content="rivers">'
            '<meta property="article:tag" content="boats">')
    result = clean(page(head))
    assert result.tags == ["rivers", "boats"]
    assert result.type == "video"


def test_microdata():
    body = ('<div itemscope itemtype="https://schema.org/Article">'
            '<h1 itemprop="headline">Microdata headline</h1>'
            '<span itemprop="author" itemscope><span itemprop="name">M. Author</span></span>'
            '<meta itemprop="datePublished" content="2019-02-03">' + BODY + "</div>")
    result = clean(page("", body))
    assert result.title == "Microdata headline"
    assert result.authors == ["M. Author"]
    assert result.published == "2019-02-03"


def test_breadcrumbs_give_a_category():
    body = ('<nav class="breadcrumbs"><a href="/">Home</a> › <a href="/news/">News</a> › '
            '<a href="/news/science/">Science</a> › This page</nav>' + BODY)
    cleaned = clean(page("", body))
    # A trail read from markup names the category, not its ancestors (such trails hold menus).
    assert (cleaned.categories, cleaned.category_paths) == (["Science"], ["Science"])


def test_a_breadcrumb_list_gives_the_categorys_path():
    trail = ('{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": ['
             '{"@type": "ListItem", "position": 1, "name": "Home"},'
             '{"@type": "ListItem", "position": 2, "name": "News"},'
             '{"@type": "ListItem", "position": 3, "name": "Science"},'
             '{"@type": "ListItem", "position": 4, "name": "This page"}]}')
    cleaned = clean(page(f'<script type="application/ld+json">{trail}</script>'))
    assert (cleaned.categories, cleaned.category_paths) == (["Science"], ["News", "News > Science"])


def test_slug_class_uses_the_link_name():
    html = ("<html><body class='single single-post'><article class='post type-post hentry "
            "category-human-rights'>" + BODY + "</article><ul><li><a href='/category/"
            "human-rights/'>Human Rights</a></li></ul></body></html>").encode()
    assert clean(html).categories == ["Human Rights"]


def test_language_order():
    assert clean(page("", attrs=' lang="de-AT"')).language == "de"
    headers = {"Content-Language": "nl"}
    assert clean(page(""), headers=headers).language == "nl"
    result = clean(page(""))
    assert (result.language, result.diagnostics["language_source"]) == ("en", "detector")


def test_no_language_when_nothing_to_go_on():
    assert clean(b"<html><body><p>x y</p></body></html>").language is None


@pytest.mark.parametrize("title,site,host,expected", [
    ("Ferry returns – Riverside Journal", "Riverside Journal", None, "Ferry returns"),
    ("Riverside Journal | Ferry returns", "Riverside Journal", None, "Ferry returns"),
    ("Ferry returns - Riverside - Journal", "Riverside - Journal", None, "Ferry returns"),
    # Everything from the first separator whose tail names the site: section names too.
    ("Ferry returns | Arts | Riverside Journal (archive)", "Riverside Journal", None,
     "Ferry returns"),
    ("Mozilla - Wikipedia", None, "en.wikipedia.org", "Mozilla"),
    ("Ferry returns", "Riverside Journal", None, "Ferry returns"),
    ("Before - after: a story", None, None, "Before - after: a story"),
    (None, "Site", None, None),
])
def test_strip_site_name(title, site, host, expected):
    assert strip_site_name(title, site, host) == expected


def test_title_element_loses_its_last_part_when_enough_is_left():
    assert strip_site_name("Lorem ipsum dolor sit amet – My website", None,
                           from_title_element=True) == "Lorem ipsum dolor sit amet"
    # Four words left could be the site's name as much as the article's: keep it all.
    title = "Evolve: Shared Mutable History — evolve extension for Mercurial"
    assert strip_site_name(title, None, from_title_element=True) == title
    # A headline from metadata is written as the title: its parts stay.
    assert strip_site_name("A long enough title of words | Author Name", None) == (
        "A long enough title of words | Author Name")


def test_headline_picks_the_part_when_unambiguous():
    title = "Ferry returns to the old harbour | News | Example"
    assert strip_site_name(title, None, headline="Ferry returns to the old harbour") == (
        "Ferry returns to the old harbour")
    assert strip_site_name("Ferry returns | Example", None, headline="Ferry returns") == (
        "Ferry returns | Example")


def test_dublin_core_and_rdfa_property_lists():
    head = ('<meta property="og:title twitter:title" content="Social title">'
            '<meta property="x:title dc:title" content="Dublin Core title">'
            '<meta property="dc:creator" content="D. Creator">')
    result = clean(page(head))
    assert result.title == "Dublin Core title"
    assert result.authors == ["D. Creator"]


@pytest.mark.parametrize("given,declared,expected", [
    ("https://a.example/p?id=1", "https://a.example/story", "https://a.example/story"),
    ("https://www.a.example/p", "https://a.example/story", "https://a.example/story"),
    ("https://a.example/p", "https://b.example/story", "https://a.example/p"),
    ("https://a.example/p", "/story", "https://a.example/story"),
    (None, "https://b.example/story", "https://b.example/story"),
    (None, "/relative-only", None),
    (None, None, None),
])
def test_url_resolution(given, declared, expected):
    assert resolve(given, declared) == expected


def test_what_the_publisher_supplies_wins_over_the_markup():
    from indexer.clean.metadata.model import supplied

    html = b"""<html lang="de"><head><title>Old title - Site</title>
    <meta property="article:published_time" content="2020-01-01T00:00:00Z">
    <script type="application/ld+json">{"@type": "Article", "headline": "LD headline",
     "articleSection": "LD section", "author": {"name": "LD Author"}}</script></head>
    <body><article><h1>Old title</h1><p>A body long enough to be kept as the article's text,
    with a second sentence so that extraction has something to hold on to.</p></article></body></html>"""
    stated = supplied({"title": "Stated title - with a dash", "categories": ["Stated", "stated", 3],
                       "authors": ["Ana"], "published": "2024-05-01T09:30:00+00:00", "language": "en",
                       "type": "page", "unknown": "ignored"})
    page = clean(html, url="https://a.example/p/", supplied=stated)
    assert page.title == "Stated title - with a dash"  # as stated: no site name stripped
    assert page.categories == ["Stated"] and page.authors == ["Ana"] and page.type == "page"
    assert page.published.startswith("2024-05-01T09:30:00") and page.language == "en"
    # What it did not state still comes from the markup.
    unstated = clean(html, url="https://a.example/p/", supplied=supplied({"title": "T"}))
    assert unstated.categories == ["LD section"] and unstated.language == "de"
