"""The ledger check's verdicts, on hand-made ledgers and index contents (no services)."""

from __future__ import annotations

import pytest

from indexer.index.documents import document_id
from worker.jobs.ledger_check import compare
from worker.jobs.model import PageRecord

pytestmark = pytest.mark.unit

A, B, C, D = (f"https://site.example/{n}/" for n in "abcd")


def page(url: str, state: str, reason: str = "") -> PageRecord:
    return PageRecord(url=url, state=state, ref={"url": url}, reason=reason)


def index_of(*urls: str) -> dict[str, str]:
    return {document_id(u): u for u in urls}


def test_every_page_accounted_for_and_the_index_holds_exactly_the_indexed_ones() -> None:
    check = compare([page(A, "indexed"), page(B, "skipped", "noindex"), page(C, "failed", "fetch: 500")],
                    index_of(A))
    assert check.ok, str(check)
    assert check.states == {"failed": 1, "indexed": 1, "skipped": 1} and check.submitted == 3


def test_a_page_left_running_or_without_reason_breaks_the_ledger() -> None:
    check = compare([page(A, "running"), page(B, "skipped"), page(C, "failed", "  ")], {})
    assert not check.ok
    assert (check.unfinished, check.reasonless) == ([A], [B, C])


def test_indexed_but_not_searchable_is_missing_and_unaccounted_documents_are_unexpected() -> None:
    check = compare([page(A, "indexed"), page(B, "failed", "clean: too deep")], index_of(B, D))
    assert (check.missing, check.unexpected) == ([A], [B, D])
    assert "BROKEN" in str(check)


def test_unchanged_pages_may_stay_searchable_and_foreign_documents_are_ignored_unless_exclusive() -> None:
    records = [page(A, "indexed"), page(B, "skipped", "unchanged: 304")]
    assert compare(records, index_of(A, B)).ok
    assert not compare(records, index_of(A, B, D)).ok
    assert compare(records, index_of(A, B, D), exclusive=False).ok
