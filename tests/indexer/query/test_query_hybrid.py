"""The hybrid search's bodies: what each side filters, counts and returns."""

from __future__ import annotations

import datetime as dt

import pytest
from werkzeug.datastructures import MultiDict

from indexer.query import SearchRequest, SearchRequestError, build_search, parse_search_args
from indexer.query import builder as b
from indexer.query.ranking import DEFAULT, Ranking
from indexer.query.request import parse_related_args

pytestmark = pytest.mark.unit

VECTOR = [0.1] * 4
REQ = SearchRequest(q='solar -coal "wind farm"', filters={"category": ("Energy",)},
                    date_from=dt.date(2024, 1, 1), page=2, size=10, mode="hybrid")


def filters_of(knn: dict) -> list:
    return knn["filter"]["bool"]["filter"]


def test_the_vector_side_obeys_the_dates_exclusions_and_hidden_articles() -> None:
    knn = b.knn_clause(REQ, VECTOR, DEFAULT)
    required = filters_of(knn)
    assert any("range" in clause for clause in required)
    # The excluded word is excluded from the neighbours too.
    assert any(c.get("simple_query_string", {}).get("query") == "-coal" for c in required)
    assert knn["filter"]["bool"]["must_not"] == b.hidden_clauses()
    assert knn["k"] == DEFAULT.semantic_k and knn["num_candidates"] >= knn["k"]
    assert knn["similarity"] == DEFAULT.min_similarity


def test_facet_selections_narrow_the_vector_side_after_the_knn() -> None:
    """Inside the knn a selection would change the neighbours, and so the counts of the
    facet's other values: it is a post_filter on both sides instead."""
    assert {"terms": {"category_paths": ["Energy"]}} not in filters_of(b.knn_clause(REQ, VECTOR, DEFAULT))
    selected = {"bool": {"filter": [{"terms": {"category_paths": ["Energy"]}}]}}
    assert b.build_semantic_ranks(REQ, VECTOR)["post_filter"] == selected
    assert b.build_lexical_ranks(REQ, 100)["post_filter"] == selected
    assert b.build_hybrid_counts(REQ, ["a"])["post_filter"] == selected


def test_the_neighbours_outside_a_selection_are_listed_for_the_counts() -> None:
    body = b.build_semantic_ranks(REQ, VECTOR)
    assert body["aggs"][b.NEAREST_AGG]["top_hits"]["size"] == DEFAULT.semantic_k
    answer = {"hits": {"hits": [url_hit("in")]},
              "aggregations": {b.NEAREST_AGG: {"hits": {"hits": [url_hit("out"), url_hit("in")]}}}}
    assert b.nearest_urls(answer) == ["out", "in"]
    # Without a selection the hits are every neighbour: no aggregation is asked for.
    plain = b.build_semantic_ranks(SearchRequest(q="solar"), VECTOR)
    assert not {"post_filter", "aggs"} & set(plain)
    assert b.nearest_urls({"hits": {"hits": [url_hit("a")]}}) == ["a"]


def url_hit(url: str) -> dict:
    return {"_score": 1.0, "fields": {"url": [url]}}


def test_the_rankings_name_articles_by_url_from_doc_values() -> None:
    """An _id would unpack each hit's stored fields, _source and all."""
    for body in (b.build_lexical_ranks(REQ, 100), b.build_semantic_ranks(REQ, VECTOR),
                 b.build_semantic_ranks(REQ, VECTOR)["aggs"][b.NEAREST_AGG]["top_hits"]):
        assert body["stored_fields"] == "_none_" and body["docvalue_fields"] == ["url"]
        assert body["_source"] is False


def test_no_similarity_floor_is_sent_when_it_is_zero() -> None:
    assert "similarity" not in b.knn_clause(REQ, VECTOR, Ranking(min_similarity=0.0))


def test_counts_cover_both_sides_with_facets_and_no_hits() -> None:
    body = b.build_hybrid_counts(REQ, ["https://ex.org/a", "https://ex.org/b"])
    assert body["size"] == 0 and body["track_total_hits"] is True and "aggs" in body
    assert not {"highlight", "rescore", "sort", "from"} & set(body)
    either = body["query"]["bool"]["should"]
    # The same BM25 query as a lexical search, so its matches are counted the same.
    assert either == [build_search(REQ)["query"], {"terms": {"url": ["https://ex.org/a", "https://ex.org/b"]}}]


def test_the_bm25_side_ranks_from_the_top_without_counting() -> None:
    body = b.build_lexical_ranks(REQ, 100)
    assert body["from"] == 0 and body["size"] == 100 and "rescore" in body
    assert body["track_total_hits"] is False
    assert not {"aggs", "highlight"} & set(body) and body["query"] == build_search(REQ)["query"]


def test_the_vector_side_returns_ids_only() -> None:
    body = b.build_semantic_ranks(REQ, VECTOR)
    assert body["size"] == DEFAULT.semantic_k
    assert not {"query", "highlight"} & set(body)


def test_the_page_marks_the_readers_words_in_every_snippet() -> None:
    body = b.build_page(REQ, ["https://ex.org/a", "https://ex.org/b"])
    assert body["query"] == {"terms": {"url": ["https://ex.org/a", "https://ex.org/b"]}} and body["size"] == 2
    assert body["highlight"]["highlight_query"]["bool"]["must"]
    assert "embedding" not in body["_source"]


def test_the_vector_probe_stops_at_the_first_vector() -> None:
    probe = b.build_vector_probe()
    assert probe["query"] == {"exists": {"field": "embedding"}} and probe["terminate_after"] == 1


def test_the_query_vector_is_made_of_the_ranked_words_only() -> None:
    assert b.semantic_text(SearchRequest(q="what is the cost of solar -coal")) == "cost solar"


@pytest.mark.parametrize(("req", "hybrid"), [
    (SearchRequest(q="solar"), True),
    (SearchRequest(q=""), False),
    (SearchRequest(q="solar", exact=True), False),
    (SearchRequest(q="solar", fields=("title",)), False),
    (SearchRequest(q="solar", sort="newest"), True),  # the same results, in date order
])
def test_only_a_search_of_title_and_body_can_be_hybrid(req: SearchRequest, hybrid: bool) -> None:
    assert req.can_be_hybrid is hybrid


def test_mode_and_explain_are_read_and_checked() -> None:
    req = parse_search_args(MultiDict({"q": "x", "mode": "Lexical", "explain": "1"}))
    assert req.mode == "lexical" and req.explain
    assert parse_search_args(MultiDict({"q": "x"})).mode is None  # the site's default, decided later
    with pytest.raises(SearchRequestError, match="hybrid or lexical"):
        parse_search_args(MultiDict({"q": "x", "mode": "semantic"}))


def test_related_requests_need_an_http_url_and_a_bounded_size() -> None:
    req = parse_related_args(MultiDict({"url": "https://ex.org/a", "size": "3", "same_category": "1"}),
                             default_size=5, max_size=20)
    assert (req.url, req.size, req.same_category) == ("https://ex.org/a", 3, True)
    for bad in ({}, {"url": "javascript:alert(1)"}, {"url": "https://ex.org/a", "size": "21"}):
        with pytest.raises(SearchRequestError):
            parse_related_args(MultiDict(bad), default_size=5, max_size=20)
