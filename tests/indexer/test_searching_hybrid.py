"""Hybrid search end to end on real Elasticsearch: vectors computed by the production indexing
path (``index_pages(..., embedder=...)``), queries embedded and fused by ``indexer.searching``.

The corpus is a dozen short news articles on distinct subjects. The synonym queries were
chosen by measuring wordllama:256 (cosine of the query and the article's text, well above
``MIN_SIMILARITY``) and share no word, not even a stem, with the article they must find.
"""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from elasticsearch import Elasticsearch

from indexer import embedding, searching
from indexer.curation.best_bets import BestBet, Pin, Target
from indexer.curation.model import Curation
from indexer.embedding import Embedder
from indexer.index import lifecycle, mapping
from indexer.index.bulk import BulkOptions
from indexer.index.documents import document_id
from indexer.index.indexing import index_pages
from indexer.index.mapping import IndexSpec
from indexer.index.names import IndexNames
from indexer.query import SearchRequest
from indexer.query.ranking import DEFAULT, Ranking
from tests.indices import drop_prefix
from tests.news import article

pytestmark = pytest.mark.integration

MODEL = "wordllama:256"
OPTIONS = BulkOptions(initial_backoff=0.1)
SITE = "https://daily.example.org"


def _article(slug: str, title: str, content: str, category: str, published: str,
             **options: Any) -> dict[str, Any]:
    return article(SITE, slug, title, content, category, published=published, **options)


PRISON = _article("prison", "Protest leader sentenced to four years",
                  "The opposition activist was imprisoned after a short trial; her lawyers say the prison "
                  "conditions are harsh.", "World", "2024-03-10")
# Also found by "jailed" (by meaning), and without the word "harsh".
DETAINED = _article("detained", "Reporter freed from prison",
                    "The journalist was released from prison after the court dropped every charge "
                    "against him.", "Politics", "2023-06-15")
HOSPITAL = _article("hospital", "Hospital waiting lists grow longer",
                    "Patients wait months for surgery as doctors and nurses struggle with demand.",
                    "Health", "2023-10-05")
ARTICLES: list[dict[str, Any]] = [
    PRISON, DETAINED, HOSPITAL,
    _article("outage", "Storm leaves thousands without electricity",
             "An electricity outage hit the northern districts overnight as the grid failed; engineers "
             "restored supply by morning.", "Local", "2024-05-02"),
    _article("derby", "United win the derby in extra time",
             "The striker scored twice as the home side beat their rivals in the league match.",
             "Sport", "2023-08-19"),
    _article("election", "Voters choose a new parliament",
             "Turnout was high as citizens cast ballots for the national assembly; the governing party "
             "lost seats.", "Politics", "2024-06-01"),
    _article("soup", "A simple recipe for tomato soup",
             "Roast the tomatoes with garlic and onion, then blend with stock and basil.",
             "Food", "2022-11-11"),
    _article("flood", "River bursts its banks after heavy rain",
             "Flood water reached homes in the valley and residents were evacuated by boat.",
             "Local", "2023-02-14"),
    _article("strike", "Teachers strike over classroom sizes",
             "Pupils stayed home as the teachers union walked out demanding smaller classes.",
             "Education", "2024-01-20"),
    _article("prices", "Prices rise at the fastest rate in a decade",
             "Inflation pushed up the cost of food and rent; the central bank raised interest rates.",
             "Business", "2024-04-04"),
    _article("rocket", "Rocket launch puts satellite in orbit",
             "The spacecraft lifted off from the coast and deployed its payload into orbit.",
             "Science", "2022-07-07"),
    _article("concert", "Orchestra plays a sold-out concert",
             "The symphony performed to a full hall, with the violin soloist winning a standing ovation.",
             "Culture", "2023-12-12"),
    _article("trains", "Rail commuters face delays",
             "Train services were cancelled after a signal failure at the main station; homes near the "
             "line lost their evening trains.", "Local", "2024-02-02"),
]
# Hidden from readers: a second URL with the prison story's text, and a listing page about it.
DUPLICATE = _article("prison-copy", "Protest leader sentenced to four years (syndicated)", PRISON["content"],
                     "World", "2024-03-11", content_hash=PRISON["content_hash"])
LISTING = _article("prison-listing", "Prison and sentencing: all our stories",
                   "Every story about activists imprisoned, prisons and sentences, newest first.",
                   "World", "2024-03-12", kind="listing")
HIDDEN = [DUPLICATE, LISTING]
VISIBLE = ARTICLES


