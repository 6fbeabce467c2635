"""The curation's durable home: ``<prefix>-curation`` in Elasticsearch (mappings/curation.json).

One small index holds every kind of record (``kind``): best bets, synonyms, judgments, and
the audit trail of every change to them (who, when, the record before and after). Writes wait
for a refresh, so the console's next page, and the next load of a web app, see them. A record
the code cannot use (written past the console) is skipped and logged on every read, never the
reason the other rules, a reader's search or a console page fail.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from elasticsearch import Elasticsearch

from indexer.curation.best_bets import EXACT, MATCHES, BestBet, Pin, Target
from indexer.curation.model import Curation
from indexer.curation.synonyms import Synonym, Synonyms
from indexer.curation.text import normalise
from indexer.index import mapping
from indexer.query.text import tidy

log = logging.getLogger(__name__)
BEST_BET = "best_bet"
SYNONYM = "synonym"
JUDGMENT = "judgment"
AUDIT = "audit"
# Far more rules than an editorial team writes; a load reads them all in one request.
MAX_RECORDS = 10_000

Source = dict[str, Any]
T = TypeVar("T")


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
    bets = [(i, s) for i, s in records if s["kind"] == BEST_BET]
    rules = [(i, s) for i, s in records if s["kind"] == SYNONYM]
    return Curation(tuple(_readable(bets, best_bet_from)), Synonyms(_readable(rules, synonym_from)))


def best_bets(client: Elasticsearch, prefix: str) -> list[BestBet]:
    return sorted(_readable(_records(client, prefix, (BEST_BET,)), best_bet_from),
                  key=lambda b: normalise(b.query))


def synonyms(client: Elasticsearch, prefix: str) -> list[Synonym]:
    return sorted(_readable(_records(client, prefix, (SYNONYM,)), synonym_from),
                  key=lambda s: s.rule.casefold())


def judgments(client: Elasticsearch, prefix: str, query: str | None = None) -> list[Judgment]:
    found = _readable(_records(client, prefix, (JUDGMENT,)), lambda _, s: judgment_from(s))
    if query is not None:
        found = [j for j in found if j.query == tidy(query)]
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


class GradesConflict(RuntimeError):
    """Another editor changed some of these grades since they were read: nothing of theirs was
    overwritten; the rest of the save went through."""


def save_judgments(client: Elasticsearch, prefix: str, query: str, grades: dict[str, int | None],
                   by: str) -> int:
    """Grade the URLs of ``grades`` for ``query``; None takes a grade away. How many changed.

    A page of grades is one read (``mget``) and one write (``bulk``: each changed grade with its
    audit record) waiting for one refresh, not two writes per grade each waiting for its own:
    ten grades took 20 s that way. Each change is conditional on the record read (a new grade
    is a ``create``, a changed or removed one names the sequence number it replaces), so two
    editors grading at once never silently undo each other: :class:`GradesConflict`."""
    text = tidy(query)
    ids = {url: judgment_id(text, url) for url in grades}
    if not ids:
        return 0
    ensure(client, prefix)
    name = index_name(prefix)
    found = client.mget(index=name, ids=list(ids.values()))["docs"]
    before = {d["_id"]: d for d in found if d.get("found")}
    now = _now()
    operations: list[Source] = []
    changed = 0
    for url, grade in grades.items():
        record_id = ids[url]
        read = before.get(record_id)
        old = dict(read["_source"]) if read else None
        if (old or {}).get("grade") == grade:
            continue  # as it was (and None for a grade never given)
        after = None if grade is None else judgment_source(Judgment(text, url, grade, now, by))
        target = {"_index": name, "_id": record_id}
        if read is not None:
            target.update(if_seq_no=read["_seq_no"], if_primary_term=read["_primary_term"])
        if after is None:
            operations.append({"delete": target})
        else:
            operations += [{"index" if read else "create": target}, after]
        action = "deleted" if after is None else "created" if old is None else "changed"
        operations += [{"create": {"_index": name, "_id": f"audit-{new_id()}"}},
                       _audit_source(action, record_id, old, after, by)]
        changed += 1
    if operations:
        answer = client.bulk(operations=operations, refresh="wait_for")
        if answer["errors"]:
            failed = [item for op in answer["items"] for item in op.values() if item.get("error")]
            raise GradesConflict(f"{len(failed)} of the grades changed meanwhile: "
                                 f"{failed[0]['error'].get('reason', failed[0]['error'])}")
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
    hits = [(hit["_id"], hit["_source"]) for hit in answer["hits"]["hits"]]
    return _readable(hits, lambda _, s: _audit_from(s))


def new_id() -> str:
    return uuid.uuid4().hex


def judgment_id(query: str, url: str) -> str:
    """One record per query and article: grading again replaces the grade."""
    return "j-" + hashlib.sha256(f"{tidy(query)}\0{url}".encode()).hexdigest()[:40]


def _readable(records: Iterable[tuple[str, Source]], read: Callable[[str, Source], T]) -> list[T]:
    """What ``read`` makes of each record, a malformed one (written by hand, or by a bug)
    skipped and logged with its id: it costs its own rule, never the others nor a search."""
    found = []
    for record_id, source in records:
        try:
            found.append(read(record_id, source))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("curation record %s skipped, malformed: %r", record_id, exc)
    return found


def _now() -> datetime:
    return datetime.now(UTC)


def _write(client: Elasticsearch, prefix: str, record_id: str, source: Source, by: str) -> None:
    ensure(client, prefix)
    before = get(client, prefix, record_id)
    client.index(index=index_name(prefix), id=record_id, document=source, refresh="wait_for")
    _audit(client, prefix, "created" if before is None else "changed", record_id, before, source, by)


def _audit(client: Elasticsearch, prefix: str, action: str, target_id: str, before: Source | None,
           after: Source | None, by: str) -> None:
    client.index(index=index_name(prefix), id=f"audit-{new_id()}", refresh="wait_for",
                 document=_audit_source(action, target_id, before, after, by))


def _audit_source(action: str, target_id: str, before: Source | None, after: Source | None,
                  by: str) -> Source:
    kind = (after or before or {}).get("kind", "")
    return {"kind": AUDIT, "action": action, "target_kind": kind, "target_id": target_id,
            "updated_at": _iso(_now()), "updated_by": by, "before": before, "after": after}


def _records(client: Elasticsearch, prefix: str, kinds: Iterable[str]) -> list[tuple[str, Source]]:
    if not client.indices.exists(index=index_name(prefix)):
        return []
    answer = client.search(index=index_name(prefix), size=MAX_RECORDS,
                           query={"terms": {"kind": list(kinds)}})
    return [(hit["_id"], hit["_source"]) for hit in answer["hits"]["hits"]]


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def _moment(value: Any) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(_checked(value, str, "a time"))
    # A time without its zone could not be compared with the aware ones every search uses.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _checked(value: Any, kind: type[T], what: str) -> T:
    """``value``, refused unless of the type a search will use it as."""
    if not isinstance(value, kind):
        raise TypeError(f"{what} is {type(value).__name__}: {value!r}")
    return value


def _text(source: Source, key: str, default: str | None = None) -> str:
    """``source[key]``, which must be text; ``default`` when it is missing (required without one)."""
    value = source.get(key)
    if value is None and default is not None:
        return default
    return _checked(value, str, key)


def _objects(source: Source, key: str) -> list[Source]:
    return [_checked(item, dict, key) for item in _checked(source.get(key) or [], list, key)]


def best_bet_source(bet: BestBet) -> Source:
    return {"kind": BEST_BET, "query": bet.query, "normalised": normalise(bet.query), "match": bet.match,
            "pins": [{"doc_id": p.doc_id, "url": p.url, "position": p.position} for p in bet.pins],
            "hidden": [{"doc_id": t.doc_id, "url": t.url} for t in bet.hidden],
            "starts": _iso(bet.starts), "ends": _iso(bet.ends), "note": bet.note,
            "updated_at": _iso(bet.updated_at), "updated_by": bet.updated_by}


def best_bet_from(record_id: str, s: Source) -> BestBet:
    match = _text(s, "match", EXACT)
    if match not in MATCHES:
        raise ValueError(f"match is {match!r}")
    pins = tuple(Pin(_text(p, "doc_id"), _text(p, "url"), int(p["position"])) for p in _objects(s, "pins"))
    return BestBet(record_id, _text(s, "query"), match, pins,
                   tuple(Target(_text(t, "doc_id"), _text(t, "url")) for t in _objects(s, "hidden")),
                   _moment(s.get("starts")), _moment(s.get("ends")), _text(s, "note", ""),
                   _moment(s.get("updated_at")), _text(s, "updated_by", ""))


def synonym_source(synonym: Synonym) -> Source:
    return {"kind": SYNONYM, "rule": synonym.rule, "note": synonym.note,
            "updated_at": _iso(synonym.updated_at), "updated_by": synonym.updated_by}


def synonym_from(record_id: str, s: Source) -> Synonym:
    return Synonym(record_id, _text(s, "rule"), _text(s, "note", ""), _moment(s.get("updated_at")),
                   _text(s, "updated_by", ""))


def judgment_source(j: Judgment) -> Source:
    return {"kind": JUDGMENT, "query": j.query, "normalised": normalise(j.query), "url": j.url,
            "grade": j.grade, "updated_at": _iso(j.updated_at), "updated_by": j.updated_by}


def judgment_from(s: Source) -> Judgment:
    return Judgment(_text(s, "query"), _text(s, "url"), int(s["grade"]), _moment(s.get("updated_at")),
                    _text(s, "updated_by", ""))


def _audit_from(s: Source) -> AuditEntry:
    return AuditEntry(_moment(s["updated_at"]) or _now(), s.get("updated_by") or "", s["action"],
                      s.get("target_kind") or "", s["target_id"], s.get("before"), s.get("after"))
