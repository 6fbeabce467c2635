"""Every published post of the test WordPress, as Twenty Twenty-Three, Twenty Twenty-Two,
Twenty Twenty-One and a theme of template tags alone render it: the cleaner's facts against
the plan the posts were written from."""

from __future__ import annotations

import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from indexer.clean import clean
from samples.wordpress.expected import mismatches

pytestmark = pytest.mark.integration

THEMES_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "wordpress" / "themes"
PLAIN_CLASSIC = THEMES_DIR / "pagesift-plain-classic"
# What each theme prints: the plain theme's date is text without markup (the_time()).
THEMES = {"twentytwentythree": (), "twentytwentytwo": (), "twentytwentyone": (),
          "pagesift-plain-classic": ("published",)}


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


@pytest.mark.parametrize("language", ["en", "fa"])
@pytest.mark.parametrize("theme", sorted(THEMES))
def test_every_published_post_has_its_facts(wordpress, theme, language):
    site = wordpress.sites[language]
    site.site.install_theme(PLAIN_CLASSIC)
    server = wordpress.serve_theme(language, theme)
    posts = [p for p in site.content.posts if p.searchable]
    urls = [site.link(p.key).replace(site.base_url, server.base_url) for p in posts]
    with ThreadPoolExecutor(4) as pool:
        pages = list(pool.map(_fetch, urls))
    wrong = {}
    for post, url, raw in zip(posts, urls, pages, strict=True):
        page = clean(raw, url=url)
        found = mismatches(page.to_dict(), post, site.content, dated=False, markup=True)
        for field in THEMES[theme]:
            found.pop(field, None)
        if found:
            wrong[post.key] = found
        # Comments' sentences come from the same prose: only those the post itself lacks tell.
        body = " ".join(post.paragraphs)
        told = [c.text[:60] for c in post.comments if c.text[:60] not in body]
        assert not any(text in page.content for text in told), post.key
    assert wrong == {}
