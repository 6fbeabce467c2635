"""SearchRequest → Elasticsearch body: fields, operators, facets, paging, highlighting."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from indexer.query import (
    SearchRequest,
    build_autocomplete,
    build_search,
    build_suggestion,
    wants_suggestion,
)
from indexer.query.builder import FEW_HITS, build_hit_check
from indexer.query.ranking import Ranking
from indexer.query.text import FLAGS, as_exact, to_simple_query

pytestmark = pytest.mark.unit


def keys(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from keys(item)


def text_query(body: dict) -> dict:
    return body["query"]["bool"]["must"][0]["simple_query_string"]


def words_clause(body: dict) -> dict:
    return next(c["combined_fields"] for c in body["query"]["bool"]["must"] if "combined_fields" in c)


def first_tier(body: dict) -> dict:
    (tier,) = body["query"]["bool"]["should"]
    return tier["constant_score"]


@pytest.mark.parametrize(("typed", "sent"), [
    ("climate OR weather", "climate | weather"),
    ("climate AND weather", "climate + weather"),
    ("climate or weather", "climate or weather"),
    ('"this OR that" OR other', '"this OR that" | other'),
    ("-coal solar", "-coal solar"),
])
def test_or_and_and_words_become_operators_outside_quotes(typed: str, sent: str) -> None:
    assert to_simple_query(typed) == sent


def test_exact_makes_plain_words_one_phrase_and_keeps_syntax() -> None:
    assert as_exact("climate change") == '"climate change"'
    assert as_exact('"solar power" -coal') == '"solar power" -coal'
    assert as_exact("solar OR wind") == "solar | wind"


def test_a_question_needs_one_content_word_not_every_word() -> None:
    body = build_search(SearchRequest(q="how do I configure the network interface on debian"))
    words = words_clause(body)
    # Stopwords never decide: "how", "do", "I", "the", "on" are not among the words matched.
    assert words["query"] == "configure network interface debian"
    assert words["operator"] == "or"
    assert "minimum_should_match" not in words
    assert [c for c in body["query"]["bool"]["must"] if "simple_query_string" in c] == []


def test_articles_with_every_content_word_form_a_strict_first_tier() -> None:
    body = build_search(SearchRequest(q="network interface"))
    tier = first_tier(body)
    (every,) = tier["filter"]["bool"]["filter"]
    assert every["combined_fields"]["operator"] == "and"
    assert every["combined_fields"]["query"] == "network interface"
    # Above anything BM25F can give a query of a few dozen words (docs/search.md).
    assert tier["boost"] >= 1000


def test_words_are_ranked_by_bm25f_over_title_and_body_title_weighted() -> None:
    fields = dict(f.split("^") for f in words_clause(build_search(SearchRequest(q="x")))["fields"])
    assert set(fields) == {"title", "content"}
    assert float(fields["title"]) > float(fields["content"])


def test_adjacent_words_lift_the_best_hits_as_phrases_in_a_rescore_window() -> None:
    body = build_search(SearchRequest(q="the network interface card"))
    rescore = body["rescore"]
    assert rescore["window_size"] >= 10
    phrases = rescore["query"]["rescore_query"]["bool"]["should"]
    pairs = [c["match_phrase"]["content"]["query"] for c in phrases]
    assert pairs == ["network interface", "interface card"]
    # Elasticsearch refuses a sort beside a rescore: relevance order is the score's.
    assert "sort" not in body
    assert "rescore" not in build_search(SearchRequest(q="network interface", sort="newest"))
    assert "rescore" not in build_search(SearchRequest(q="network"))


def test_phrases_and_or_groups_rank_first_exclusions_filter() -> None:
    body = build_search(SearchRequest(q='"package manager" debian -ubuntu'))
    must = body["query"]["bool"]["must"]
    assert text_query(body)["query"] == "-ubuntu"
    assert words_clause(body)["query"] == "package manager debian"
    tier = first_tier(body)["filter"]["bool"]["filter"]
    assert tier[0]["combined_fields"]["query"] == "debian"
    assert tier[1]["simple_query_string"]["query"] == '"package manager"'
    assert len(must) == 2
    group = first_tier(build_search(SearchRequest(q="solar OR wind power")))["filter"]["bool"]["filter"]
    assert group[1]["simple_query_string"]["query"] == "(solar | wind)"
    used = set(keys(build_search(SearchRequest(q="x"))))
    assert not used & {"query_string", "script", "script_score", "regexp", "wildcard", "fuzzy"}
    assert "PREFIX" not in FLAGS and "FUZZY" not in FLAGS


def test_persian_words_are_searched_through_the_persian_analysis() -> None:
    words = words_clause(build_search(SearchRequest(q="بسته ها")))
    assert {f.split("^")[0] for f in words["fields"]} == {"title.fa", "content.fa"}
    mixed = build_search(SearchRequest(q="debian بسته"))["query"]["bool"]["must"][0]["bool"]["should"]
    assert [c["combined_fields"]["query"] for c in mixed] == ["debian", "بسته"]


def test_a_query_of_stopwords_only_still_searches_its_words() -> None:
    assert words_clause(build_search(SearchRequest(q="to be or not to be")))["query"] == "to be or not to be"


def test_exact_is_a_phrase_on_exact_subfields() -> None:
    sqs = text_query(build_search(SearchRequest(q="solar panels", exact=True)))
    assert sqs["query"] == '"solar panels"'
    assert sqs["default_operator"] == "and"
    boosts = dict(f.split("^") for f in sqs["fields"])
    assert set(boosts) == {"title.exact", "content.exact"}
    assert float(boosts["title.exact"]) > float(boosts["content.exact"])
    assert "should" not in build_search(SearchRequest(q="solar panels", exact=True))["query"]["bool"]


def test_in_title_searches_title_fields_only() -> None:
    body = build_search(SearchRequest(q="solar power", fields=("title",)))
    assert [f.split("^")[0] for f in words_clause(body)["fields"]] == ["title"]
    assert "content" not in json.dumps(first_tier(body))
    pairs = body["rescore"]["query"]["rescore_query"]["bool"]["should"]
    assert list(pairs[0]["match_phrase"]) == ["title"]


def test_a_ranking_configuration_changes_only_its_constants() -> None:
    other = Ranking.from_mapping({"title_weight": 5, "all_words_boost": 0})
    body = build_search(SearchRequest(q="solar power"), ranking=other)
    assert "title^5" in words_clause(body)["fields"]
    assert "should" not in body["query"]["bool"]
    with pytest.raises(ValueError, match="unknown ranking setting"):
        Ranking.from_mapping({"title_wieght": 2})


def test_hit_check_asks_for_no_hits_and_one_count() -> None:
    body = build_hit_check(SearchRequest(q="solar", filters={"language": ("en",)}))
    assert body["size"] == 0 and body["track_total_hits"] == 1
    assert "aggs" not in body and "highlight" not in body
    assert body["query"]["bool"]["filter"] == [{"bool": {"filter": [{"terms": {"language": ["en"]}}]}}]


def test_empty_query_browses_everything_newest_first() -> None:
    body = build_search(SearchRequest())
    assert body["query"]["bool"]["must"] == [{"match_all": {}}]
    assert next(iter(body["sort"][0])) == "published"
    assert body["sort"][0]["published"]["order"] == "desc"
    assert "suggest" not in body


@pytest.mark.parametrize(("sort", "first"), [
    ("relevance", "_score"), ("newest", {"published": {"order": "desc", "missing": "_last"}}),
    ("oldest", {"published": {"order": "asc", "missing": "_last"}})])
def test_sorts(sort: str, first) -> None:
    assert build_search(SearchRequest(q="x", sort=sort))["sort"][0] == first


def test_duplicates_and_listings_are_always_hidden() -> None:
    must_not = build_search(SearchRequest(q="x"))["query"]["bool"]["must_not"]
    assert {"exists": {"field": "duplicate_of"}} in must_not
    assert {"term": {"kind": "listing"}} in must_not


def test_facet_selections_go_to_post_filter_and_each_agg_skips_its_own() -> None:
    req = SearchRequest(filters={"category": ("News", "Events"), "language": ("fa",)})
    body = build_search(req)
    assert body["post_filter"] == {"bool": {"filter": [
        {"terms": {"category_paths": ["News", "Events"]}}, {"terms": {"language": ["fa"]}}]}}
    # The main query does not carry the facet selections: other facets still count everything.
    assert "category_paths" not in json.dumps(body["query"])
    assert body["aggs"]["category"]["filter"] == {"bool": {"filter": [{"terms": {"language": ["fa"]}}]}}
    assert body["aggs"]["language"]["filter"] == {"bool": {"filter": [
        {"terms": {"category_paths": ["News", "Events"]}}]}}
    assert body["aggs"]["tag"]["filter"]["bool"]["filter"] == body["post_filter"]["bool"]["filter"]


def test_facet_sizes_and_year_histogram() -> None:
    aggs = build_search(SearchRequest())["aggs"]
    assert aggs["category"]["aggs"]["values"]["terms"] == {"field": "category_paths", "size": 100}
    assert aggs["author"]["aggs"]["values"]["terms"]["size"] == 20
    hist = aggs["year"]["aggs"]["values"]["date_histogram"]
    assert hist["field"] == "published" and hist["calendar_interval"] == "year"
    assert aggs["year"]["filter"] == {"match_all": {}}


def test_year_selection_is_an_or_of_year_ranges() -> None:
    body = build_search(SearchRequest(filters={"year": ("2020", "2022")}))
    should = body["post_filter"]["bool"]["filter"][0]["bool"]["should"]
    assert should[0] == {"range": {"published": {"gte": "2020", "lte": "2020||/y", "format": "yyyy"}}}
    assert len(should) == 2


def test_date_range_filters_hits_and_facets_inclusively() -> None:
    body = build_search(SearchRequest(date_from=dt.date(2020, 1, 1), date_to=dt.date(2020, 6, 30)))
    assert body["query"]["bool"]["filter"] == [{"range": {"published": {
        "gte": "2020-01-01", "lte": "2020-06-30||/d", "format": "strict_date"}}}]


def test_paging_total_timeout_and_source() -> None:
    body = build_search(SearchRequest(q="x", page=3, size=20), timeout_s=2.0)
    assert (body["from"], body["size"], body["track_total_hits"]) == (40, 20, True)
    assert body["timeout"] == "2000ms"
    assert "content" not in body["_source"]


def test_highlight_is_html_encoded_with_mark_tags_one_pass_per_field() -> None:
    hl = build_search(SearchRequest(q="x"))["highlight"]
    assert hl["encoder"] == "html"
    assert hl["pre_tags"] == ["<mark>"] and hl["post_tags"] == ["</mark>"]
    assert set(hl["fields"]) == {"title", "content"}
    assert hl["fields"]["title"]["number_of_fragments"] == 0
    assert hl["fields"]["title"]["matched_fields"] == ["title", "title.exact", "title.fa"]
    assert hl["fields"]["content"]["no_match_size"] > 0
    exact = build_search(SearchRequest(q="x", exact=True))["highlight"]["fields"]
    assert set(exact) == {"title.exact", "content.exact"}
    assert exact["content.exact"]["matched_fields"] == ["content.exact"]


def test_did_you_mean_is_a_second_request_only_when_hits_are_few() -> None:
    assert "suggest" not in build_search(SearchRequest(q="climte"))
    assert wants_suggestion(SearchRequest(q="climte"), total=0)
    assert not wants_suggestion(SearchRequest(q="climate"), total=FEW_HITS)
    assert not wants_suggestion(SearchRequest(), total=0)
    body = build_suggestion("climte", timeout_s=1.5)
    assert body["size"] == 0 and body["timeout"] == "1500ms"
    assert body["suggest"]["text"] == "climte"
    phrase = body["suggest"]["did_you_mean"]["phrase"]
    assert phrase["field"] == "content.shingle" and phrase["size"] == 1


def test_autocomplete_matches_title_prefixes_and_caps_at_ten() -> None:
    body = build_autocomplete("solar pan", size=50)
    assert body["query"]["bool"]["must"][0] == {
        "match": {"title.suggest": {"query": "solar pan", "operator": "and"}}}
    assert body["size"] <= 20
