"""Related articles on real Elasticsearch and Redis: what readers must never be shown beside an
article, the category restriction, and the article without a vector."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from indexer import embedding
from indexer.embedding import Embedder
from indexer.index import lifecycle, mapping, takedown_list
from indexer.index.bulk import BulkOptions
from indexer.index.documents import document_id
from indexer.index.indexing import index_pages
from indexer.index.names import IndexNames
from indexer.related import NotIndexed, related
from tests.indices import drop_prefix
from tests.news import article

pytestmark = pytest.mark.integration

OPTIONS = BulkOptions(initial_backoff=0.1)
SITE = "https://daily.example.org"


def _article(slug: str, title: str, content: str, category: str, **options: Any) -> dict[str, Any]:
    return article(SITE, slug, title, content, category, **options)


PRISON = _article("prison", "Protest leader sentenced to four years in prison",
                  "The opposition activist was sent to prison after a short trial; her lawyers say the "
                  "prison sentence is harsh and the trial was unfair.", "World")
APPEAL = _article("appeal", "Activist appeals her prison sentence",
                  "Lawyers for the opposition activist lodged an appeal against the prison sentence, "
                  "saying the trial was unfair.", "World")
REPORTER = _article("reporter", "Reporter freed from prison",
                    "The journalist was released from prison after the court dropped every charge; his "
                    "lawyers called the trial unfair.", "Politics")
TAKEN = _article("taken", "Prison sentence for the protest organiser",
                 "A second opposition activist received a prison sentence after a trial her lawyers "
                 "call unfair.", "World")
# Indexed without a vector (a page from before the model, or one with nothing to embed).
NOVEC = _article("novec", "Appeal court hears the activist's case",
                 "The appeal court heard lawyers for the opposition activist argue that the trial and "
                 "the prison sentence were unfair.", "World")
OTHERS = [
    _article("derby", "United win the derby in extra time",
             "The striker scored twice as the home side beat their rivals in the league match.", "Sport"),
    _article("soup", "A simple recipe for tomato soup",
             "Roast the tomatoes with garlic and onion, then blend with stock and basil.", "Food"),
    _article("flood", "River bursts its banks after heavy rain",
             "Flood water reached homes in the valley and residents were evacuated by boat.", "Local"),
    _article("rocket", "Rocket launch puts satellite in orbit",
             "The spacecraft lifted off from the coast and deployed its payload into orbit.", "Science"),
    _article("concert", "Orchestra plays a sold-out concert",
             "The symphony performed to a full hall, with the violin soloist winning a standing ovation.",
             "Culture"),
]
DUPLICATE = _article("prison-copy", "Protest leader sentenced (syndicated)", PRISON["content"], "World",
                     content_hash=PRISON["content_hash"])
LISTING = _article("prison-listing", "Prison and sentencing: all our stories",
                   "Every story about the opposition activist, her prison sentence, the trial and the "
                   "appeal by her lawyers.", "World", kind="listing")
WITH_VECTORS = [PRISON, APPEAL, REPORTER, TAKEN, *OTHERS, DUPLICATE, LISTING]


def ident(page: dict[str, Any]) -> str:
    return document_id(page["url"])


def ids(answer: dict[str, Any]) -> list[str]:
    return [hit["id"] for hit in answer["hits"]]


def _build(es: Elasticsearch, embedder: Embedder) -> Iterator[IndexNames]:
    names = IndexNames(f"test-rel-{uuid.uuid4().hex[:10]}")
    try:
        lifecycle.ensure_index(es, names, mapping.load())
        assert index_pages(es, names.write_alias, WITH_VECTORS, OPTIONS, embedder=embedder).complete
        assert index_pages(es, names.write_alias, [NOVEC], OPTIONS).complete
        es.indices.refresh(index=names.read_alias)
        yield names
    finally:
        drop_prefix(es, names)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    loaded = embedding.load("wordllama:256")
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def names(es: Elasticsearch, embedder: Embedder) -> Iterator[IndexNames]:  # type: ignore[no-untyped-def]
    yield from _build(es, embedder)


@pytest.fixture
def own_names(es: Elasticsearch, embedder: Embedder) -> Iterator[IndexNames]:  # type: ignore[no-untyped-def]
    """An index of this test's own, for one that changes what is in it."""
    yield from _build(es, embedder)


def test_the_corpus_is_as_the_tests_assume(es: Elasticsearch, names: IndexNames) -> None:
    source = {ident(p): es.get(index=names.read_alias, id=ident(p))["_source"]
              for p in [*WITH_VECTORS, NOVEC]}
    assert source[ident(DUPLICATE)]["duplicate_of"] == PRISON["url"]
    assert source[ident(LISTING)]["kind"] == "listing"
    assert all(embedding.FIELD in source[ident(p)] for p in WITH_VECTORS)
    assert embedding.FIELD not in source[ident(NOVEC)]


