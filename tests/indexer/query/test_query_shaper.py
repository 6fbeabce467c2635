"""Elasticsearch response → API JSON: the exact shape, safe markup, facets, suggestions."""

from __future__ import annotations

import pytest

from indexer.query import SearchRequest, shape_autocomplete, shape_search, shape_suggestion
from indexer.query.shaper import safe_url, trusted_fragment

pytestmark = pytest.mark.unit


def response(hits=(), aggs=None, total=None) -> dict:
    return {"took": 7, "hits": {"total": {"value": len(hits) if total is None else total},
                                "hits": list(hits)}, "aggregations": aggs or {}}


def hit(_id="a1", highlight=None, **source) -> dict:
    return {"_id": _id, "_source": source, "highlight": highlight or {}}


def terms(*pairs) -> dict:
    return {"values": {"buckets": [{"key": k, "doc_count": n} for k, n in pairs]}}


def test_shape_has_exactly_the_api_keys() -> None:
    shaped = shape_search(response([hit(url="https://e.org/a", title="A", categories="News")]),
                          SearchRequest(q="a", page=2))
    assert set(shaped) == {"total", "took_ms", "page", "hits", "facets", "suggestion", "q", "corrected_from",
                           "site_words"}
    assert (shaped["total"], shaped["took_ms"], shaped["page"]) == (1, 7, 2)
    assert set(shaped["hits"][0]) == {"id", "url", "title", "title_html", "snippet_html", "categories",
                                      "category_paths", "tags", "authors", "published", "language", "type",
                                      "image"}
    assert shaped["hits"][0]["categories"] == ["News"]
    assert set(shaped["facets"]) == {"category", "tag", "author", "type", "language", "year"}


def test_highlights_are_used_and_marks_preferred() -> None:
    h = hit(title="Solar power", highlight={
        "title.exact": ["<mark>Solar</mark> power"],
        "content": ["Opening of the article"],
        "content.fa": ["the <mark>solar</mark> farm", "more <mark>solar</mark>"]})
    shaped = shape_search(response([h]), SearchRequest(q="solar"))["hits"][0]
    assert shaped["title_html"] == "<mark>Solar</mark> power"
    assert shaped["snippet_html"] == "the <mark>solar</mark> farm … more <mark>solar</mark>"


def test_without_highlights_title_and_description_are_escaped() -> None:
    h = hit(title="<script>alert(1)</script>", description='<img src=x onerror="alert(1)">')
    shaped = shape_search(response([h]), SearchRequest())["hits"][0]
    assert shaped["title_html"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<img" not in shaped["snippet_html"] and "&lt;img" in shaped["snippet_html"]
    assert shaped["title"] == "<script>alert(1)</script>"


def test_a_fragment_with_any_other_tag_is_escaped_whole() -> None:
    assert trusted_fragment("a <mark>b</mark> &lt;c&gt;") == "a <mark>b</mark> &lt;c&gt;"
    assert trusted_fragment('<mark>x</mark><img src=x onerror=alert(1)>') == (
        "x&lt;img src=x onerror=alert(1)&gt;")
    assert "<svg" not in trusted_fragment("<svg onload=alert(1)>")


@pytest.mark.parametrize(("value", "expected"), [
    ("https://e.org/a?b=1", "https://e.org/a?b=1"), ("http://e.org/", "http://e.org/"),
    ("javascript:alert(1)", None), ("data:text/html,x", None), ("//e.org/x", None),
    ("", None), (None, None), (["https://e.org"], None)])
def test_only_http_urls_reach_links_and_images(value, expected) -> None:
    assert safe_url(value) == expected


def test_unsafe_urls_are_dropped_from_hits() -> None:
    shaped = shape_search(response([hit(url="javascript:alert(1)", image="javascript:x", title="t")]),
                          SearchRequest())["hits"][0]
    assert shaped["url"] is None and shaped["image"] is None


def test_facets_mark_selection_and_keep_a_selected_value_without_hits() -> None:
    aggs = {"category": terms(("News", 5), ("Events", 2)),
            "year": {"values": {"buckets": [{"key_as_string": "2021", "key": 1, "doc_count": 4}]}}}
    req = SearchRequest(filters={"category": ("Events", "Gone"), "year": ("2019",)})
    facets = shape_search(response(aggs=aggs), req)["facets"]
    assert [{k: v[k] for k in ("value", "count", "selected")} for v in facets["category"]] == [
        {"value": "News", "count": 5, "selected": False},
        {"value": "Events", "count": 2, "selected": True},
        {"value": "Gone", "count": 0, "selected": True}]
    assert facets["year"] == [{"value": 2021, "count": 4, "selected": False},
                              {"value": 2019, "count": 0, "selected": True}]
    assert facets["tag"] == []


def test_facets_other_than_category_show_their_top_twenty() -> None:
    aggs = {"tag": terms(*[(f"t{i}", 100 - i) for i in range(30)])}
    assert len(shape_search(response(aggs=aggs), SearchRequest())["facets"]["tag"]) == 20


def suggest_response(text: str) -> dict:
    return {"suggest": {"did_you_mean": [{"text": "climte", "options": [{"text": text, "score": 0.5}]}]}}


def test_suggestion_is_the_correction_when_it_differs() -> None:
    assert shape_suggestion(suggest_response("climate"), "climte") == "climate"
    assert shape_suggestion(suggest_response("Climte"), "climte") is None
    assert shape_suggestion({"suggest": {"did_you_mean": [{"options": []}]}}, "climte") is None
    assert shape_search(response(total=0), SearchRequest(q="climte"))["suggestion"] is None


def test_autocomplete_dedups_titles_and_caps_at_ten() -> None:
    hits = [hit(str(i), title=f"Title {i // 2}", url=f"https://e.org/{i}") for i in range(40)]
    out = shape_autocomplete(response(hits), size=50)
    assert len(out) == 10
    assert len({s["title"] for s in out}) == 10
    assert out[0] == {"title": "Title 0", "url": "https://e.org/0"}


def test_the_category_facet_is_a_tree_children_under_their_parent() -> None:
    aggs = {"category": terms(("World", 9), ("News", 7), ("World > Europe", 6), ("World > Asia", 3),
                              ("World > Europe > Balkans", 2), ("Sport > Cycling", 1))}
    req = SearchRequest(filters={"category": ("World > Europe",)})
    shown = shape_search(response(aggs=aggs), req)["facets"]["category"]
    assert [(v["value"], v["label"], v["parent"], v["depth"], v["count"]) for v in shown] == [
        ("World", "World", None, 0, 9),
        ("World > Europe", "Europe", "World", 1, 6),
        ("World > Europe > Balkans", "Balkans", "World > Europe", 2, 2),
        ("World > Asia", "Asia", "World", 1, 3),
        ("News", "News", None, 0, 7),
        # Its parent is not among the values (cut by the facet's size): shown at the top.
        ("Sport > Cycling", "Cycling", "Sport", 0, 1),
    ]
    assert [v["value"] for v in shown if v["selected"]] == ["World > Europe"]


def test_other_facets_are_flat() -> None:
    shown = shape_search(response(aggs={"tag": terms(("a > b", 2))}), SearchRequest())["facets"]["tag"]
    assert shown == [{"value": "a > b", "count": 2, "selected": False}]
