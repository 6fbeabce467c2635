"""The curation store on real Elasticsearch: an edit replaces the version the editor read or is
refused, a delete names its kind, and a load reads every record in one order."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch, helpers

from indexer.curation import store
from indexer.curation.best_bets import BestBet, Pin
from indexer.curation.synonyms import Synonym

pytestmark = pytest.mark.integration


@pytest.fixture
def prefix(es: Elasticsearch) -> Iterator[str]:
    name = f"test-store-{uuid.uuid4().hex[:10]}"
    yield name
    es.options(ignore_status=404).indices.delete(index=store.index_name(name))


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
