"""WordPress markup read by principle: what core prints, whatever the theme calls its boxes."""

from __future__ import annotations

import pytest

from indexer.clean.metadata import wordpress
from indexer.clean.tree import parse

pytestmark = pytest.mark.unit

HEAD = ('<head><title>T</title><link rel="https://api.w.org/" href="/wp-json/">'
        '<link rel="alternate" type="application/json" href="https://x.example/wp-json/wp/v2/{route}/7">'
        '<link rel="alternate" type="application/rss+xml" title="Site Name &raquo; Feed" href="/feed/">'
        "</head>")


def facts(body: str, body_class: str = "single single-post postid-7", route: str = "posts"):
    html = f"<html>{HEAD.format(route=route)}<body class='{body_class}'>{body}</body></html>"
    return wordpress.extract(parse(html), html)


def test_the_post_terms_block_wrapper_names_the_taxonomy():
    found = facts('<div class="taxonomy-category wp-block-post-terms">'
                  '<a href="/topics/a/" rel="tag">A</a></div>'
                  '<div class="taxonomy-post_tag wp-block-post-terms"><a href="/k/b/" rel="tag">B</a></div>')
    assert (found.categories, found.tags) == (["A"], ["B"])


def test_without_a_wrapper_the_link_path_then_the_post_classes_decide():
    found = facts('<article class="post-7 post type-post category-news tag-news tag-rain">'
                  '<a href="/category/world/" rel="tag">World</a>'
                  '<a href="/topics/rain/" rel="tag">Rain</a>'
                  # a slug both taxonomies have says nothing: a tag, the default
                  '<a href="/topics/news/" rel="tag">News</a></article>')
    assert (found.categories, found.tags) == (["World"], ["Rain", "News"])


def test_terms_of_widgets_menus_lists_comments_and_other_posts_are_not_the_posts():
    found = facts(
        '<article class="post-7 post type-post"><a href="/tag/own/" rel="tag">Own</a>'
        '<time datetime="2020-01-02T03:04:05+00:00">Jan 2</time></article>'
        '<aside><section class="widget widget_tag_cloud">'
        '<a href="/tag/cloud/" rel="tag">Cloud</a></section>'
        '<ul><li class="cat-item"><a href="/category/list/" rel="tag">List</a></li></ul>'
        '<ul><li class="menu-item"><a href="/about/" rel="author">About</a></li></ul></aside>'
        '<ol><li class="comment"><time datetime="2021-01-01T00:00:00+00:00">x</time>'
        '<a href="/tag/c/" rel="tag">C</a></li></ol>'
        '<li class="wp-block-post post-9 post type-post">'
        '<a href="/category/other/" rel="category tag">Other</a></li>')
    assert (found.categories, found.tags, found.authors) == ([], ["Own"], [])
    assert found.published == "2020-01-02T03:04:05+00:00"


def test_the_posts_own_element_wins_over_terms_repeated_outside_it():
    found = facts('<div class="breadcrumb"><a href="/category/a/" rel="category tag">A</a>'
                  '<a href="/category/b/" rel="category tag">B</a></div>'
                  '<div class="post-7 post type-post"><a href="/category/a/" rel="category tag">A</a></div>')
    assert found.categories == ["A"]


def test_a_theme_calling_its_post_container_a_widget_keeps_its_facts():
    # The walk up stops at the post's own element.
    found = facts('<li class="widget_post_loop"><div class="post-7 post type-post">'
                  '<a href="/author/ann/" rel="author">Ann</a></div></li>')
    assert found.authors == ["Ann"]


def test_author_rels_are_cores_and_author_blocks_are_read():
    found = facts('<a href="/about/" rel="nofollow author">About Me</a>'
                  '<div class="wp-block-post-author"><p class="wp-block-post-author__name">Ann Lee</p></div>')
    assert found.authors == ["Ann Lee"]


def test_post_date_block_and_its_modified_variant():
    found = facts('<div class="wp-block-post-date">'
                  '<time datetime="2020-05-01T00:00:00+00:00">May</time></div>'
                  '<div class="wp-block-post-date wp-block-post-date__modified-date">'
                  '<time datetime="2021-06-01T00:00:00+00:00">June</time></div>')
    assert (found.published, found.modified) == ("2020-05-01T00:00:00+00:00", "2021-06-01T00:00:00+00:00")


def test_dates_written_as_text_in_entry_date_or_hatom_published():
    assert facts('<span class="entry-date">November 12, 2012</span>').published == "November 12, 2012"
    assert facts('<abbr class="published" title="2012-11-12T10:00:00+00:00">Monday</abbr>').published \
        == "2012-11-12T10:00:00+00:00"


def test_the_rest_link_names_the_type_and_the_feed_the_site():
    page = facts("<p>text</p>", body_class="page-template-default page page-id-7", route="pages")
    assert (page.type, page.kind, page.site_name) == ("page", "article", "Site Name")
    assert facts("<p>text</p>", body_class="single single-event postid-7", route="events").type == "event"


def test_block_theme_names_are_turned_back_but_other_sites_names_are_not():
    block = facts('<div class="taxonomy-category"><a href="/c/x/" rel="tag">Socio \u2013 Economic</a></div>')
    assert block.categories == ["Socio - Economic"]
    html = ("<html><body class='single'><a href='/tag/x/' rel='tag'>Children\u2019s</a></body></html>")
    assert wordpress.extract(parse(html), html).tags == ["Children\u2019s"]


def test_a_password_form_in_place_of_the_content_is_a_protected_post():
    form = ('<form action="https://x.example/wp-login.php?action=postpass" class="post-password-form" '
            'method="post"><p>This content is password protected.</p></form>')
    assert facts(f"<main>{form}</main>").kind == "protected"
    required = '<article class="post-7 post type-post post-password-required"></article>'
    assert facts(required).kind == "protected"
    assert facts("<main><form action='/search'></form></main>").kind == "article"


def test_a_child_categorys_permalink_gives_its_ancestors_named_by_links_to_them():
    found = facts('<article class="post-7 post type-post">'
                  '<a href="/category/world/europe/balkans/" rel="category tag">Balkans</a>'
                  '<a href="/category/news/" rel="category tag">News</a></article>'
                  # the site's category list names the ancestors (and is not the post's)
                  '<ul class="wp-block-categories"><li class="cat-item"><a href="/category/world/">'
                  'World &amp; Co</a></li></ul>')
    assert found.categories == ["Balkans", "News"]
    # "europe" has no link on the page: its name is its slug, made readable.
    assert found.category_paths == [("World & Co", "Europe", "Balkans"), ("News",)]


def test_persian_slugs_are_read_percent_decoded():
    found = facts('<article class="post-7 post type-post"><a rel="category tag" '
                  'href="/category/%d8%a7%d8%ae%d8%a8%d8%a7%d8%b1/%da%af%d8%a7%d9%84%d8%b1%db%8c-%d8%b1%d8%b3%d8%a7%d9%86%d9%87/">'
                  "گالری رسانه</a></article>")
    assert found.category_paths == [("اخبار", "گالری رسانه")]


def test_top_level_categories_or_another_base_say_no_hierarchy():
    found = facts('<article class="post-7 post type-post"><a href="/topics/world/europe/" rel="category tag">'
                  'Europe</a></article>')
    assert (found.categories, found.category_paths) == (["Europe"], [])
