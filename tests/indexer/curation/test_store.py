"""The curation store on real Elasticsearch: a page of grades saved in one write."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from indexer.curation import store

pytestmark = pytest.mark.integration

QUERY = "council budget"
URLS = [f"https://news.example.org/budget/{n}/" for n in range(10)]
WRITES = ("index", "create", "update", "delete", "bulk")


class Counting:
    """The real client, with each write request it sends noted as (method, refresh)."""

    def __init__(self, client: Any, writes: list[tuple[str, Any]]) -> None:
        self._client, self.writes = client, writes

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if name == "options":
            return lambda **kw: Counting(attr(**kw), self.writes)
        if name not in WRITES:
            return attr

        def write(*args: Any, **kwargs: Any) -> Any:
            self.writes.append((name, kwargs.get("refresh")))
            return attr(*args, **kwargs)
        return write


@pytest.fixture
def prefix(es, unique_name: str) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield unique_name
    es.options(ignore_status=404).indices.delete(index=store.index_name(unique_name))


def test_a_page_of_grades_is_one_write_waiting_for_one_refresh(es, prefix: str) -> None:  # type: ignore[no-untyped-def]
    writes: list[tuple[str, Any]] = []
    client = Counting(es, writes)
    grades: dict[str, int | None] = {url: n % 4 for n, url in enumerate(URLS)}
    assert store.save_judgments(client, prefix, QUERY, grades, "editor") == 10
    # Ten grades were twenty writes, each waiting for a refresh (about 20 s on the console).
    assert writes == [("bulk", "wait_for")]
    saved = {j.url: j.grade for j in store.judgments(es, prefix, QUERY)}
    assert saved == grades
    audit = store.audit_trail(es, prefix, limit=50)
    assert sorted(a.action for a in audit) == ["created"] * 10

    # Again: two changed, one taken away, the rest as they were: one write, three audit records.
    writes.clear()
    again = {**grades, URLS[0]: 3, URLS[1]: 0, URLS[2]: None}
    assert store.save_judgments(client, prefix, QUERY, again, "editor") == 3
    assert writes == [("bulk", "wait_for")]
    saved = {j.url: j.grade for j in store.judgments(es, prefix, QUERY)}
    assert saved == {url: grade for url, grade in again.items() if grade is not None}
    actions = sorted(a.action for a in store.audit_trail(es, prefix, limit=50))
    assert actions == ["changed"] * 2 + ["created"] * 10 + ["deleted"]

    # Nothing changed: nothing written.
    writes.clear()
    assert store.save_judgments(client, prefix, QUERY, again, "editor") == 0
    assert writes == []


def test_a_grade_changed_meanwhile_is_not_overwritten(es, prefix: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store.save_judgments(es, prefix, QUERY, {URLS[0]: 1}, "first")
    real_mget = es.mget

    def stale_read(**kwargs: Any) -> Any:
        answer = real_mget(**kwargs)
        # Another editor saves between this editor's read and write.
        es.index(index=store.index_name(prefix), id=store.judgment_id(QUERY, URLS[0]), refresh="wait_for",
                 document=store.judgment_source(store.Judgment(QUERY, URLS[0], 3)))
        return answer

    monkeypatch.setattr(es, "mget", stale_read)
    with pytest.raises(store.GradesConflict):
        store.save_judgments(es, prefix, QUERY, {URLS[0]: 0, URLS[1]: 2}, "second")
    monkeypatch.undo()
    saved = {j.url: j.grade for j in store.judgments(es, prefix, QUERY)}
    assert saved[URLS[0]] == 3  # the other editor's grade stands
