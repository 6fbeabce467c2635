"""The curation store on real Elasticsearch: a page of grades saved in one write, an edit that
replaces the version the editor read or is refused, a delete that names its kind, and a load
that reads every record in one order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from elasticsearch import Elasticsearch, helpers

from indexer.curation import store
from indexer.curation.best_bets import BestBet, Pin
from indexer.curation.synonyms import Synonym

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


def pinned(query: str, note: str, record_id: str = "") -> BestBet:
    return BestBet(record_id, query, pins=(Pin("d1", "https://x.org/1", 1),), note=note)


def test_the_second_of_two_editors_saving_one_rule_is_refused(es: Elasticsearch, prefix: str) -> None:
    created = store.save_best_bet(es, prefix, pinned("budget", "first"), by="Ana")
    opened = store.read(es, prefix, created.id, store.BEST_BET)  # both editors open the rule
    assert opened is not None
    store.save_best_bet(es, prefix, pinned("budget", "Ben's", created.id), by="Ben", version=opened.version)
    with pytest.raises(store.Conflict) as refused:
        store.save_best_bet(es, prefix, pinned("budget", "Cy's", created.id), by="Cy", version=opened.version)
    current = refused.value.current
    assert current is not None and current.source["note"] == "Ben's" and current.version != opened.version
    (kept,) = store.best_bets(es, prefix)
    assert (kept.note, kept.updated_by) == ("Ben's", "Ben")
    # Cy, shown Ben's version, saves over it: the version named is the one there now.
    store.save_best_bet(es, prefix, pinned("budget", "Cy's", created.id), by="Cy", version=current.version)
    assert [b.note for b in store.best_bets(es, prefix)] == ["Cy's"]
    history = store.audit_trail(es, prefix, created.id)
    assert [(h.action, (h.before or {}).get("note"), (h.after or {}).get("note")) for h in history] == [
        ("changed", "Ben's", "Cy's"), ("changed", "first", "Ben's"), ("created", None, "first")]


def test_an_edit_of_a_rule_deleted_meanwhile_is_refused(es: Elasticsearch, prefix: str) -> None:
    created = store.save_synonym(es, prefix, Synonym("", "tv, television"), by="Ana")
    opened = store.read(es, prefix, created.id)
    assert opened is not None
    assert store.delete(es, prefix, created.id, "Ben", store.SYNONYM, opened.version)
    with pytest.raises(store.Conflict) as refused:
        store.save_synonym(es, prefix, Synonym(created.id, "tv, telly"), by="Cy", version=opened.version)
    assert refused.value.current is None
    assert store.synonyms(es, prefix) == []


def test_a_delete_names_the_kind_and_the_version(es: Elasticsearch, prefix: str) -> None:
    synonym = store.save_synonym(es, prefix, Synonym("", "tv, television"), by="Ana")
    store.save_judgments(es, prefix, "budget", {"https://x.org/1": 3}, by="Ana")
    judgment = store.judgment_id("budget", "https://x.org/1")
    # A synonym's delete never reaches a judgment (or any other kind) by its id.
    assert not store.delete(es, prefix, judgment, "Ben", store.SYNONYM)
    assert store.read(es, prefix, judgment) is not None
    opened = store.read(es, prefix, synonym.id, store.SYNONYM)
    assert opened is not None and store.read(es, prefix, synonym.id, store.BEST_BET) is None
    store.save_synonym(es, prefix, Synonym(synonym.id, "tv, telly"), by="Ben", version=opened.version)
    with pytest.raises(store.Conflict):
        store.delete(es, prefix, synonym.id, "Cy", store.SYNONYM, opened.version)
    assert [s.rule for s in store.synonyms(es, prefix)] == ["tv, telly"]


def test_a_load_reads_every_record_past_ten_thousand_in_one_order(es: Elasticsearch, prefix: str) -> None:
    store.ensure(es, prefix)
    count = 10_050
    # Written past the console (one bulk request, not 10,050 audited saves); two share each second.
    actions = ({"_index": store.index_name(prefix), "_id": f"s{n:05d}",
                "_source": store.synonym_source(Synonym(f"s{n:05d}", f"word{n}, other{n}"))
                | {"updated_at": f"2026-01-01T{n // 2 // 3600 % 24:02d}:{n // 2 // 60 % 60:02d}:"
                                 f"{n // 2 % 60:02d}+00:00"}}
               for n in range(count))
    helpers.bulk(es, actions, refresh="wait_for", chunk_size=2_000)
    loaded = store.load(es, prefix)
    rules = [s.id for s in loaded.synonyms.rules]
    assert len(rules) == count and len(set(rules)) == count
    # Oldest edit first, then by id: the same every time, whatever order the index answers in.
    assert rules == sorted(rules) and [s.id for s in store.load(es, prefix).synonyms.rules] == rules
    assert loaded.synonyms.expand("word10049")