@pytest.mark.parametrize("size", [3, 20])
def test_related_never_include_the_article_its_duplicates_or_listing_pages(
        es: Elasticsearch, names: IndexNames, size: int) -> None:
    answer = related(es, names.read_alias, PRISON["url"], size=size)
    assert answer["url"] == PRISON["url"]
    found = ids(answer)
    assert found and len(found) <= size and len(found) == len(set(found))
    assert not {ident(PRISON), ident(DUPLICATE), ident(LISTING)} & set(found)
    # The prison stories are the nearest, not the derby or the soup.
    assert set(found[:3]) <= {ident(p) for p in (APPEAL, REPORTER, TAKEN, NOVEC)}, \
        [h["title"] for h in answer["hits"]]


def test_a_duplicates_related_articles_leave_out_its_original_and_itself(
        es: Elasticsearch, names: IndexNames) -> None:
    found = ids(related(es, names.read_alias, DUPLICATE["url"], size=20))
    assert found and not {ident(DUPLICATE), ident(LISTING)} & set(found)
    # The original is the same article under another URL: never "related" to its copy.
    # (duplicate_of holds the original's URL; the excluded ids must hold its id.)
    assert ident(PRISON) not in found, [h["url"] for h in related(es, names.read_alias, DUPLICATE["url"],
                                                                    size=20)["hits"]]


def test_a_listing_pages_related_articles_are_articles(es: Elasticsearch, names: IndexNames) -> None:
    found = ids(related(es, names.read_alias, LISTING["url"], size=20))
    assert found and not {ident(LISTING), ident(DUPLICATE)} & set(found)


def test_same_category_keeps_only_articles_sharing_one(es: Elasticsearch, names: IndexNames) -> None:
    everywhere = related(es, names.read_alias, PRISON["url"], size=20)
    assert ident(REPORTER) in ids(everywhere)  # Politics: related, but of another category
    within = related(es, names.read_alias, PRISON["url"], size=20, same_category=True)
    assert within["hits"] and ident(REPORTER) not in ids(within)
    assert all("World" in hit["categories"] for hit in within["hits"]), within["hits"]
    assert not {ident(PRISON), ident(DUPLICATE), ident(LISTING)} & set(ids(within))


def test_a_url_not_indexed_raises_not_indexed(es: Elasticsearch, names: IndexNames) -> None:
    with pytest.raises(NotIndexed):
        related(es, names.read_alias, f"{SITE}/never-written")


def test_an_article_without_a_vector_still_gets_more_like_this_results(
        es: Elasticsearch, names: IndexNames) -> None:
    answer = related(es, names.read_alias, NOVEC["url"], size=5)
    found = ids(answer)
    assert found and ident(NOVEC) not in found
    assert not {ident(DUPLICATE), ident(LISTING)} & set(found)
    assert set(found) & {ident(p) for p in (PRISON, APPEAL, TAKEN)}


def test_an_article_is_found_as_related_by_its_vector_as_well(es: Elasticsearch, names: IndexNames) -> None:
    # The article without a vector is only reachable by words; the ones with vectors by both.
    found = ids(related(es, names.read_alias, APPEAL["url"], size=20))
    assert {ident(PRISON), ident(TAKEN), ident(NOVEC)} <= set(found)


def test_taken_down_pages_never_appear(
        es: Elasticsearch, redis_client, own_names: IndexNames) -> None:  # type: ignore[no-untyped-def]
    namespace = f"{own_names.prefix}-ns"

    def blocked(candidates: Iterable[str]) -> set[str]:
        # As web/search/results.py passes it.
        return takedown_list.blocked(redis_client, namespace, candidates)

    try:
        before = ids(related(es, own_names.read_alias, PRISON["url"], size=20, blocked=blocked))
        assert ident(TAKEN) in before
        record = takedown_list.remove(es, own_names, redis_client, namespace, TAKEN["url"], "court order",
                                      "test")
        assert record.indices
        es.indices.refresh(index=own_names.read_alias)
        assert ident(TAKEN) not in ids(related(es, own_names.read_alias, PRISON["url"], size=20,
                                                blocked=blocked))
        # A write that was in flight at the takedown lands afterwards (the race the check closes):
        # the page is in the index again, and still never shown.
        assert index_pages(es, own_names.write_alias, [TAKEN], OPTIONS,
                           embedder=embedding.load("wordllama:256")).complete
        es.indices.refresh(index=own_names.read_alias)
        assert es.exists(index=own_names.read_alias, id=ident(TAKEN))
        unchecked = ids(related(es, own_names.read_alias, PRISON["url"], size=20))
        assert ident(TAKEN) in unchecked
        checked = related(es, own_names.read_alias, PRISON["url"], size=20, blocked=blocked)
        assert ident(TAKEN) not in ids(checked) and checked["hits"]
        # Leaving it out does not leave the answer short when there are more to give.
        small = related(es, own_names.read_alias, PRISON["url"], size=3, blocked=blocked)
        assert len(small["hits"]) == 3 and ident(TAKEN) not in ids(small)
    finally:
        redis_client.delete(f"{namespace}:takedowns", f"{namespace}:takedown-ids")
