"""The category facet as a tree, against real Elasticsearch: a parent's value finds its
children's articles, and the API and the page show children under their parents."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest

from indexer import category_paths
from indexer.clean.metadata.model import unique
from tests.web.conftest import _make_app

pytestmark = pytest.mark.integration

# Chains of each article's categories, root first; "News" under two parents stays two paths.
CHAINS: list[list[tuple[str, ...]]] = [
    [("World",)],
    [("World", "Europe")],
    [("World", "Europe", "Balkans")],
    [("World", "Europe", "Balkans")],
    [("World", "Asia"), ("Sport", "News")],
    [("World", "News")],
    [("Sport",)],
    [("Sport", "Cycling")],
]


def _page(n: int, chains: list[tuple[str, ...]]) -> dict[str, Any]:
    content = f"Harbour story {n}: the ferries run again from the old quay."
    return {"url": f"https://tree.example/{n}", "title": f"Harbour story {n}", "content": content,
            "categories": unique([c[-1] for c in chains]), "category_paths": category_paths.expand(chains),
            "published": f"202{n % 4}-03-0{1 + n % 8}T09:00:00+00:00", "language": "en", "type": "post",
            "kind": "article", "content_hash": hashlib.sha256(content.encode()).hexdigest()}


PAGES = [_page(n, chains) for n, chains in enumerate(CHAINS)]


@pytest.fixture(scope="module")
def tree_client(index_corpus) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    for prefix in index_corpus(PAGES, "tree"):
        yield _make_app(prefix).test_client()


def _under(path: str) -> set[str]:
    """URLs of the articles in ``path`` or any category below it, from the corpus."""
    return {p["url"] for p in PAGES if any(c == path or c.startswith(path + " > ")
                                           for c in p["category_paths"])}


def _urls(client, **params) -> set[str]:  # type: ignore[no-untyped-def]
    body = client.get("/api/search", query_string={**params, "size": 50}).get_json()
    return {hit["url"] for hit in body["hits"]}


@pytest.mark.parametrize("path", ["World", "World > Europe", "World > Europe > Balkans", "Sport"])
def test_a_parent_finds_its_descendants_articles(tree_client, path: str) -> None:
    assert _urls(tree_client, category=path) == _under(path)
    assert len(_under("World")) == 6


def test_a_child_alone_finds_only_its_own_and_a_shared_name_stays_apart(tree_client) -> None:
    assert _urls(tree_client, category="World > News") == {"https://tree.example/5"}
    assert _urls(tree_client, category="Sport > News") == {"https://tree.example/4"}


def test_the_api_lists_children_under_their_parent_with_counts_of_their_subtrees(tree_client) -> None:
    body = tree_client.get("/api/search", query_string={"category": "World > Europe"}).get_json()
    shown = [(v["value"], v["label"], v["parent"], v["depth"], v["count"], v["selected"])
             for v in body["facets"]["category"]]
    counts = {path: len(_under(path)) for path in {c for p in PAGES for c in p["category_paths"]}}
    # Siblings by count, then by name (Elasticsearch's terms order); each parent before its children.
    assert shown == [
        ("World", "World", None, 0, counts["World"], False),
        ("World > Europe", "Europe", "World", 1, counts["World > Europe"], True),
        ("World > Europe > Balkans", "Balkans", "World > Europe", 2,
         counts["World > Europe > Balkans"], False),
        ("World > Asia", "Asia", "World", 1, 1, False),
        ("World > News", "News", "World", 1, 1, False),
        ("Sport", "Sport", None, 0, counts["Sport"], False),
        ("Sport > Cycling", "Cycling", "Sport", 1, 1, False),
        ("Sport > News", "News", "Sport", 1, 1, False),
    ]
    assert body["total"] == counts["World > Europe"]
    assert body["hits"][0]["category_paths"]


def test_the_page_indents_children_under_their_parent(tree_client) -> None:
    html = tree_client.get("/search", query_string={"q": "harbour"}).get_data(as_text=True)
    facet = html[html.index('id="facet-category"'):]
    facet = facet[:facet.index("</fieldset>")]
    europe = facet.index('value="World &gt; Europe"')
    assert facet.index('value="World"') < europe < facet.index('value="World &gt; Europe &gt; Balkans"')
    item = facet[facet.rindex("<li", 0, europe):facet.index("</li>", europe)]
    assert 'class="depth-1"' in item
    # Its own name shown, its ancestors read out before it.
    assert '<span class="visually-hidden">World › </span>Europe' in item