def ident(page: dict[str, Any]) -> str:
    return document_id(page["url"])


def without_vectors(spec: IndexSpec, version: int | None = None) -> IndexSpec:
    """``spec`` as it was before vectors: no ``embedding`` property."""
    mappings = copy.deepcopy(spec.mappings)
    del mappings["properties"][embedding.FIELD]
    return IndexSpec(version or spec.version, copy.deepcopy(spec.settings), mappings)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    loaded = embedding.load(MODEL)
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def prefix(es: Elasticsearch, embedder: Embedder) -> Iterator[str]:  # type: ignore[no-untyped-def]
    names = IndexNames(f"test-hyb-{uuid.uuid4().hex[:10]}")
    try:
        lifecycle.ensure_index(es, names, mapping.load())
        # Originals first: the copy is marked a duplicate of the prison story.
        tally = index_pages(es, names.write_alias, [*ARTICLES, *HIDDEN], OPTIONS, embedder=embedder)
        assert tally.complete and tally.indexed == len(ARTICLES) + len(HIDDEN) - 1, tally.summary()
        es.indices.refresh(index=names.read_alias)
        yield names.prefix
    finally:
        drop_prefix(es, names)


@pytest.fixture(scope="module")
def old_prefix(es: Elasticsearch) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The same articles in an index made from the mapping before vectors (version 2)."""
    names = IndexNames(f"test-hyb-old-{uuid.uuid4().hex[:8]}")
    try:
        lifecycle.install_template(es, names, without_vectors(mapping.load(), 2))
        es.indices.create(index=names.concrete(2), aliases={names.read_alias: {},
                                                             names.write_alias: {"is_write_index": True}})
        tally = index_pages(es, names.write_alias, ARTICLES, OPTIONS)
        assert tally.complete, tally.summary()
        es.indices.refresh(index=names.read_alias)
        yield names.prefix
    finally:
        drop_prefix(es, names)


def hybrid(es: Elasticsearch, prefix: str, embedder: Embedder | None, q: str, *,
           ranking: Ranking = DEFAULT, **fields: Any) -> dict[str, Any]:
    return searching.search(es, prefix, SearchRequest(q=q, mode="hybrid", **fields), embedder=embedder,
                            ranking=ranking)


def lexical(es: Elasticsearch, prefix: str, q: str, **fields: Any) -> dict[str, Any]:
    return searching.search(es, prefix, SearchRequest(q=q, mode="lexical", **fields))


def ids(result: dict[str, Any]) -> list[str]:
    return [hit["id"] for hit in result["hits"]]


def words_of(page: dict[str, Any]) -> set[str]:
    text = f"{page['title']} {page['content']}".lower()
    return {w.strip(".,;:()'") for w in text.split()}


# The synonym-only queries -------------------------------------------------------------------

@pytest.mark.parametrize(("q", "target"), [("jailed", PRISON), ("medical care", HOSPITAL)])
def test_a_synonym_only_query_finds_its_article_in_hybrid_mode_not_in_lexical(
        es: Elasticsearch, prefix: str, embedder: Embedder, q: str, target: dict[str, Any]) -> None:
    # The premise: the article shares no word with the query, so BM25 cannot find it.
    assert not set(q.split()) & words_of(target)
    words = lexical(es, prefix, q)
    assert words["mode"] == "lexical" and ident(target) not in ids(words)
    meaning = hybrid(es, prefix, embedder, q)
    assert meaning["mode"] == "hybrid"
    assert ids(meaning)[0] == ident(target), [h["title"] for h in meaning["hits"]]
    assert meaning["total"] == len(meaning["hits"]) >= 1


def test_nonsense_words_do_not_bring_back_the_whole_index(
        es: Elasticsearch, prefix: str, embedder: Embedder) -> None:
    for q in ("zxqvy blorf", "flibbertigibbet wuzzle", "qwzx vbnm krrt"):
        result = hybrid(es, prefix, embedder, q)
        assert result["mode"] == "hybrid"
        # Below MIN_SIMILARITY no neighbour counts: nothing, not the dozen articles.
        assert result["total"] == len(result["hits"]) == 0, (q, [h["title"] for h in result["hits"]])
    # Without the floor the vector side would answer with every visible article.
    floorless = hybrid(es, prefix, embedder, "zxqvy blorf", ranking=replace(DEFAULT, min_similarity=0.0))
    assert floorless["total"] == len(VISIBLE)


# Totals, paging, facets and filters ---------------------------------------------------------

RANKINGS = {
    "default": DEFAULT,
    # A narrow fused window and few neighbours: the tail of the BM25 ranking past the window,
    # and a union where each side has hits the other lacks, are both on the pages.
    "narrow": replace(DEFAULT, lexical_window=3, semantic_k=4, min_similarity=0.0),
}


@pytest.mark.parametrize("ranking_name", list(RANKINGS))
@pytest.mark.parametrize("q", ["jailed", "homes", "homes trains prices"])
def test_paging_through_every_page_meets_each_hit_once_and_the_total_is_exact(
        es: Elasticsearch, prefix: str, embedder: Embedder, q: str, ranking_name: str) -> None:
    ranking = RANKINGS[ranking_name]
    first = hybrid(es, prefix, embedder, q, ranking=ranking, size=2)
    assert first["mode"] == "hybrid" and first["total"] >= 1
    seen: list[str] = []
    page = 1
    while True:
        result = hybrid(es, prefix, embedder, q, ranking=ranking, size=2, page=page)
        assert result["total"] == first["total"], page
        if not result["hits"]:
            break
        seen += ids(result)
        page += 1
        assert page < 20
    assert len(seen) == len(set(seen)) == first["total"], (seen, first["total"])
    # What the lexical search finds is all there, and the rest are vector neighbours.
    assert set(ids(lexical(es, prefix, q, size=50))) <= set(seen)


def test_a_facet_filter_narrows_both_sides_and_facets_are_counted(
        es: Elasticsearch, prefix: str, embedder: Embedder) -> None:
    everything = hybrid(es, prefix, embedder, "jailed")
    assert {ident(PRISON), ident(DETAINED)} <= set(ids(everything))
    counts = {v["value"]: v["count"] for v in everything["facets"]["category"]}
    assert counts.get("World") == 1 and counts.get("Politics", 0) >= 1
    assert sum(counts.values()) == everything["total"]

    world = hybrid(es, prefix, embedder, "jailed", filters={"category": ("World",)})
    assert world["mode"] == "hybrid" and ids(world) == [ident(PRISON)] and world["total"] == 1
    by_id = {ident(p): p for p in VISIBLE}
    assert all("World" in by_id[i]["categories"] for i in ids(world))
    politics = hybrid(es, prefix, embedder, "jailed", filters={"category": ("Politics",)})
    assert ident(DETAINED) in ids(politics) and ident(PRISON) not in ids(politics)
    assert all("Politics" in by_id[i]["categories"] for i in ids(politics))
    assert politics["total"] == len(politics["hits"])


def test_facet_counts_of_other_values_do_not_change_when_one_is_ticked(
        es: Elasticsearch, prefix: str, embedder: Embedder) -> None:
    """The builder's rule (OR within a facet): a facet in use keeps showing its other values
    with the counts they would have if ticked. Lexically this holds; in hybrid mode the
    vector side is narrowed by the facet's own selection, so it must not change the counts."""
    everything = hybrid(es, prefix, embedder, "jailed")
    picked = hybrid(es, prefix, embedder, "jailed", filters={"category": ("World",)})
    before = {v["value"]: v["count"] for v in everything["facets"]["category"]}
    after = {v["value"]: v["count"] for v in picked["facets"]["category"]}
    assert after == before
    # Ticking Politics as well (OR) gives what its count promised.
    both = hybrid(es, prefix, embedder, "jailed", filters={"category": ("World", "Politics")})
    assert both["total"] == after["World"] + after["Politics"]


