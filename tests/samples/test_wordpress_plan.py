"""The sample WordPress's plan: every state, format and structure the fixture promises."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from samples.wordpress.plan import SiteContent, plan_wordpress

pytestmark = pytest.mark.unit
NOW = datetime(2026, 1, 15, tzinfo=UTC)


@pytest.fixture(scope="module")
def sites(prose) -> dict[str, SiteContent]:
    return plan_wordpress(prose.sections, posts=70, seed=3, now=NOW)


def test_the_english_site_has_every_state_a_post_can_be_in(sites):
    posts = sites["en"].posts
    states = Counter(p.status for p in posts)
    assert {"publish", "draft", "pending", "private", "future", "trash"} <= set(states)
    assert sum(bool(p.password) for p in posts) == 1
    assert all(p.date > NOW.isoformat() for p in posts if p.status == "future")
    assert all(p.date < NOW.isoformat() for p in posts if p.status != "future")


def test_formats_sticky_featured_comments_and_pages(sites):
    posts = sites["en"].posts
    assert {"video", "gallery", "aside", "quote", "link", "audio", "image", "status", "chat"} <= {
        p.format for p in posts}
    assert sum(p.sticky for p in posts) == 2 and sum(p.featured_image for p in posts) == 3
    comments = [c for p in posts for c in p.comments]
    assert any(not c.approved for c in comments) and any(c.reply_to is not None for c in comments)
    pages = {p.key: p for p in posts if p.post_type == "page"}
    assert pages["page-volunteer"].parent == "page-join-us"
    assert pages["page-internal-notes"].status == "private"


def test_categories_nest_and_every_post_names_known_ones(sites):
    en = sites["en"]
    assert en.category_path("Grand Gathering 2018- Videos") == [
        "Annual Grand Gathering", "Grand Gathering 2018", "Grand Gathering 2018- Videos"]
    names = {c.name for c in en.categories}
    assert all(set(p.categories) <= names for p in en.posts)
    assert all(c.parent in names for c in en.categories if c.parent)


def test_the_persian_site_is_fa_ir_with_its_own_posts(sites):
    fa = sites["fa"]
    assert fa.locale == "fa_IR" and fa.posts
    assert all(p.slug == "" for p in fa.posts)  # WordPress makes (percent-encoded) Persian slugs
    assert {"draft", "future"} <= {p.status for p in fa.posts}


def test_the_plan_round_trips_through_json(sites):
    for content in sites.values():
        assert SiteContent.from_json(content.to_json()) == content
