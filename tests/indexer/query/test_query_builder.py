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
from indexer.query.builder import FEW_HITS
from indexer.query.text import as_exact, to_simple_query

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


def test_text_query_is_simple_query_string_over_allowed_fields_only() -> None:
    sqs = text_query(build_search(SearchRequest(q="wind OR solar")))
    assert sqs["query"] == "wind | solar"
    assert sqs["default_operator"] == "and"
    assert {f.split("^")[0] for f in sqs["fields"]} == {
        "title", "title.exact", "title.fa", "content", "content.exact", "content.fa"}
    assert "PREFIX" not in sqs["flags"] and "FUZZY" not in sqs["flags"]
    used = set(keys(build_search(SearchRequest(q="x"))))
    assert not used & {"query_string", "script", "script_score", "regexp", "wildcard", "fuzzy"}


def test_title_outranks_content() -> None:
    boosts = dict(f.split("^") for f in text_query(build_search(SearchRequest(q="x")))["fields"])
    assert float(boosts["title"]) > float(boosts["content"])
    assert float(boosts["title.exact"]) > float(boosts["title"])


def test_exact_is_a_phrase_on_exact_subfields() -> None:
    sqs = text_query(build_search(SearchRequest(q="solar panels", exact=True)))
    assert sqs["query"] == '"solar panels"'
    assert {f.split("^")[0] for f in sqs["fields"]} == {"title.exact", "content.exact"}


def test_in_title_searches_title_fields_only() -> None:
    body = build_search(SearchRequest(q="solar", fields=("title",)))
    assert all(f.startswith("title") for f in text_query(body)["fields"])


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
        {"terms": {"categories": ["News", "Events"]}}, {"terms": {"language": ["fa"]}}]}}
    # The main query does not carry the facet selections: other facets still count everything.
    assert "categories" not in json.dumps(body["query"])
    assert body["aggs"]["category"]["filter"] == {"bool": {"filter": [{"terms": {"language": ["fa"]}}]}}
    assert body["aggs"]["language"]["filter"] == {"bool": {"filter": [
        {"terms": {"categories": ["News", "Events"]}}]}}
    assert body["aggs"]["tag"]["filter"]["bool"]["filter"] == body["post_filter"]["bool"]["filter"]


def test_facet_sizes_and_year_histogram() -> None:
    aggs = build_search(SearchRequest())["aggs"]
    assert aggs["category"]["aggs"]["values"]["terms"] == {"field": "categories", "size": 100}
    assert aggs["author"]["aggs"]["values"]["terms"]["size"] == 20
    hist = aggs["year"]["aggs"]["values"]["date_histogram"]
    assert hist["field"] == "published" and hist["calendar_interval"] == "year"
    assert aggs["year"]["filter"] == {"match_all": {}}


def test_year_selection_is_an_or_of_year_ranges() -> None:
    body = build_search(SearchRequest(filters={"year": ("2020", "2022")}))
    should = body["post_filter"]["bool"]["filter"][0]["bool"]["should"]
    assert should[0] == {"range": {"published": {"gte": "2020", "lt": "2021", "format": "yyyy"}}}
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
