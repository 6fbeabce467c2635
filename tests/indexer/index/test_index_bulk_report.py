"""How bulk items, shaped as Elasticsearch answers them, become outcomes."""

from __future__ import annotations

from typing import Any

import pytest

from indexer.index.bulk import BulkReport, _Ledger

pytestmark = pytest.mark.unit


def _item(doc_id: str, status: int, **info: Any) -> dict[str, Any]:
    return {"index": {"_id": doc_id, "_index": "pages-v1-x", "status": status, **info}}


def _run(items: list[dict[str, Any]], sent: dict[str, tuple[str, int]]) -> BulkReport:
    report = BulkReport()
    ledger = _Ledger()
    ledger.in_flight = sent
    for item in items:
        ledger.answer(report, item)
    return report


def test_created_updated_and_stale_are_counted_not_failed() -> None:
    sent = {"a": ("https://x/a", 1), "b": ("https://x/b", 1), "c": ("https://x/c", 1)}
    report = _run([
        _item("a", 201, result="created"),
        _item("b", 200, result="updated"),
        _item("c", 409, error={"type": "version_conflict_engine_exception", "reason": "newer"}),
    ], sent)
    assert dict(report.counts) == {"created": 1, "updated": 1, "stale": 1}
    assert report.complete and report.indexed == 3
    assert sent == {}


def test_a_mapping_error_is_that_pages_failure_with_the_reason() -> None:
    sent = {"a": ("https://x/a", 1)}
    error = {"type": "document_parsing_exception", "reason": "[1:30] failed to parse field [word_count]",
             "caused_by": {"type": "number_format_exception", "reason": "For input string: \"many\""}}
    report = _run([_item("a", 400, error=error)], sent)
    assert not report.complete
    (failure,) = report.failures
    assert (failure.url, failure.status) == ("https://x/a", 400)
    assert failure.error_type == "document_parsing_exception"
    assert "word_count" in failure.reason and "many" in failure.reason
    assert report.failure_share() == 1.0


def test_a_whole_chunk_refused_fails_each_document() -> None:
    sent = {"a": ("https://x/a", 1), "b": ("https://x/b", 1)}
    refused = "request too large"
    report = _run([_item("a", 413, error=refused), _item("b", 413, error=refused)], sent)
    assert [(f.url, f.error_type) for f in report.failures] == [("https://x/a", "request_error"),
                                                               ("https://x/b", "request_error")]


def test_one_url_twice_in_a_run_needs_two_answers() -> None:
    sent = {"a": ("https://x/a", 2)}
    _run([_item("a", 201, result="created")], sent)
    assert sent == {"a": ("https://x/a", 1)}


def test_abandoning_fails_whatever_was_unanswered() -> None:
    report = _run([_item("a", 201, result="created")], {"a": ("u", 1), "b": ("v", 2)})
    ledger = _Ledger()
    ledger.in_flight = {"b": ("v", 2)}
    report.aborted = "ConnectionError"
    ledger.abandon(report)
    assert [(f.url, f.error_type) for f in report.failures] == [("v", "aborted"), ("v", "aborted")]


def test_merge_adds_up() -> None:
    first = _run([_item("a", 201, result="created")], {"a": ("u", 1)})
    second = _run([_item("b", 400, error={"type": "t", "reason": "r"})], {"b": ("v", 1)})
    first.merge(second)
    assert (first.total, first.failed, first.indexed) == (2, 1, 1)
