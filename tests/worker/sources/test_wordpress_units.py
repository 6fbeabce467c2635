"""The WordPress REST source without services: discovery, listing, and the page a post becomes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from indexer.clean import clean
from worker.fetch.errors import Gone
from worker.sources import wordpress

pytestmark = pytest.mark.unit

HOME = "https://news.example"
PAGE = (b'<html lang="fa-IR"><head><link rel="https://api.w.org/" href="https://news.example/wp-json/">'
        b"</head><body></body></html>")
INDEX = {"name": "Site &amp; Co", "home": HOME, "gmt_offset": 3.5, "namespaces": ["oembed/1.0", "wp/v2"]}
TYPES = {"post": {"rest_base": "posts"}, "page": {"rest_base": "pages"}, "attachment": {"rest_base": "media"},
         "wp_block": {"rest_base": "blocks"}, "event": {"rest_base": "events"}}
POST = {
    "id": 12, "link": f"{HOME}/2024/05/ferry/", "date_gmt": "2024-05-01T08:00:00",
    "modified_gmt": "2024-05-03T10:30:00", "format": "video",
    "title": {"rendered": "Ferry &#8220;returns&#8221; &amp; more"},
    "content": {"rendered": "<p>" + "The ferry returns to the harbour this summer. " * 12 + "</p>",
                "protected": False},
    "_embedded": {
        "author": [{"name": "Ann &amp; Bo"}],
        "wp:term": [[{"taxonomy": "category", "name": "Packaging &amp; Distribution"},
                     {"taxonomy": "category", "name": "News"}],
                    [{"taxonomy": "post_tag", "name": "ferries"}]],
        "wp:featuredmedia": [{"source_url": f"{HOME}/wp-content/uploads/cover.png"}],
    },
}


class Site:
    """Answers as WordPress would, by path and query; records the URLs asked."""

    def __init__(self, answers: Mapping[str, object], pages: int = 1) -> None:
        self.answers = answers
        self.asked: list[str] = []
        self.pages = pages

    def __call__(self, url: str, accept: tuple[str, ...] | None) -> tuple[Mapping[str, str], bytes]:
        self.asked.append(url)
        parts = urlsplit(url)
        body = self.answers.get(parts.path)
        if body is None:
            raise Gone(f"{url} answered 404")
        if callable(body):
            body = body(parse_qs(parts.query))
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        return {"x-wp-totalpages": str(self.pages)}, raw


def test_discovery_reads_the_api_index_and_its_reading_types():
    answers = {"/": PAGE, "/wp-json/": INDEX, "/wp-json/wp/v2/types": TYPES}
    site = wordpress.discover(Site(answers), HOME + "/")
    assert site.api == f"{HOME}/wp-json/" and site.home == HOME and site.name == "Site & Co"
    assert site.language == "fa-IR"
    assert dict(site.routes) == {"posts": "post", "pages": "page", "events": "event"}
    # The API filters in the site's own time: UTC 10:00 is 13:30 at +3:30.
    assert site.local_time(datetime(2024, 1, 1, 10, 0, tzinfo=UTC)) == "2024-01-01T13:30:00"


@pytest.mark.parametrize("answers", [
    {"/": b"<html><head></head><body>no api</body></html>"},
    {"/": PAGE},  # the link, but the API answers 404 (closed by a plugin)
    {"/": PAGE, "/wp-json/": {"namespaces": ["oembed/1.0"]}},
    {"/": PAGE, "/wp-json/": b"<html>login</html>"},
])
def test_a_site_without_an_open_api_is_not_wordpress(answers):
    with pytest.raises(wordpress.NotWordPress):
        wordpress.discover(Site(answers), HOME + "/")


def test_the_link_header_names_the_api_too():
    headers = {"link": '<https://news.example/wp-json/>; rel="https://api.w.org/"'}
    assert wordpress.api_root(headers, b"", HOME + "/x/") == f"{HOME}/wp-json/"


def test_listing_pages_through_every_route_and_filters_by_the_sites_clock():
    def posts(query):
        assert query["orderby"] == ["id"] and query["per_page"] == ["100"]
        return [{"id": 1, "link": f"{HOME}/a/", "modified_gmt": "2024-01-01T00:00:00"}]

    fake = Site({"/wp-json/wp/v2/posts": posts, "/wp-json/wp/v2/pages": []}, pages=2)
    site = wordpress.Site(f"{HOME}/wp-json/", HOME, "S", "en", 3.5, {"posts": "post", "pages": "page"})
    found = list(wordpress.published(fake, site, modified_after=datetime(2024, 6, 1, 12, tzinfo=UTC)))
    assert [p.link for p in found] == [f"{HOME}/a/", f"{HOME}/a/"]  # two pages of posts
    assert found[0].modified == datetime(2024, 1, 1, tzinfo=UTC)
    first = parse_qs(urlsplit(fake.asked[0]).query)
    # A minute of slack before the watermark, in the site's time (+3:30).
    assert first["modified_after"] == ["2024-06-01T15:29:00"] and first["page"] == ["1"]
    assert len(fake.asked) == 4  # posts pages 1 and 2, pages pages 1 and 2


def test_a_post_becomes_a_page_the_cleaner_reads_exactly():
    site = wordpress.Site(f"{HOME}/wp-json/", HOME, "Site & Co", "en-US", 0, {"posts": "post"})
    page = clean(wordpress.document(POST, site, "posts"), url=POST["link"])
    assert page.title == "Ferry \u201creturns\u201d & more"
    assert page.categories == ["Packaging & Distribution", "News"]
    assert page.tags == ["ferries"]
    assert page.authors == ["Ann & Bo"]
    assert (page.published, page.modified) == ("2024-05-01T08:00:00+00:00", "2024-05-03T10:30:00+00:00")
    assert (page.type, page.kind, page.language) == ("video", "article", "en")
    assert page.image == f"{HOME}/wp-content/uploads/cover.png"
    assert page.site_name == "Site & Co" and page.url == POST["link"]
    assert page.content.startswith("The ferry returns to the harbour")


def test_a_page_and_a_persian_post():
    site = wordpress.Site(f"{HOME}/wp-json/", HOME, "S", "fa-IR", 0, {"posts": "post", "pages": "page"})
    as_page = clean(wordpress.document({**POST, "format": "standard"}, site, "pages"))
    assert as_page.type == "page"
    persian = wordpress.document({**POST, "content": {"rendered": "<p>" + "سلام دنیا " * 40 + "</p>"}},
                                 site, "posts")
    assert b'dir="rtl"' in persian and clean(persian).language == "fa"


def test_posts_are_read_a_hundred_a_request():
    def answer(query):
        return [{"id": int(i), "link": f"{HOME}/{i}/"} for i in query["include"][0].split(",")]

    fake = Site({"/wp-json/wp/v2/posts": answer})
    found = wordpress.items(fake, f"{HOME}/wp-json/wp/v2/posts", list(range(1, 251)))
    assert sorted(found) == list(range(1, 251)) and len(fake.asked) == 3


def test_categories_are_asked_level_by_level_and_give_each_post_category_its_chain():
    tree = {1: ("World", 0), 2: ("Europe", 1), 3: ("Balkans &amp; more", 2), 4: ("News", 0)}

    def answer(query):
        assert query["_fields"] == ["id,name,parent"]
        return [{"id": i, "name": tree[i][0], "parent": tree[i][1]}
                for i in map(int, query["include"][0].split(",")) if i in tree]

    fake = Site({"/wp-json/wp/v2/categories": answer})
    site = wordpress.Site(api=f"{HOME}/wp-json/", home=HOME, name="S", language="en", gmt_offset=0)
    terms = wordpress.categories(fake, site, {3, 4, 99})
    assert len(fake.asked) == 3  # the posts' categories, then the parent, then the grandparent
    chains = wordpress.category_chains({"categories": [3, 4, 99]}, terms)
    assert chains == [["World", "Europe", "Balkans & more"], ["News"]]


def test_a_loop_in_the_parents_ends_the_chain():
    terms = {1: wordpress.Term("A", 2), 2: wordpress.Term("B", 1)}
    assert wordpress.category_chains({"categories": [1]}, terms) == [["B", "A"]]


def test_discovery_takes_the_whole_category_tree_and_batches_ask_only_what_it_lacks():
    tree = [{"id": 1, "name": "World", "parent": 0}, {"id": 2, "name": "Europe &amp; more", "parent": 1}]
    fake = Site({"/wp-json/": INDEX, "/wp-json/wp/v2/types": TYPES, "/": PAGE,
                 "/wp-json/wp/v2/categories": tree})
    site = wordpress.discover(fake, HOME + "/")
    assert site.terms() == {1: wordpress.Term("World", 0), 2: wordpress.Term("Europe & more", 1)}
    # As the batches get it back from Redis (wordpress_sync.Sites): JSON.
    assert wordpress.Site(**json.loads(json.dumps(asdict(site)))).terms() == site.terms()
    # Made after the sync began: 5, under 4, under the known 1.
    assert wordpress.missing_categories({2, 5}, site.terms()) == {5}
    assert wordpress.missing_categories({2}, site.terms()) == set()


def test_a_site_that_will_not_list_its_categories_is_still_read():
    fake = Site({"/wp-json/": INDEX, "/wp-json/wp/v2/types": TYPES, "/": PAGE})
    assert wordpress.discover(fake, HOME + "/").categories == ()
