"""What the log records: one document per reader search, one per click on a result.

Never stored: the reader's IP address, user agent or any account. A visit is a random id
the web app keeps in a short-lived cookie (see web/searchlog), so a visit's searches and
clicks can be counted together without knowing who made them. A search also carries a
``reader`` key (see :mod:`indexer.searchlog.readers`) that only tells readers apart within a
day, for past-query suggestions.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from indexer.query import SearchRequest

SEARCH = "search"
CLICK = "click"


def new_id() -> str:
    """A random event id (also the document's ``_id``): 128 bits, nothing derived from the reader."""
    return uuid.uuid4().hex


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Shown:
    """One result on the page the reader saw: its document id and 1-based position overall."""

    id: str
    position: int


@dataclass(frozen=True)
class SearchEvent:
    search_id: str
    query: str  # in normal form (indexer.query.text.normal_form)
    filters: tuple[str, ...]
    mode: str
    total: int
    results: tuple[Shown, ...]
    latency_ms: int
    page: int = 1
    size: int = 10
    sort: str = "relevance"
    fields: tuple[str, ...] = ()
    exact: bool = False
    date_from: str | None = None
    date_to: str | None = None
    visit_id: str | None = None
    reader: str | None = None
    at: datetime = field(default_factory=now)

    @property
    def event_id(self) -> str:
        return self.search_id

    @property
    def filed_at(self) -> datetime:
        """The moment whose day's index holds the event."""
        return self.at

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "event": SEARCH, "at": self.at.isoformat(), "search_id": self.search_id,
            "query": self.query, "filters": list(self.filters), "mode": self.mode,
            "total": self.total, "latency_ms": self.latency_ms, "page": self.page, "size": self.size,
            "sort": self.sort, "fields": list(self.fields), "exact": self.exact,
            "results": [{"id": r.id, "position": r.position} for r in self.results],
        }
        return _without_empty(doc, ("date_from", self.date_from), ("date_to", self.date_to),
                              ("visit_id", self.visit_id), ("reader", self.reader))

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any], *, at: datetime, visit_id: str | None,
                 reader: str | None = None) -> SearchEvent:
        """The event :meth:`to_doc` wrote (a search whose logging waited on the reader: see
        web/searchlog/recording.py), shown ``at`` and logged for ``visit_id`` and ``reader``."""
        return cls(search_id=str(doc["search_id"]), query=str(doc["query"]),
                   filters=tuple(str(f) for f in doc.get("filters") or ()), mode=str(doc["mode"]),
                   total=int(doc["total"]),
                   results=tuple(Shown(str(r["id"]), int(r["position"])) for r in doc.get("results") or ()),
                   latency_ms=int(doc["latency_ms"]), page=int(doc["page"]), size=int(doc["size"]),
                   sort=str(doc["sort"]), fields=tuple(str(f) for f in doc.get("fields") or ()),
                   exact=bool(doc.get("exact")), date_from=doc.get("date_from"), date_to=doc.get("date_to"),
                   visit_id=visit_id, reader=reader, at=at)


@dataclass(frozen=True)
class ClickEvent:
    search_id: str
    query: str
    position: int
    doc_id: str
    url: str
    visit_id: str | None = None
    at: datetime = field(default_factory=now)
    shown_at: datetime | None = None  # when the results page was shown (its click token signed)

    @property
    def event_id(self) -> str:
        """Derived from what was clicked, not random: the same report posted again (a replayed
        token, a second click on the same result) is written under the same id, so it is one
        click, not one more."""
        clicked = f"{self.search_id}\0{self.position}\0{self.doc_id}"
        return "click-" + hashlib.sha256(clicked.encode()).hexdigest()[:32]

    @property
    def filed_at(self) -> datetime:
        """The day the results were shown, not the day of the click: every report of one click,
        however late within its token's 24 hours, lands in the one index where its id is unique."""
        return self.shown_at or self.at

    def to_doc(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "event": CLICK, "at": self.at.isoformat(), "search_id": self.search_id,
            "query": self.query, "position": self.position, "doc_id": self.doc_id, "url": self.url,
        }
        return _without_empty(doc, ("visit_id", self.visit_id))


Event = SearchEvent | ClickEvent


def _without_empty(doc: dict[str, Any], *optional: tuple[str, str | None]) -> dict[str, Any]:
    doc.update({name: value for name, value in optional if value})
    return doc


def filter_terms(filters: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """``{"year": ("2021",)}`` → ``("year:2021",)``: one keyword per chosen value, so the log
    can count which filters readers use without a field per facet."""
    return tuple(f"{name}:{value}" for name, values in sorted(filters.items()) for value in values)


def search_event(req: SearchRequest, result: Mapping[str, Any], *, mode: str, latency_ms: int,
                 visit_id: str | None, reader: str | None = None,
                 search_id: str | None = None) -> SearchEvent:
    """The event for ``req`` answered by ``result`` (the shaped search, :func:`indexer.searching.search`)."""
    hits = result.get("hits") or []
    return SearchEvent(
        search_id=search_id or new_id(), query=req.query.normal, filters=filter_terms(req.filters),
        mode=mode, total=int(result.get("total") or 0),
        results=tuple(Shown(str(hit["id"]), req.offset + n) for n, hit in enumerate(hits, start=1)),
        latency_ms=latency_ms, page=req.page, size=req.size, sort=req.sort, fields=req.fields,
        exact=req.exact, date_from=req.date_from.isoformat() if req.date_from else None,
        date_to=req.date_to.isoformat() if req.date_to else None, visit_id=visit_id, reader=reader)
