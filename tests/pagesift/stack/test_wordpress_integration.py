"""The test WordPress itself: served with pretty permalinks, filled as planned, changeable
through WordPress's API, plugins installable, other themes on other ports."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def test_published_posts_answer_on_their_permalinks_and_others_do_not(wordpress):
    en = wordpress.sites["en"]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda post: _get(en.link(post.key)), en.content.posts))
    for post, (status, html) in zip(en.content.posts, answers, strict=True):
        if post.status == "publish":
            assert status == 200, post.key
            assert "wp-block-post-title" in html or post.password
        else:
            assert status == 404, (post.key, post.status)


def test_the_rest_api_and_the_sitemap_list_exactly_the_published_posts(wordpress):
    en = wordpress.sites["en"]
    status, body = _get(f"{en.base_url}/wp-json/wp/v2/posts?per_page=100&_fields=id")
    assert status == 200
    # The REST API lists password-protected posts too (their content withheld).
    expected = {en.post_id(p.key) for p in en.content.posts
                if p.post_type == "post" and p.status == "publish"}
    assert {item["id"] for item in json.loads(body)} == expected
    status, sitemap = _get(f"{en.base_url}/wp-sitemap-posts-post-1.xml")
    assert status == 200
    for post in en.content.posts:
        if post.post_type == "post" and post.status == "publish":
            assert f"<loc>{en.link(post.key)}</loc>" in sitemap


def test_the_persian_site_is_right_to_left(wordpress):
    fa = wordpress.sites["fa"]
    post = next(p for p in fa.content.posts if p.searchable)
    status, html = _get(fa.link(post.key))
    assert status == 200
    assert 'dir="rtl"' in html and 'lang="fa-IR"' in html
    assert post.paragraphs[0][:40] in html


def test_php_changes_the_site_through_wordpress(wordpress):
    en = wordpress.sites["en"]
    made = en.site.php_json("""
        $id = wp_insert_post(array('post_title' => 'Made by a test', 'post_status' => 'publish',
                                   'post_content' => '<p>Written through wp_insert_post.</p>'));
        return array('id' => $id, 'link' => get_permalink($id));""")
    try:
        status, html = _get(made["link"])
        assert status == 200 and "Written through wp_insert_post." in html
    finally:
        en.site.php(f"wp_delete_post({made['id']}, true);")
    assert _get(made["link"])[0] == 404


def test_a_plugin_from_a_directory_is_installed_and_active(wordpress, tmp_path: Path):
    plugin = tmp_path / "pagesift-test-footer"
    plugin.mkdir()
    (plugin / "pagesift-test-footer.php").write_text(
        "<?php\n/*\n * Plugin Name: pagesift test footer\n */\n"
        "add_action('wp_footer', function () { echo '<p id=\"test-footer\">plugin active</p>'; });\n")
    en = wordpress.sites["en"]
    name = en.site.install_plugin(plugin)
    try:
        assert name == "pagesift-test-footer/pagesift-test-footer.php"
        assert 'id="test-footer"' in _get(en.base_url + "/")[1]
    finally:
        en.site.deactivate_plugin(name)
    assert 'id="test-footer"' not in _get(en.base_url + "/")[1]


def test_another_theme_shows_the_same_posts_on_its_own_port(wordpress):
    en = wordpress.sites["en"]
    post = next(p for p in en.content.posts if p.searchable and p.post_type == "post")
    classic = wordpress.serve_theme("en", "twentytwentyone")
    link = en.link(post.key).replace(en.base_url, classic.base_url)
    status, html = _get(link)
    assert status == 200
    assert "twentytwentyone" in html and "wp-block-post-title" not in html
    assert post.paragraphs[0][:40] in html


def test_pagesift_sample_wordpress_starts_stops_and_removes_a_site(tmp_path: Path, monkeypatch, capsys,
                                                                   settings):
    from pagesift import cli
    from pagesift.stack import wordpress as wp
    from pagesift.stack.process import port_in_use
    from samples import prose

    home = tmp_path / "home"
    home.mkdir()
    # The test home's caches (MariaDB's template data directory, WordPress's core copy) serve
    # this home too: made once per run, not once per test.
    (settings.home / "cache").mkdir(parents=True, exist_ok=True)
    (home / "cache").symlink_to(settings.home / "cache")
    monkeypatch.setenv("PAGESIFT_HOME", str(home))
    # No handbook in the home and no download: the command says so and uses WordPress's texts.
    monkeypatch.setattr(prose, "load", lambda home: (_ for _ in ()).throw(prose.ProseUnavailable("offline")))
    port, db_port = wp.free_port(), wp.free_port()
    args = ["sample", "wordpress", "--posts", "12", "--port", str(port), "--db-port", str(db_port)]
    try:
        assert cli.main(args) == 0
        out = capsys.readouterr()
        assert "WordPress's help texts instead" in out.err
        assert f"http://127.0.0.1:{port}/" in out.out and f"http://127.0.0.1:{port + 1}/" in out.out
        assert _get(f"http://127.0.0.1:{port}/wp-sitemap.xml")[0] == 200
        assert "posts and pages written" in out.out
        assert cli.main([*args, "--stop"]) == 0
        assert not port_in_use(port) and not port_in_use(db_port)
        # Started again, the kept site is served as it was, nothing written anew.
        assert cli.main(args) == 0
        assert "written" not in capsys.readouterr().out
        assert _get(f"http://127.0.0.1:{port}/wp-sitemap.xml")[0] == 200
    finally:
        assert cli.main([*args, "--remove"]) == 0
    assert not (home / "wordpress" / "sample").exists()
