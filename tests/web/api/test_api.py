"""/api/search and /api/suggest against real Elasticsearch and the fixture corpus."""

from __future__ import annotations

from collections import Counter

import pytest

pytestmark = pytest.mark.integration


def get(client, path: str, **params):
    response = client.get(path, query_string=params)
    return response.status_code, response.get_json()


def facet(body: dict, name: str) -> dict:
    return {v["value"]: v["count"] for v in body["facets"][name]}


def energy_pages(readable: list[dict]) -> list[dict]:
    return [p for p in readable if "energy" in (p["title"] + " " + p["content"]).lower().split()
            or "energy" in p["title"].lower()]


def test_shape_total_and_hits(client, readable) -> None:
    status, body = get(client, "/api/search", q="energy", size=5)
    assert status == 200
    assert list(body) == ["total", "took_ms", "page", "hits", "facets", "suggestion", "q", "corrected_from",
                          "site_words", "mode"]
    assert body["mode"] in {"hybrid", "lexical"}
    assert body["total"] == len(energy_pages(readable))
    assert len(body["hits"]) == 5 and body["page"] == 1
    assert "<mark>" in body["hits"][0]["title_html"] + body["hits"][0]["snippet_html"]


def test_facet_counts_follow_other_selections_but_not_their_own(client, readable) -> None:
    pages = energy_pages(readable)
    _, everything = get(client, "/api/search", q="energy")
    assert facet(everything, "category") == Counter(c for p in pages for c in p["categories"])

    _, picked = get(client, "/api/search", q="energy", category="Events")
    events = [p for p in pages if "Events" in p["categories"]]
    assert picked["total"] == len(events)
    # The category facet still offers the other categories with their full counts...
    assert facet(picked, "category") == facet(everything, "category")
    assert {v["value"]: v["selected"] for v in picked["facets"]["category"]}["Events"] is True
    # ...while every other facet counts only the Events results.
    assert facet(picked, "type") == Counter(p["type"] for p in events)
    assert facet(picked, "year") == Counter(int(p["published"][:4]) for p in events)


def test_values_in_one_facet_or_and_facets_and(client, readable) -> None:
    pages = energy_pages(readable)
    _, either = get(client, "/api/search", q="energy", category=["Events", "Opinion"])
    assert either["total"] == len([p for p in pages if {"Events", "Opinion"} & set(p["categories"])])
    _, both = get(client, "/api/search", q="energy", category=["Events", "Opinion"], type="page")
    assert both["total"] == len([p for p in pages if {"Events", "Opinion"} & set(p["categories"])
                                 and p["type"] == "page"])


def test_year_facet_values_are_integers_and_filter(client, readable) -> None:
    _, body = get(client, "/api/search", year="2021")
    assert all(isinstance(v["value"], int) for v in body["facets"]["year"])
    assert body["total"] == len([p for p in readable if p["published"].startswith("2021")])


def test_date_range_is_inclusive(client, readable) -> None:
    day = sorted(p["published"][:10] for p in readable)[3]
    _, body = get(client, "/api/search", **{"from": day, "to": day})
    assert body["total"] == len([p for p in readable if p["published"][:10] == day]) >= 1


def test_stemmed_finds_word_forms_exact_does_not(client) -> None:
    _, stemmed = get(client, "/api/search", q="run")
    _, exact = get(client, "/api/search", q="run", exact=1)
    assert "Community running club" in [h["title"] for h in stemmed["hits"]]
    assert exact["total"] == 0


def test_exact_matches_the_phrase(client, readable) -> None:
    _, body = get(client, "/api/search", q="running events", exact=1)
    assert [h["title"] for h in body["hits"]] == ["Community running club"]
    _, reordered = get(client, "/api/search", q="events running", exact=1)
    assert reordered["total"] == 0


def test_in_title_ignores_content(client) -> None:
    _, both = get(client, "/api/search", q="harvest")
    _, title = get(client, "/api/search", q="harvest", **{"in": "title"})
    _, content = get(client, "/api/search", q="harvest", **{"in": "content"})
    assert {h["title"] for h in both["hits"]} == {"Harvest festival in the valley", "Autumn markets"}
    assert [h["title"] for h in title["hits"]] == ["Harvest festival in the valley"]
    assert [h["title"] for h in content["hits"]] == ["Autumn markets"]
    status, blank = get(client, "/api/search", q="harvest", **{"in": ""})
    assert status == 200 and blank["hits"] == both["hits"], "an empty in= is no in at all"


