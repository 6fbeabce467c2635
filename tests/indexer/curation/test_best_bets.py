"""Best-bet rules without services: matching, dates, what several rules add up to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from indexer.curation.best_bets import CONTAINS, BestBet, Pin, Target, applicable, decide, hidden_clause
from indexer.curation.text import contains, normalise
from indexer.query.text import normal_form

pytestmark = pytest.mark.unit

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def bet(query: str, **kw) -> BestBet:  # type: ignore[no-untyped-def]
    return BestBet(id=kw.pop("id", query), query=query, **kw)


@pytest.mark.parametrize(("typed", "normal"), [
    ("  Council   BUDGET ", "council budget"),
    ('"council budget"', "council budget"),
    ("council OR budget", "council budget"),
    ("council budget -tax", "council budget"),
    ("Budget?!", "budget"),
    ("كتاب", "کتاب"),  # Arabic kaf typed, Persian kaf stored
    ("Straße", "straße"),  # lower-cased as the search log stores a query, not case-folded
    ("", ""),
])
def test_normal_form_is_the_words_a_reader_meant(typed: str, normal: str) -> None:
    assert normalise(typed) == normal


def test_a_rule_made_from_a_logged_query_matches_the_query_as_readers_type_it() -> None:
    # The analytics list queries in their normal form; a best bet written from a row applies.
    logged = normal_form("  Council   BUDGET Straße ")
    assert bet(logged).matches(normalise("council Budget STRAßE"))


def test_exact_rules_match_the_whole_query_only() -> None:
    rule = bet("Council budget")
    assert rule.matches(normalise("council  budget!"))
    assert not rule.matches(normalise("council budget 2024"))


def test_contains_rules_match_whole_words_in_order() -> None:
    rule = bet("budget", match=CONTAINS)
    assert rule.matches(normalise("the council budget vote"))
    assert not rule.matches(normalise("budgets"))
    assert contains("a b c", "b c") and not contains("a b c", "c b") and not contains("abc", "")


def test_dates_start_inclusive_end_exclusive() -> None:
    rule = bet("x", starts=NOW, ends=NOW + timedelta(days=1))
    assert rule.active(NOW)
    assert not rule.active(NOW - timedelta(seconds=1))
    assert rule.active(NOW + timedelta(hours=23))
    assert not rule.active(NOW + timedelta(days=1))
    assert bet("x").active(NOW)  # no dates: always


def test_only_active_matching_rules_apply_exact_first() -> None:
    old, new = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC)
    rules = [bet("budget", id="c-old", match=CONTAINS, updated_at=old),
             bet("budget", id="c-new", match=CONTAINS, updated_at=new),
             bet("council budget", id="exact"),
             bet("council budget", id="expired", ends=NOW - timedelta(days=1)),
             bet("school", id="other", match=CONTAINS)]
    assert [r.id for r in applicable(rules, "Council budget", NOW)] == ["exact", "c-new", "c-old"]
    assert applicable(rules, "", NOW) == []


def test_a_hide_wins_over_a_pin_and_an_article_is_pinned_once() -> None:
    a, b, c = (Pin(f"id-{n}", f"https://x.org/{n}", p) for n, p in (("a", 1), ("b", 2), ("c", 3)))
    rules = [bet("budget", id="1", pins=(a, b)),
             bet("budget", id="2", match=CONTAINS, pins=(Pin("id-a", a.url, 5), c),
                 hidden=(Target("id-b", b.url),))]
    decision = decide(rules, "budget", NOW)
    assert decision.hidden == {"id-b"}
    assert [(p.doc_id, p.position) for p in decision.pins] == [("id-a", 1), ("id-c", 3)]
    assert decision.rules == ("1", "2")
    assert decide(rules, "weather", NOW).empty


def test_hidden_clause_is_one_ids_query_or_nothing() -> None:
    assert hidden_clause(["b", "a", "b"]) == [{"ids": {"values": ["a", "b"]}}]
    assert hidden_clause([]) == []


def test_clicks_beside_results_edit_the_two_lists() -> None:
    from indexer.curation.best_bets import BestBetError, clicked

    a, b, c = "https://example.org/a", "https://example.org/b", "https://example.org/c"
    pins, hidden = clicked("", "", "pin", a)
    assert (pins, hidden) == (f"1 {a}", "")
    pins, hidden = clicked(f"1 {a}\n3 {b}", c, "pin", c)  # the first free place, and no longer hidden
    assert (pins, hidden) == (f"1 {a}\n3 {b}\n2 {c}", "")
    pins, hidden = clicked(pins, hidden, "hide", a)  # hidden, and no longer pinned
    assert (pins, hidden) == (f"3 {b}\n2 {c}", a)
    assert clicked(pins, hidden, "unpin", b) == (f"2 {c}", a)
    assert clicked(pins, hidden, "unhide", a) == (pins, "")
    with pytest.raises(BestBetError):
        clicked("", "", "delete", a)
