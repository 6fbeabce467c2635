"""The seed's problem: a WordPress article inside search widget, category list, Recent Posts."""

from __future__ import annotations

import pytest

from indexer.clean import clean

pytestmark = pytest.mark.unit

# Text that sits on the page but is never part of the article.
FURNITURE = [
    "Exact matches only", "Search in title", "Search in content", "Filter by Categories",
    "Post Type Selectors", "Generic selectors", "Recent Posts", "Bridge repairs start",
    "Library extends", "Annual Meetings", "Youth Programmes", "Water Quality",
    "Marguerite Ohanian", "forty minutes to my commute", "bicycles be allowed",
    "Leave a Reply", "Share on Facebook", "Email a friend", "Proudly powered",
    "Privacy Policy", "Skip to content", "News from the Riverside district", "Donate",
]


def test_article_fields_from_json_ld_and_opengraph(page_bytes):
    page = clean(page_bytes("wordpress_article.html"),
                 url="https://riverside.example/?p=482")
    assert page.title == "River ferry service returns after ten years"
    assert page.url == "https://riverside.example/2023/07/03/river-ferry-returns/"
    assert page.categories == ["Public Transport", "City Council"]
    assert page.tags == ["ferries", "budget"]
    assert page.authors == ["Hanna Lindqvist"]
    assert page.published == "2023-07-03T08:15:00+00:00"
    assert page.modified == "2023-07-04T10:02:11+00:00"
    assert page.language == "en"
    assert page.type == "post"
    assert page.kind == "article"
    assert page.site_name == "Riverside Civic Journal"
    assert page.image == "https://riverside.example/wp-content/uploads/2023/07/ferry.jpg"
    assert page.description == "Electric boats will link the old harbour and Willow Point from August."
    assert (page.noindex, page.nofollow) == (False, False)


@pytest.mark.parametrize("name", ["wordpress_article.html", "wordpress_plain.html"])
def test_content_is_the_article_only(page_bytes, name):
    page = clean(page_bytes(name))
    assert page.content.startswith("The river ferry between the old harbour")
    assert page.content.rstrip().endswith("add earlier crossings if the numbers justify them.")
    for text in FURNITURE:
        assert text not in page.content, text
    # Five paragraphs, separated by blank lines.
    assert page.content.count("\n\n") == 4
    assert page.word_count == 218


def test_wordpress_markup_alone_gives_the_facets(page_bytes):
    # No JSON-LD, no OpenGraph: rel="category tag", rel="tag", time.entry-date, vcard.
    page = clean(page_bytes("wordpress_plain.html"))
    assert page.title == "River ferry service returns after ten years"
    assert page.categories == ["Public Transport", "City Council"]
    assert page.tags == ["ferries", "budget"]
    assert page.authors == ["Hanna Lindqvist"]
    assert page.published == "2023-07-03T08:15:00+00:00"
    assert page.type == "video"  # the post format beats the generic "post"
    assert page.site_name is None


def test_given_url_on_another_site_is_kept(page_bytes):
    page = clean(page_bytes("wordpress_article.html"), url="https://mirror.example/ferry")
    assert page.url == "https://mirror.example/ferry"


def test_no_url_given_uses_canonical(page_bytes):
    assert clean(page_bytes("wordpress_article.html")).url == (
        "https://riverside.example/2023/07/03/river-ferry-returns/")


def test_listing_page(page_bytes):
    page = clean(page_bytes("listing_category.html"))
    assert page.kind == "listing"
    assert page.title == "Human Rights"
    assert page.type == "page"
    assert page.diagnostics["kind_source"] == "markup"


def test_noindex_page(page_bytes):
    page = clean(page_bytes("noindex_page.html"))
    assert (page.noindex, page.nofollow) == (True, True)
    assert page.type == "page"
    # The theme's entry title beats the <title> element.
    assert page.title == "River ferry service returns after ten years"


def test_robots_header_counts(page_bytes):
    page = clean(page_bytes("wordpress_article.html"), headers={"X-Robots-Tag": "noindex"})
    assert page.noindex and not page.nofollow


def test_same_content_same_hash(page_bytes):
    a = clean(page_bytes("wordpress_article.html"))
    b = clean(page_bytes("wordpress_plain.html"))
    assert a.content_hash == b.content_hash
    assert len(a.content_hash) == 64


def test_to_dict_is_json_serialisable(page_bytes):
    import json

    data = json.loads(json.dumps(clean(page_bytes("wordpress_article.html")).to_dict()))
    assert data["title"] == "River ferry service returns after ten years"
    assert data["diagnostics"]["extraction"] in {"trafilatura", "readability"}