def test_date_filters_apply_to_both_sides(es: Elasticsearch, prefix: str, embedder: Embedder) -> None:
    since = hybrid(es, prefix, embedder, "jailed", date_from=dt.date(2024, 1, 1))
    assert since["mode"] == "hybrid" and ident(PRISON) in ids(since) and ident(DETAINED) not in ids(since)
    before = hybrid(es, prefix, embedder, "jailed", date_to=dt.date(2023, 12, 31))
    assert ident(DETAINED) in ids(before) and ident(PRISON) not in ids(before)
    published = {ident(p): p["published"][:10] for p in VISIBLE}
    assert all(published[i] >= "2024-01-01" for i in ids(since))
    assert all(published[i] <= "2023-12-31" for i in ids(before))
    assert since["total"] == len(since["hits"]) and before["total"] == len(before["hits"])


def test_the_year_facet_narrows_both_sides(es: Elasticsearch, prefix: str, embedder: Embedder) -> None:
    result = hybrid(es, prefix, embedder, "jailed", filters={"year": ("2024",)})
    assert result["mode"] == "hybrid" and ids(result) == [ident(PRISON)] and result["total"] == 1
    years = {v["value"]: v["count"] for v in result["facets"]["year"]}
    assert years.get(2024) == 1


def test_an_excluded_word_never_appears_in_hybrid_hits(
        es: Elasticsearch, prefix: str, embedder: Embedder) -> None:
    result = hybrid(es, prefix, embedder, "jailed -harsh")
    assert result["mode"] == "hybrid"
    assert ident(PRISON) not in ids(result) and ident(DETAINED) in ids(result)
    by_id = {ident(p): p for p in VISIBLE}
    assert all("harsh" not in words_of(by_id[i]) for i in ids(result))
    assert result["total"] == len(result["hits"])


