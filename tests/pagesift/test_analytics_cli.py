"""`pagesift analytics` on a log written to the real Elasticsearch: the lists an editor
asks for, as a table and as JSON, the summary, and retention run by hand."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest

from indexer.searchlog.events import ClickEvent, SearchEvent
from indexer.searchlog.names import SearchLogNames
from indexer.searchlog.writer import LogWriter, WriterOptions
from pagesift.cli import main
from tests.indexer.searchlog.conftest import delete_log, logged_search

NOW = dt.datetime.now(dt.UTC)


def _search(q: str, total: int, at: dt.datetime = NOW) -> SearchEvent:
    return logged_search(q, total, at)


@pytest.fixture
def logged(es, unique_name: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[SearchLogNames]:  # type: ignore[no-untyped-def]
    """A log under its own prefix: "ferry" searched three times and clicked once, "wind" twice
    and never clicked, "qqq" finding nothing; one search 40 days ago."""
    names = SearchLogNames(unique_name)
    ferry = [_search("ferry", 5) for _ in range(3)]
    events = [*ferry, _search("wind", 2), _search("wind", 2), _search("qqq", 0),
              ClickEvent(ferry[0].search_id, "ferry", 1, "ferry-0", "https://example.org/f", at=NOW),
              _search("old", 1, at=NOW - dt.timedelta(days=40))]
    writer = LogWriter(lambda: es, names, WriterOptions(flush_seconds=0.05))
    for event in events:
        writer.submit(event)
    assert writer.flush(10)
    es.indices.refresh(index=names.pattern)
    monkeypatch.setenv("PAGESIFT_INDEX_PREFIX", unique_name)
    yield names
    delete_log(es, unique_name)


@pytest.mark.integration
def test_queries_as_json_and_as_a_table(logged, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    assert main(["analytics", "queries", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kind"] == "top" and report["since"] == "7d"
    assert [(q["query"], q["searches"], q["clicks"]) for q in report["queries"]] == [
        ("ferry", 3, 1), ("wind", 2, 0), ("qqq", 1, 0)]
    assert main(["analytics", "queries", "--zero-results"]) == 0
    head, *rows = capsys.readouterr().out.splitlines()
    assert head.split()[:3] == ["query", "searches", "zero"] and [r.split()[0] for r in rows] == ["qqq"]
    assert main(["analytics", "queries", "--no-clicks", "--json"]) == 0
    assert [q["query"] for q in json.loads(capsys.readouterr().out)["queries"]] == ["wind"]
    # The search 40 days ago is in a longer window only.
    assert main(["analytics", "queries", "--since", "8w", "--json"]) == 0
    assert "old" in [q["query"] for q in json.loads(capsys.readouterr().out)["queries"]]


@pytest.mark.integration
def test_summary_and_prune(logged, es, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert main(["analytics", "summary", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["searches"], summary["clicks"], summary["zero_results"]) == (6, 1, 1)
    assert summary["click_through_rate"] == round(1 / 6, 4) and summary["mean_reciprocal_rank"] == 1.0
    assert main(["analytics", "summary"]) == 0
    assert "click-through rate  16.7%" in capsys.readouterr().out
    monkeypatch.setenv("PAGESIFT_SEARCHLOG_RETENTION_DAYS", "30")
    assert main(["analytics", "prune"]) == 0
    assert logged.daily(NOW - dt.timedelta(days=40)) in capsys.readouterr().out
    assert list(es.indices.get(index=logged.pattern).body) == [logged.daily(NOW)]


@pytest.mark.unit
def test_a_bad_window_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analytics", "queries", "--since", "soon"]) == 2
    assert "since is a number and a unit" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["analytics", "queries", "--zero-results", "--no-clicks"])