def test_or_and_minus_work(client) -> None:
    _, either = get(client, "/api/search", q="harvest OR running")
    assert either["total"] == 3
    _, without = get(client, "/api/search", q="harvest -festival")
    assert [h["title"] for h in without["hits"]] == ["Autumn markets"]


def test_persian_query_finds_arabic_letter_forms(client) -> None:
    # کتاب with Persian kaf; the page spells it with Arabic kaf (كتاب).
    _, body = get(client, "/api/search", q="کتاب")
    assert body["total"] == 1
    hit = body["hits"][0]
    assert hit["language"] == "fa" and "<mark>" in hit["title_html"] + hit["snippet_html"]


def test_duplicates_and_listings_are_hidden(client, readable, corpus) -> None:
    _, body = get(client, "/api/search", size=50)
    assert body["total"] == len(readable) < len(corpus)
    titles = {h["title"] for h in body["hits"]}
    assert "A listing of energy reports" not in titles and "Community running club (copy)" not in titles


def test_empty_query_is_newest_first(client, readable) -> None:
    _, body = get(client, "/api/search", size=10)
    newest = sorted((p["published"] for p in readable), reverse=True)[:10]
    assert [h["published"] for h in body["hits"]] == newest


def test_sort_oldest(client, readable) -> None:
    _, body = get(client, "/api/search", q="energy", sort="oldest", size=3)
    dates = [h["published"] for h in body["hits"]]
    assert dates == sorted(p["published"] for p in energy_pages(readable))[:3]


def test_pages_do_not_overlap(client, readable) -> None:
    _, first = get(client, "/api/search", q="energy", size=5, page=1)
    _, second = get(client, "/api/search", q="energy", size=5, page=2)
    assert second["page"] == 2
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}


@pytest.mark.parametrize(("params", "param_word"), [
    ({"size": 51}, "50"), ({"page": 1001}, "10,000"), ({"page": 0}, "page"), ({"sort": "x"}, "Sort"),
    ({"in": "body"}, "title")])
def test_limits_and_bad_values_are_400_with_a_message(client, params, param_word: str) -> None:
    status, body = get(client, "/api/search", **params)
    assert status == 400
    assert set(body) == {"error", "message"} and param_word in body["message"]


def test_highlights_never_carry_markup_from_the_page(client) -> None:
    _, body = get(client, "/api/search", q="xssword")
    hit = body["hits"][0]
    for html in (hit["title_html"], hit["snippet_html"]):
        stripped = html.replace("<mark>", "").replace("</mark>", "")
        assert "<" not in stripped and ">" not in stripped
    assert "&lt;script&gt;" in hit["title_html"]
    _, browse = get(client, "/api/search", category="News", size=50)
    unhighlighted = next(h for h in browse["hits"] if "Xssword" in h["title"])
    assert "<" not in unhighlighted["snippet_html"].replace("<mark>", "").replace("</mark>", "")


def test_did_you_mean_when_nothing_is_found(client) -> None:
    # Exact mode searches the words as typed: the correction is only offered.
    _, body = get(client, "/api/search", q="harvset", exact=1)
    assert body["total"] == 0
    assert body["suggestion"] == "harvest"
    _, found = get(client, "/api/search", q="energy")
    assert found["suggestion"] is None


def test_a_misspelt_search_answers_for_its_correction(client) -> None:
    _, body = get(client, "/api/search", q="harvset festivl")
    assert (body["q"], body["corrected_from"]) == ("harvest festival", "harvset festivl")
    assert body["suggestion"] is None
    assert body["hits"][0]["url"] == "https://news.example.org/31"
    # spell=0, the "Search instead for" link: the words as typed.
    _, typed = get(client, "/api/search", q="harvset festivl", spell=0)
    assert (typed["total"], typed["q"], typed["corrected_from"]) == (0, "harvset festivl", None)
    status, refused = get(client, "/api/search", q="harvset", spell="maybe")
    assert status == 400 and refused["error"] == "invalid_parameter"


def test_autocomplete_prefixes_of_titles(client) -> None:
    status, body = get(client, "/api/suggest", q="harv fest")
    assert status == 200
    assert body["suggestions"] == [{"title": "Harvest festival in the valley",
                                    "url": "https://news.example.org/31"}]
    _, many = get(client, "/api/suggest", q="energy")
    assert len(many["suggestions"]) == 10
    _, short = get(client, "/api/suggest", q="e")
    assert short["suggestions"] == []
