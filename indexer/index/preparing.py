"""A raw page becomes a document to write, or an outcome that says why not.

The one path from stored bytes to a document: live ingestion calls it after each fetch, a
reclean for each page of the raw store. The page is cleaned as the URL that answered (after
redirects), so a same-site canonical is judged against where the bytes really came from.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from indexer.clean import CleanError, Page, Rules, clean, load_rules
from indexer.clean.metadata.model import supplied
from indexer.config import CleanSettings
from indexer.index import outcomes
from indexer.index.documents import Document, DocumentError, document_id, from_page
from indexer.index.outcomes import Outcome
from indexer.index.raw_store import RawPage

log = logging.getLogger(__name__)


@dataclass
class Prepared:
    """One page on its way: final when ``outcome`` is set, else ``document`` is to be written."""

    raw: RawPage
    outcome: Outcome | None = None
    page: Page | None = None
    document: Document | None = None

    def ids(self) -> set[str]:
        """Every document id the page may be known by: fetched, redirected to, indexed under."""
        ids = {self.document.id} if self.document is not None else set()
        for url in filter(None, (self.raw.url, self.raw.final_url, self.raw.canonical)):
            try:
                ids.add(document_id(url))
            except DocumentError:
                continue  # a file's path, not a URL: no id to be known by
        return ids


@dataclass(frozen=True)
class Cleaning:
    """What cleaning takes from the configuration; the one place the rules file is loaded."""

    rules: Rules | None
    max_bytes: int
    time_budget: float

    @classmethod
    def from_settings(cls, clean: CleanSettings) -> Cleaning:
        rules = load_rules(clean.rules_file) if clean.rules_file else None
        return cls(rules, clean.max_bytes, clean.time_budget)


def prepare(raw: RawPage, cleaning: Cleaning, ingested_at: datetime,
            passthrough: tuple[type[BaseException], ...] = ()) -> Prepared:
    """``raw`` cleaned and judged. ``passthrough``: exceptions that are not the page's fault
    (a task's own time limit) and must reach the caller instead of failing the page."""
    item = Prepared(raw)
    item.outcome = outcomes.of_status(raw.status)
    if item.outcome is not None:
        return item
    address = raw.final_url or raw.url
    try:
        item.page = clean(raw.html, url=address, headers=raw.headers, rules=cleaning.rules,
                          max_bytes=cleaning.max_bytes, time_budget=cleaning.time_budget,
                          supplied=supplied(raw.supplied) if raw.supplied else None)
    except passthrough:
        raise
    except CleanError as exc:
        item.outcome = outcomes.of_clean_error(exc)
        return item
    except Exception as exc:
        log.exception("cleaning %s crashed", raw.url)
        item.outcome = outcomes.of_crash(exc)
        return item
    if not item.page.url:
        item.page.url = address
    item.outcome = outcomes.of_page(item.page)
    try:
        item.document = from_page(item.page, ingested_at=ingested_at)
    except DocumentError as exc:
        item.outcome = item.outcome or outcomes.of_invalid(str(exc))
    return item
