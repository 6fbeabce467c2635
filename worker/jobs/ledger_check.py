"""The ledger check: proof that a job lost nothing.

Every page a job accepted must be final (indexed, skipped with a reason, failed with a
reason), and after a refresh the read index must hold, as searchable documents, exactly the
pages the ledger calls indexed: none missing, none the ledger does not account for.

Pages skipped as ``unchanged`` may be in the index (an earlier job put them there), and a page
skipped as a ``duplicate`` is stored marked ``duplicate_of``, which hides it from readers; so
"searchable" means a document of the read alias without ``duplicate_of``.

:func:`compare` is pure (records and the index's ids in, verdict out); :func:`check` reads
the ledger from Redis and the ids from Elasticsearch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import Elasticsearch
from elasticsearch.helpers import scan

from indexer.index.documents import DocumentError, document_id
from worker.jobs.ledger import PageLedger
from worker.jobs.model import FINAL_PAGE_STATES, PageRecord

# Skip reasons under which the page's document may still be searchable (put there earlier).
MAY_BE_PRESENT = ("unchanged",)
# How many offending URLs a report keeps; counts are always complete.
SHOWN = 20


@dataclass(frozen=True)
class LedgerCheck:
    submitted: int
    states: dict[str, int]
    # Accepted pages not final, or final without the reason a skip or failure must carry.
    unfinished: list[str] = field(default_factory=list)
    reasonless: list[str] = field(default_factory=list)
    # Indexed in the ledger but not searchable; searchable but not indexed in the ledger.
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    searchable: int = 0

    @property
    def ok(self) -> bool:
        return not (self.unfinished or self.reasonless or self.missing or self.unexpected)

    def summary(self) -> dict[str, Any]:
        return {"ok": self.ok, "submitted": self.submitted, "states": self.states,
                "searchable": self.searchable, "unfinished": len(self.unfinished),
                "reasonless": len(self.reasonless), "missing": len(self.missing),
                "unexpected": len(self.unexpected),
                "examples": {name: getattr(self, name)[:SHOWN]
                             for name in ("unfinished", "reasonless", "missing", "unexpected")
                             if getattr(self, name)}}

    def __str__(self) -> str:
        s = self.summary()
        return (f"ledger {'OK' if self.ok else 'BROKEN'}: {s['submitted']} submitted {s['states']}, "
                f"{s['searchable']} searchable; unfinished {s['unfinished']}, reasonless {s['reasonless']}, "
                f"missing {s['missing']}, unexpected {s['unexpected']}"
                + (f"; e.g. {s['examples']}" if s["examples"] else ""))


def _id(url: str) -> str | None:
    try:
        return document_id(url)
    except DocumentError:
        return None


def compare(records: Iterable[PageRecord], searchable: Mapping[str, str], *,
            exclusive: bool = True) -> LedgerCheck:
    """Judge ledger ``records`` against the read index's searchable documents (id -> URL).

    With ``exclusive``, every searchable document must be accounted for by the records (the
    index holds these jobs' pages and nothing else); without it, only documents of the
    records' URLs are judged.
    """
    pages = list(records)
    states = Counter(r.state for r in pages)
    unfinished = sorted(r.url for r in pages if r.state not in FINAL_PAGE_STATES)
    reasonless = sorted(r.url for r in pages if r.state in ("skipped", "failed") and not r.reason.strip())
    indexed = {i: r.url for r in pages if r.state == "indexed" and (i := _id(r.url))}
    tolerated = {i for r in pages if r.state == "skipped" and r.reason.split(":")[0] in MAY_BE_PRESENT
                 and (i := _id(r.url))}
    known = {i for r in pages if (i := _id(r.url))}
    judged = searchable.keys() if exclusive else searchable.keys() & known
    return LedgerCheck(
        submitted=len(pages), states=dict(sorted(states.items())), unfinished=unfinished,
        reasonless=reasonless,
        missing=sorted(url for i, url in indexed.items() if i not in searchable),
        unexpected=sorted(searchable[i] for i in judged if i not in indexed and i not in tolerated),
        searchable=len(searchable))


def searchable_ids(es: Elasticsearch, alias: str) -> dict[str, str]:
    """Id -> URL of every document readers can find through ``alias``, after a refresh."""
    es.indices.refresh(index=alias)
    query = {"bool": {"must_not": {"exists": {"field": "duplicate_of"}}}}
    return {hit["_id"]: str(hit["_source"].get("url", "")) for hit in
            scan(es, index=alias, query={"query": query, "_source": ["url"]}, size=1000)}


def check(ledger: PageLedger, es: Elasticsearch, alias: str, job_ids: Sequence[str], *,
          exclusive: bool = True) -> LedgerCheck:
    """The ledger check of ``job_ids`` (one job, or several that share an index)."""
    records = [record for job_id in job_ids for record in ledger.pages(job_id)]
    return compare(records, searchable_ids(es, alias), exclusive=exclusive)
