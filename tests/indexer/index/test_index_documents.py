from __future__ import annotations

from datetime import UTC, datetime

import pytest

from indexer.clean import Page
from indexer.index.documents import DocumentError, canonical_url, document_id, from_page

pytestmark = pytest.mark.unit

WHEN = datetime(2026, 11, 28, 9, 0, 0, 250000, tzinfo=UTC)


def _page(**fields: object) -> Page:
    defaults: dict[str, object] = {"url": "https://Example.org/news/a?id=2#comments", "title": "A",
                                   "content": "Some text", "content_hash": "abc", "word_count": 2}
    return Page(**{**defaults, **fields})  # type: ignore[arg-type]


def test_id_is_stable_across_cosmetic_url_differences() -> None:
    assert document_id("https://example.org/news/a?id=2") == document_id("HTTPS://EXAMPLE.ORG/news/a?id=2#x")
    assert document_id("https://example.org/news/a") != document_id("https://example.org/news/a/")
    assert document_id("https://example.org/") == document_id("https://example.org")


def test_path_case_and_query_are_kept() -> None:
    assert canonical_url(" https://Example.org/News/A?b=1 ") == "https://example.org/News/A?b=1"


def test_document_from_a_page() -> None:
    document = from_page(_page(categories=["Politics"], noindex=True), ingested_at=WHEN)
    assert document.id == document_id("https://example.org/news/a?id=2")
    assert document.source["url"] == "https://example.org/news/a?id=2"
    assert document.source["site"] == "example.org"
    assert document.source["ingested_at"] == "2026-11-28T09:00:00.250+00:00"
    assert document.source["categories"] == ["Politics"]
    assert document.version == int(WHEN.timestamp() * 1000)
    # Pipeline-only fields and empty values stay out of the strict mapping.
    assert {"noindex", "nofollow", "diagnostics", "description", "published"}.isdisjoint(document.source)


def test_categories_without_paths_are_top_level_paths_and_stated_paths_are_kept() -> None:
    named = from_page({"url": "https://example.org/a", "categories": ["Politics", "Energy"]},
                      ingested_at=WHEN)
    assert named.source["category_paths"] == ["Politics", "Energy"]
    nested = from_page(_page(categories=["Europe"], category_paths=["World", "World > Europe"]),
                       ingested_at=WHEN)
    assert nested.source["category_paths"] == ["World", "World > Europe"]
    assert from_page({"url": "https://example.org/a"}, ingested_at=WHEN).source["category_paths"] == []


def test_a_dict_works_like_a_page() -> None:
    page = _page()
    assert from_page(page.to_dict(), ingested_at=WHEN) == from_page(page, ingested_at=WHEN)


@pytest.mark.parametrize("url", [None, "", "/relative/path", "example.org/a"])
def test_a_page_without_an_absolute_url_is_refused(url: str | None) -> None:
    with pytest.raises(DocumentError):
        from_page(_page(url=url))