# The total: one set of results, whatever the order, less what the editors hide ---------------

def curated(es: Elasticsearch, prefix: str, embedder: Embedder, q: str, curation: Curation,
            ranking: Ranking = DEFAULT, **fields: Any) -> dict[str, Any]:
    req = SearchRequest(q=q, mode="hybrid", size=50, **fields)
    return searching.search(es, prefix, req, embedder=embedder, ranking=ranking, curation=curation)


def by_id(page: dict[str, Any]) -> dict[str, Any]:
    return {ident(p): p for p in VISIBLE}[page["id"]]


@pytest.mark.parametrize("ranking_name", list(RANKINGS))
@pytest.mark.parametrize("q", ["jailed", "homes", "homes trains prices"])
def test_hiding_an_article_takes_it_and_only_it_from_the_results_and_pinning_one_moves_it(
        es: Elasticsearch, prefix: str, embedder: Embedder, q: str, ranking_name: str) -> None:
    ranking = RANKINGS[ranking_name]
    before = curated(es, prefix, embedder, q, Curation(), ranking)
    assert before["mode"] == "hybrid" and before["total"] == len(before["hits"]) >= 2
    for hit in before["hits"]:
        rule = BestBet("hide", q, hidden=(Target(hit["id"], hit["url"]),))
        after = curated(es, prefix, embedder, q, Curation((rule,)), ranking)
        assert after["total"] == before["total"] - 1, (hit["title"], ids(after))
        assert set(ids(after)) == set(ids(before)) - {hit["id"]}, hit["title"]
        assert sum(v["count"] for v in after["facets"]["category"]) == after["total"]
    last = before["hits"][-1]
    pin = BestBet("pin", q, pins=(Pin(last["id"], last["url"], 1),))
    pinned = curated(es, prefix, embedder, q, Curation((pin,)), ranking)
    assert ids(pinned)[0] == last["id"] and pinned["total"] == before["total"]
    assert set(ids(pinned)) == set(ids(before))


@pytest.mark.parametrize("sort", ["newest", "oldest"])
@pytest.mark.parametrize("q", ["jailed", "homes", "homes trains prices", "activist trial"])
def test_a_date_order_lists_the_same_results_as_relevance(
        es: Elasticsearch, prefix: str, embedder: Embedder, q: str, sort: str) -> None:
    relevance = hybrid(es, prefix, embedder, q, size=50)
    dated = hybrid(es, prefix, embedder, q, size=50, sort=sort)
    assert dated["total"] == relevance["total"] == len(dated["hits"]), (q, sort)
    assert set(ids(dated)) == set(ids(relevance))
    published = [by_id(hit)["published"] for hit in dated["hits"]]
    assert published == sorted(published, reverse=sort == "newest")
    assert dated["facets"] == relevance["facets"]


# What stays lexical -------------------------------------------------------------------------

@pytest.mark.parametrize("fields", [{"exact": True}, {"fields": ("title",)}])
def test_exact_and_title_only_searches_stay_lexical(
        es: Elasticsearch, prefix: str, embedder: Embedder, fields: dict[str, Any]) -> None:
    result = hybrid(es, prefix, embedder, "jailed", **fields)
    assert result["mode"] == "lexical"
    # Lexical indeed: the synonym finds nothing.
    assert result["total"] == 0 and result["hits"] == []


def test_a_hybrid_request_without_a_model_is_lexical(es: Elasticsearch, prefix: str) -> None:
    result = hybrid(es, prefix, None, "jailed")
    assert result["mode"] == "lexical" and result["total"] == 0
    worded = hybrid(es, prefix, None, "activist trial")
    assert worded["mode"] == "lexical" and ids(worded) == [ident(PRISON)]


