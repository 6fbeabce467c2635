"""One post as block themes, a classic theme and a theme of template tags alone render it
(tests/fixtures/pages/wordpress/README.md): the same facts from each."""

from __future__ import annotations

import pytest

from indexer.clean import clean
from indexer.clean.metadata.texturize import untexturize

pytestmark = pytest.mark.unit

THEMES = ["tt3-post.html", "tt2-post.html", "tt1-post.html", "plain-classic-post.html"]
CATEGORIES = {"Packaging & Distribution", "Press Releases"}
TAGS = {"Installation", "Debian Developers", "Monitoring", "Community"}
COMMENTERS = ("Ben", "Jo", "Reza")


@pytest.mark.parametrize("name", THEMES)
def test_every_theme_gives_the_posts_own_facts(page_bytes, name):
    page = clean(page_bytes(f"wordpress/{name}"))
    assert page.title == "Check secret keys"
    assert set(page.categories) == CATEGORIES  # block themes mark both rel="tag"
    assert set(page.tags) == TAGS
    assert page.authors == ["Omar Haddad"]
    assert (page.type, page.kind, page.language) == ("post", "article", "en")
    assert page.site_name == "Open Assembly"


@pytest.mark.parametrize("name", THEMES[:3])
def test_the_date_is_the_posts_not_a_comments(page_bytes, name):
    # Twenty Twenty-Three's date has no class: the post-date block around it says what it is.
    assert clean(page_bytes(f"wordpress/{name}")).published == "2020-05-14T09:37:00+00:00"


def test_a_theme_printing_the_date_as_plain_text_gives_none(page_bytes):
    # the_time() prints "May 14, 2020" with no element of its own: no principle finds it, and
    # a comment's date must not stand in for it.
    assert clean(page_bytes("wordpress/plain-classic-post.html")).published is None


@pytest.mark.parametrize("name", THEMES)
def test_reader_comments_stay_out_of_text_and_authors(page_bytes, name):
    page = clean(page_bytes(f"wordpress/{name}"))
    assert not set(COMMENTERS) & set(page.authors)
    assert "Leave a Reply" not in page.content and "Reply to Ben" not in page.content


def test_the_persian_site(page_bytes):
    page = clean(page_bytes("wordpress/tt3-persian-post.html"))
    assert page.title == "در یک نگاه"
    assert page.categories == ["گردهمایی سالانه"]
    assert set(page.tags) == {"نصب", "بسته"}
    assert page.authors == ["حسین کاظمی"]
    assert page.language == "fa"
    assert page.published == "2014-04-16T13:43:00+00:00"


@pytest.mark.parametrize(("shown", "typed"), [
    ("Socio \u2013 Economic Crisis", "Socio - Economic Crisis"),
    ("Children\u2019s Rights", "Children's Rights"),
    ("\u201cQuoted\u201d \u2014 and more\u2026", '"Quoted" -- and more...'),
    ("2\u00d74 studs", "2x4 studs"),
    ("حقوق بشر", "حقوق بشر"),
])
def test_names_are_turned_back_from_wptexturize(shown, typed):
    assert untexturize(shown) == typed
