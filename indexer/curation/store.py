"""The curation's durable home: ``<prefix>-curation`` in Elasticsearch (mappings/curation.json).

One small index holds every kind of record (``kind``): best bets, synonyms, judgments, and
the audit trail of every change to them (who, when, the record before and after). Writes wait
for a refresh, so the console's next page, and the next load of a web app, see them.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from elasticsearch import Elasticsearch

from indexer.curation.best_bets import BestBet, Pin, Target
from indexer.curation.model import Curation
from indexer.curation.synonyms import Synonym, Synonyms
from indexer.curation.text import normalise
from indexer.index import mapping

BEST_BET = "best_bet"
SYNONYM = "synonym"
JUDGMENT = "judgment"
AUDIT = "audit"
# Far more rules than an editorial team writes; a load reads them all in one request.
MAX_RECORDS = 10_000

Source = dict[str, Any]


def index_name(prefix: str) -> str:
    return f"{prefix}-curation"


def ensure(client: Elasticsearch, prefix: str) -> None:
    """Create the index unless it exists (a second caller racing this one is harmless)."""
    name = index_name(prefix)
    if not client.indices.exists(index=name):
        client.options(ignore_status=400).indices.create(index=name, **mapping.load("curation").body())


@dataclass(frozen=True)
class Judgment:
    query: str
    url: str
    grade: int
    updated_at: datetime | None = None
    updated_by: str = ""


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    by: str
    action: str  # created, changed, deleted
    target_kind: str
    target_id: str
    before: Source | None
    after: Source | None


def load(client: Elasticsearch, prefix: str) -> Curation:
    """Every best bet and synonym, ready to apply; an empty curation before the first save."""
    records = _records(client, prefix, (BEST_BET, SYNONYM))
    return Curation(tuple(best_bet_from(i, s) for i, s in records if s["kind"] == BEST_BET),
                    Synonyms(synonym_from(i, s) for i, s in records if s["kind"] == SYNONYM))


def best_bets(client: Elasticsearch, prefix: str) -> list[BestBet]:
    return sorted((best_bet_from(i, s) for i, s in _records(client, prefix, (BEST_BET,))),
                  key=lambda b: normalise(b.query))


def synonyms(client: Elasticsearch, prefix: str) -> list[Synonym]:
    return sorted((synonym_from(i, s) for i, s in _records(client, prefix, (SYNONYM,))),
                  key=lambda s: s.rule.casefold())


def judgments(client: Elasticsearch, prefix: str, query: str | None = None) -> list[Judgment]:
    found = [judgment_from(s) for _, s in _records(client, prefix, (JUDGMENT,))]
    if query is not None:
        found = [j for j in found if j.query == _query_text(query)]
    return sorted(found, key=lambda j: (j.query.casefold(), -j.grade, j.url))


def get(client: Elasticsearch, prefix: str, record_id: str) -> Source | None:
    if not client.indices.exists(index=index_name(prefix)):
        return None
    answer = client.options(ignore_status=404).get(index=index_name(prefix), id=record_id)
    return dict(answer["_source"]) if answer.body.get("found") else None


def save_best_bet(client: Elasticsearch, prefix: str, bet: BestBet, by: str) -> BestBet:
    saved = replace(bet, id=bet.id or new_id(), updated_at=_now(), updated_by=by)
    _write(client, prefix, saved.id, best_bet_source(saved), by)
    return saved


def save_synonym(client: Elasticsearch, prefix: str, synonym: Synonym, by: str) -> Synonym:
    synonym.parsed  # noqa: B018 - refuses a rule that does not parse before anything is written
    saved = Synonym(synonym.id or new_id(), synonym.rule.strip(), synonym.note, _now(), by)
    _write(client, prefix, saved.id, synonym_source(saved), by)
    return saved


def save_judgments(client: Elasticsearch, prefix: str, query: str, grades: dict[str, int | None],
                   by: str) -> int:
    """Grade the URLs of ``grades`` for ``query``; None takes a grade away. How many changed."""
    text = _query_text(query)
    changed = 0
    for url, grade in grades.items():
        record_id = judgment_id(text, url)
        if grade is None:
            changed += delete(client, prefix, record_id, by)
            continue
        previous = get(client, prefix, record_id)
        if previous is None or previous.get("grade") != grade:
            _write(client, prefix, record_id, judgment_source(Judgment(text, url, grade, _now(), by)), by)
            changed += 1
    return changed


def delete(client: Elasticsearch, prefix: str, record_id: str, by: str) -> bool:
    before = get(client, prefix, record_id)
    if before is None:
        return False
    client.delete(index=index_name(prefix), id=record_id, refresh="wait_for")
    _audit(client, prefix, "deleted", record_id, before, None, by)
    return True


def audit_trail(client: Elasticsearch, prefix: str, target_id: str | None = None,
                limit: int = 50) -> list[AuditEntry]:
    if not client.indices.exists(index=index_name(prefix)):
        return []
    filters: list[Source] = [{"term": {"kind": AUDIT}}]
    if target_id:
        filters.append({"term": {"target_id": target_id}})
    answer = client.search(index=index_name(prefix), size=limit, query={"bool": {"filter": filters}},
                           sort=[{"updated_at": "desc"}])
    return [_audit_from(hit["_source"]) for hit in answer["hits"]["hits"]]


def new_id() -> str:
    return uuid.uuid4().hex


def judgment_id(query: str, url: str) -> str:
    """One record per query and article: grading again replaces the grade."""
    return "j-" + hashlib.sha256(f"{_query_text(query)}\0{url}".encode()).hexdigest()[:40]


def _query_text(query: str) -> str:
    # As pagesift eval reads a CSV's query: whitespace collapsed, case kept.
    return " ".join(query.split())


def _now() -> datetime:
    return datetime.now(UTC)


def _write(client: Elasticsearch, prefix: str, record_id: str, source: Source, by: str) -> None:
    ensure(client, prefix)
    before = get(client, prefix, record_id)
    client.index(index=index_name(prefix), id=record_id, document=source, refresh="wait_for")
    _audit(client, prefix, "created" if before is None else "changed", record_id, before, source, by)


def _audit(client: Elasticsearch, prefix: str, action: str, target_id: str, before: Source | None,
           after: Source | None, by: str) -> None:
    kind = (after or before or {}).get("kind", "")
    client.index(index=index_name(prefix), id=f"audit-{new_id()}", refresh="wait_for", document={
        "kind": AUDIT, "action": action, "target_kind": kind, "target_id": target_id,
        "updated_at": _iso(_now()), "updated_by": by, "before": before, "after": after})


def _records(client: Elasticsearch, prefix: str, kinds: Iterable[str]) -> list[tuple[str, Source]]:
    if not client.indices.exists(index=index_name(prefix)):
        return []
    answer = client.search(index=index_name(prefix), size=MAX_RECORDS,
                           query={"terms": {"kind": list(kinds)}})
    return [(hit["_id"], hit["_source"]) for hit in answer["hits"]["hits"]]


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def best_bet_source(bet: BestBet) -> Source:
    return {"kind": BEST_BET, "query": bet.query, "normalised": normalise(bet.query), "match": bet.match,
            "pins": [{"doc_id": p.doc_id, "url": p.url, "position": p.position} for p in bet.pins],
            "hidden": [{"doc_id": t.doc_id, "url": t.url} for t in bet.hidden],
            "starts": _iso(bet.starts), "ends": _iso(bet.ends), "note": bet.note,
            "updated_at": _iso(bet.updated_at), "updated_by": bet.updated_by}


def best_bet_from(record_id: str, s: Source) -> BestBet:
    return BestBet(record_id, s["query"], s.get("match", "exact"),
                   tuple(Pin(p["doc_id"], p["url"], int(p["position"])) for p in s.get("pins") or []),
                   tuple(Target(t["doc_id"], t["url"]) for t in s.get("hidden") or []),
                   _moment(s.get("starts")), _moment(s.get("ends")), s.get("note") or "",
                   _moment(s.get("updated_at")), s.get("updated_by") or "")


def synonym_source(synonym: Synonym) -> Source:
    return {"kind": SYNONYM, "rule": synonym.rule, "note": synonym.note,
            "updated_at": _iso(synonym.updated_at), "updated_by": synonym.updated_by}


def synonym_from(record_id: str, s: Source) -> Synonym:
    return Synonym(record_id, s["rule"], s.get("note") or "", _moment(s.get("updated_at")),
                   s.get("updated_by") or "")


def judgment_source(j: Judgment) -> Source:
    return {"kind": JUDGMENT, "query": j.query, "normalised": normalise(j.query), "url": j.url,
            "grade": j.grade, "updated_at": _iso(j.updated_at), "updated_by": j.updated_by}


def judgment_from(s: Source) -> Judgment:
    return Judgment(s["query"], s["url"], int(s["grade"]), _moment(s.get("updated_at")),
                    s.get("updated_by") or "")


def _audit_from(s: Source) -> AuditEntry:
    return AuditEntry(_moment(s["updated_at"]) or _now(), s.get("updated_by") or "", s["action"],
                      s.get("target_kind") or "", s["target_id"], s.get("before"), s.get("after"))
