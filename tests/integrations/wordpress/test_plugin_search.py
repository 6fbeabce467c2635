"""The site's own search answered by pagesift: the theme's ?s= page lists pagesift's order in the
theme's templates, WordPress's search answers when pagesift is down, themes get the facets; and
the live search block and shortcode give results as the reader types, in chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.integrations.wordpress.conftest import Stack, get
from tests.integrations.wordpress.test_plugin_sync import publish, word

pytestmark = pytest.mark.integration

# Twenty Twenty-Three's search template: each result's title is a link in a post-title block.
RESULT_LINK = re.compile(r'class="wp-block-post-title"[^>]*>\s*<a href="([^"]+)"')


@pytest.fixture(scope="module")
def ranked(stack: Stack) -> Iterator[dict[str, Any]]:
    """Posts that WordPress and pagesift order differently for one word: WordPress puts the
    newest first among body matches, pagesift the one that is most about the word."""
    key = word()
    filler = "The council met on a grey morning and talked about buses, bins and the budget. " * 6
    posts = [
        # Oldest: the word three times in a short body.
        publish(stack, "Market day notes", f"<p>{key} stalls, {key} prices, {key} queues.</p>",
                post_date="2021-01-01 10:00:00"),
        publish(stack, "Town hall diary", f"<p>{filler} Also {key} twice: {key}.</p>",
                post_date="2022-01-01 10:00:00"),
        # Newest: the word once, deep in a long body.
        publish(stack, "Weekly round-up", f"<p>{filler}{filler} And one {key}.</p>",
                post_date="2023-01-01 10:00:00"),
    ]
    urls = [p["url"] for p in posts]
    stack.wait_for(lambda: {h["url"] for h in stack.hits(key)} == set(urls))
    yield {"key": key, "urls": urls}


def listed(html: str) -> list[str]:
    return RESULT_LINK.findall(html)


def test_the_theme_search_page_lists_pagesift_order(stack: Stack, ranked: dict[str, Any]) -> None:
    key = ranked["key"]
    expected = [h["url"] for h in stack.web.search(q=key, size=10)["hits"]]
    status, html = get(f"{stack.base_url}/?s={key}")
    assert status == 200
    assert listed(html) == expected
    # Rendered by the theme itself: its own search template around pagesift's posts.
    assert "wp-block-query" in html and "wp-block-post-template" in html

    switch = ("$s = get_option('pagesift_settings');"
              " $s['search'] = {}; update_option('pagesift_settings', $s);")
    stack.php(switch.format("false"))
    try:
        _, own = get(f"{stack.base_url}/?s={key}")
    finally:
        stack.php(switch.format("true"))
    assert sorted(listed(own)) == sorted(expected)
    assert listed(own) != expected, "WordPress's own order is newest first: the test tells them apart"


def test_wordpress_answers_while_pagesift_is_down(stack: Stack, ranked: dict[str, Any]) -> None:
    key = ranked["key"]
    stack.web.stop()
    try:
        status, html = get(f"{stack.base_url}/?s={key}")
    finally:
        stack.web.start()
        stack.php("delete_transient('pagesift_search_paused');")
    assert status == 200
    assert sorted(listed(html)) == sorted(ranked["urls"])
    # WordPress's own order: newest first.
    assert listed(html) == list(reversed(ranked["urls"]))


def test_themes_get_the_facets_and_links_that_filter(stack: Stack, ranked: dict[str, Any]) -> None:
    key = ranked["key"]
    answer = stack.php_json(f"""
        $_GET['s'] = '{key}';
        $GLOBALS['wp_the_query'] = new WP_Query();
        $GLOBALS['wp_query'] = $GLOBALS['wp_the_query'];
        $GLOBALS['wp_query']->query(array('s' => '{key}'));
        return array('facets' => pagesift_facets(), 'html' => pagesift_render_facets(array('year')),
                     'found' => $GLOBALS['wp_query']->found_posts,
                     'pages' => $GLOBALS['wp_query']->max_num_pages,
                     'titles' => wp_list_pluck($GLOBALS['wp_query']->posts, 'post_title'));
    """)
    assert (answer["found"], answer["pages"], len(answer["titles"])) == (3, 1, 3)
    years = {str(v["value"]): v["count"] for v in answer["facets"]["year"]}
    assert years == {"2021": 1, "2022": 1, "2023": 1}
    assert "pagesift_year" in answer["html"] and "2021" in answer["html"]
    # A facet link narrows the theme's page to that year.
    status, html = get(f"{stack.base_url}/?s={key}&pagesift_year%5B%5D=2021")
    assert status == 200 and listed(html) == [ranked["urls"][0]]


def test_the_category_facet_is_a_tree_and_a_parent_takes_in_its_children(stack: Stack) -> None:
    key = word()
    parent, child = stack.php_json(f"""
        require_once ABSPATH . 'wp-admin/includes/taxonomy.php';
        $parent = wp_create_category('Rivers {key}');
        return array($parent, wp_create_category('Bridges {key}', $parent));""")
    posts = [publish(stack, f"Bridge works {key}", f"<p>The bridge {key} reopens.</p>",
                     post_category=[child]),
             publish(stack, f"River levels {key}", f"<p>The river {key} rises.</p>",
                     post_category=[parent])]
    paths = {posts[0]["url"]: [f"Rivers {key}", f"Rivers {key} > Bridges {key}"],
             posts[1]["url"]: [f"Rivers {key}"]}
    # Until each post is indexed as it was saved (a push may land before the save's last one).
    stack.wait_for(lambda: {h["url"]: h["category_paths"] for h in stack.hits(key)} == paths)
    answer = stack.php_json(f"""
        $_GET['s'] = '{key}';
        $GLOBALS['wp_the_query'] = new WP_Query();
        $GLOBALS['wp_query'] = $GLOBALS['wp_the_query'];
        $GLOBALS['wp_query']->query(array('s' => '{key}'));
        return array('facets' => pagesift_facets(), 'html' => pagesift_render_facets(array('category')));
    """)
    shown = [(v["value"], v["depth"], v["count"]) for v in answer["facets"]["category"]]
    assert shown == [(f"Rivers {key}", 0, 2), (f"Rivers {key} > Bridges {key}", 1, 1)]
    # Each by its own name, the child indented under its parent.
    assert re.search(rf'<li class="pagesift-facets__depth-1"><a [^>]+>Bridges {key}</a>', answer["html"])
    # The parent's link takes in the child's post, on the theme's own search page.
    status, html = get(f"{stack.base_url}/?s={key}&pagesift_category%5B%5D=Rivers%20{key}")
    assert status == 200 and sorted(listed(html)) == sorted(p["url"] for p in posts)


@pytest.fixture(scope="module")
def search_pages(stack: Stack) -> dict[str, str]:
    """A page with the block and a page with the shortcode."""
    return dict(stack.php_json("""
        $block = wp_insert_post(array('post_type' => 'page', 'post_status' => 'publish',
            'post_title' => 'Find', 'post_content' => '<!-- wp:pagesift/live-search /-->'));
        $code = wp_insert_post(array('post_type' => 'page', 'post_status' => 'publish',
            'post_title' => 'Find again', 'post_content' => '[pagesift_search types="0"]'));
        return array('block' => get_permalink($block), 'shortcode' => get_permalink($code));
    """))


@pytest.mark.parametrize("which", ["block", "shortcode"])
def test_live_results_as_the_reader_types(stack: Stack, ranked: dict[str, Any], search_pages: dict[str, str],
                                          browser, which: str) -> None:  # type: ignore[no-untyped-def]
    key = ranked["key"]
    expected = [h["title"] for h in stack.web.search(q=key, size=6)["hits"]]
    page = browser.new_page()
    try:
        page.goto(search_pages[which])
        field = page.get_by_role("combobox", name="Search")
        assert field.get_attribute("aria-expanded") == "false"
        field.press_sequentially(key, delay=20)
        options = page.get_by_role("listbox").get_by_role("option")
        # Until the whole word's answer is shown: a part typed before the pause may answer first.
        expect(options).to_have_text([re.compile("^" + re.escape(title)) for title in expected],
                                     timeout=10_000)
        assert field.get_attribute("aria-expanded") == "true"
        expect(page.get_by_role("status")).to_have_text(f"{len(expected)} results")
        # The seed widget's controls are there, and the link to the full search page follows the query.
        for label in ("Exact matches only", "Search in title", "Search in content"):
            assert page.get_by_label(label).is_visible()
        assert page.get_by_label("Filter by category").is_visible()
        assert f"s={key}" in (page.get_by_role("link", name="See all results").get_attribute("href") or "")
        # Keyboard: down to the second result, Enter opens it.
        field.press("ArrowDown")
        field.press("ArrowDown")
        active = field.get_attribute("aria-activedescendant")
        assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
        field.press("Enter")
        page.wait_for_url(stack.web.search(q=key, size=6)["hits"][1]["url"])
    finally:
        page.close()


def test_the_live_search_options_narrow_the_results(stack: Stack, ranked: dict[str, Any],
                                                    search_pages: dict[str, str], browser) -> None:  # type: ignore[no-untyped-def]
    key = ranked["key"]
    page = browser.new_page()
    try:
        page.goto(search_pages["block"])
        page.get_by_label("Search in content").uncheck()
        field = page.get_by_role("combobox", name="Search")
        field.press_sequentially(key, delay=20)
        # The word is in no title: nothing, said in the status line.
        page.get_by_text("No results").wait_for(timeout=10_000)
        assert field.get_attribute("aria-expanded") == "false"
        page.get_by_label("Search in content").check()
        expect(page.get_by_role("listbox").get_by_role("option")).to_have_count(3, timeout=10_000)
        field.press("Escape")
        assert field.get_attribute("aria-expanded") == "false"
    finally:
        page.close()


def test_the_form_follows_the_sites_direction(stack: Stack) -> None:
    html = stack.php_json("""
        $GLOBALS['wp_locale']->text_direction = 'rtl';
        return Pagesift_Live_Search::render(array('exact' => true, 'title' => true, 'content' => true,
            'types' => false, 'categories' => false, 'placeholder' => ''));
    """)
    assert 'dir="rtl"' in html and 'role="combobox"' in html and 'aria-controls="' in html