# Explanations ---------------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["jailed", "homes", "prison trial activist"])
def test_explain_gives_each_hit_ranks_consistent_with_the_order(
        es: Elasticsearch, prefix: str, embedder: Embedder, q: str) -> None:
    result = hybrid(es, prefix, embedder, q, explain=True, size=50)
    assert result["mode"] == "hybrid" and result["hits"]
    words = ids(lexical(es, prefix, q, size=50))
    explained = [hit["explain"] for hit in result["hits"]]
    for hit, why in zip(result["hits"], explained, strict=True):
        lex, sem = why["lexical_rank"], why["semantic_rank"]
        assert lex is not None or sem is not None
        # A hit the words did not find was found by the vector side alone.
        if hit["id"] not in words:
            assert lex is None and sem is not None and why["similarity"] >= DEFAULT.min_similarity
        expected = (1 / (DEFAULT.rrf_k + lex) if lex else 0.0) + \
                   (DEFAULT.semantic_weight / (DEFAULT.rrf_k + sem) if sem else 0.0)
        assert why["fused_score"] == pytest.approx(expected, abs=1e-6)
    scores = [why["fused_score"] for why in explained]
    assert scores == sorted(scores, reverse=True)
    # Each side's ranks are a ranking: 1, 2, 3... in the order that side gave.
    for side in ("lexical_rank", "semantic_rank"):
        ranks = sorted(why[side] for why in explained if why[side] is not None)
        assert ranks == list(range(1, len(ranks) + 1)), (side, ranks)
    lexical_ranked = sorted((why["lexical_rank"], hit["id"]) for hit, why in zip(result["hits"], explained,
                                                                                  strict=True)
                            if why["lexical_rank"] is not None)
    assert [i for _, i in lexical_ranked] == words


def test_a_hit_found_only_by_meaning_has_no_lexical_rank(
        es: Elasticsearch, prefix: str, embedder: Embedder) -> None:
    result = hybrid(es, prefix, embedder, "jailed", explain=True)
    first = result["hits"][0]
    assert first["id"] == ident(PRISON)
    assert first["explain"]["lexical_rank"] is None and first["explain"]["semantic_rank"] == 1
    assert first["explain"]["lexical_score"] is None
    assert first["explain"]["similarity"] > DEFAULT.min_similarity


# Hidden documents ---------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["jailed", "prison sentences", "protest leader sentenced", "imprisoned"])
@pytest.mark.parametrize("ranking_name", list(RANKINGS))
def test_duplicates_and_listing_pages_never_appear(
        es: Elasticsearch, prefix: str, embedder: Embedder, q: str, ranking_name: str) -> None:
    stored = es.get(index=prefix, id=ident(DUPLICATE))["_source"]
    assert stored["duplicate_of"] == PRISON["url"] and embedding.FIELD in stored
    assert es.get(index=prefix, id=ident(LISTING))["_source"][embedding.FIELD]
    result = hybrid(es, prefix, embedder, q, ranking=RANKINGS[ranking_name], size=50)
    assert result["mode"] == "hybrid" and result["hits"]
    assert not {ident(p) for p in HIDDEN} & set(ids(result))
    assert result["total"] == len(result["hits"])
    assert sum(v["count"] for v in result["facets"]["category"]) == result["total"]


# An index from before vectors ----------------------------------------------------------------

def test_an_index_without_the_vector_field_answers_hybrid_requests_lexically(
        es: Elasticsearch, old_prefix: str, embedder: Embedder) -> None:
    assert embedding.FIELD not in es.indices.get_mapping(index=old_prefix).body[
        lifecycle.current_index(es, IndexNames(old_prefix))]["mappings"]["properties"]
    # No error, and the words' answers.
    words = hybrid(es, old_prefix, embedder, "activist trial", explain=True)
    assert ids(words) == [ident(PRISON)]
    assert words["hits"][0]["explain"]["lexical_rank"] == 1
    meaning = hybrid(es, old_prefix, embedder, "jailed")
    assert meaning["total"] == 0
    faceted = hybrid(es, old_prefix, embedder, "homes", filters={"category": ("Local",)})
    local = lexical(es, old_prefix, "homes", filters={"category": ("Local",)})
    assert faceted["total"] == local["total"] >= 1 and ids(faceted) == ids(local)
    # ...and the answer says they were lexical: there is no vector side in this index.
    assert [words["mode"], meaning["mode"], faceted["mode"]] == ["lexical"] * 3
