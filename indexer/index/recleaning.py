"""Raw pages through the current cleaner, as documents for a reclean.

What the cleaner refuses for good (not HTML, empty, too large...) and pages that ask not to
be indexed are skipped, as live ingestion skips them; what fails for a passing reason (the
time budget) or unexpectedly is a failure, counted against the reindex's failure share.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from indexer.clean import CleanError, Rules, TimeBudgetExceeded, clean, load_rules
from indexer.config import Settings
from indexer.index.bulk import BulkReport, Failure
from indexer.index.documents import Document, DocumentError, document_id, from_page
from indexer.index.raw_store import RawPage


def rules_of(settings: Settings) -> Rules | None:
    return load_rules(settings.rules_file) if settings.rules_file else None


def recleaned(raws: Iterable[RawPage], settings: Settings, tally: BulkReport) -> Iterator[Document]:
    """Documents for ``raws``; skips and failures go to ``tally``."""
    rules = rules_of(settings)
    for raw in raws:
        document = _document(raw, settings, rules, tally)
        if document is not None:
            yield document


def _document(raw: RawPage, settings: Settings, rules: Rules | None, tally: BulkReport) -> Document | None:
    try:
        page = clean(raw.html, raw.url, raw.headers, rules=rules, max_bytes=settings.clean_max_bytes,
                     time_budget=settings.clean_time_budget)
        if page.noindex:
            tally.counts["skipped:noindex"] += 1
            return None
        return from_page(page, ingested_at=raw.stored_at)
    except TimeBudgetExceeded as exc:
        tally.add_failure(_failure(raw, exc.kind, str(exc)))
    except CleanError as exc:
        tally.counts[f"skipped:{exc.kind}"] += 1
    except DocumentError as exc:
        tally.add_failure(_failure(raw, "invalid_page", str(exc)))
    except Exception as exc:
        # One page crashing the cleaner must not stop the rebuild; it counts as a failure.
        tally.add_failure(_failure(raw, "clean_crash", f"{type(exc).__name__}: {exc}"))
    return None


def _failure(raw: RawPage, kind: str, reason: str) -> Failure:
    return Failure(document_id(raw.url), raw.url, 0, kind, reason)
