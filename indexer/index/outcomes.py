"""What becomes of a page: the one table from what the cleaner said, and what kind of page it
is, to an index action.

Live ingestion, reclean and the CMS webhook (an ingest of one URL) all decide here, so a page
cannot be indexed by one path and skipped by the other. Every page ends in one of three
states: ``indexed``; ``skipped`` with a reason (a lasting property of the page: retrying it
changes nothing); ``failed`` with a reason (what an operator can change, or what may pass).
A skip that ``removes`` also takes the URL's document out of the index, if one is there.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.clean import CleanError, Page

INDEXED, SKIPPED, FAILED = "indexed", "skipped", "failed"


@dataclass(frozen=True)
class Outcome:
    state: str
    reason: str = ""
    stage: str = "index"
    removes: bool = False

    @property
    def kind(self) -> str:
        """The reason's first word: what reports count by."""
        return self.reason.split(":", 1)[0]


# Cleaner errors by kind. A page that is not HTML or has no text will be the same tomorrow: a
# skip. A limit (size, depth, time) or the rules file is the operator's to change, and a parse
# error may be a truncated download: failures, retried and shown.
CLEAN_ERRORS: dict[str, tuple[str, str]] = {
    "unsupported_content": (SKIPPED, "not_html"),
    "empty": (SKIPPED, "empty"),
    "too_large": (FAILED, "too_large"),
    "too_deep": (FAILED, "too_deep"),
    "time_budget_exceeded": (FAILED, "time_budget_exceeded"),
    "parse_error": (FAILED, "parse_error"),
    "rules_error": (FAILED, "rules_error"),
}
# What the site answered for a page that is no more: out of the index, kept in the raw store
# with its status so a reclean knows too.
GONE_STATUSES = (404, 410)

TAKEN_DOWN = Outcome(SKIPPED, "taken_down", "index", removes=True)
UNCHANGED = Outcome(SKIPPED, "unchanged", "index")
INDEXED_OUTCOME = Outcome(INDEXED, "", "index")


def of_clean_error(exc: CleanError) -> Outcome:
    state, reason = CLEAN_ERRORS.get(exc.kind, (FAILED, exc.kind))
    return Outcome(state, f"{reason}: {exc.message}" if exc.message else reason, "clean",
                   removes=state == SKIPPED)


def of_crash(exc: Exception) -> Outcome:
    """A bug in the cleaner or a library under it fails this page alone, with its reason."""
    return Outcome(FAILED, f"internal: {type(exc).__name__}: {exc}", "clean")


def of_invalid(detail: str) -> Outcome:
    return Outcome(FAILED, f"invalid_page: {detail}", "index")


def of_status(status: int) -> Outcome | None:
    """For a stored copy: what its status says."""
    return gone(str(status)) if status in GONE_STATUSES else None


def gone(detail: str) -> Outcome:
    return Outcome(SKIPPED, f"gone: {detail}", "fetch", removes=True)


def protected(detail: str) -> Outcome:
    """Readable only with a password (a WordPress post's password form): never searchable."""
    return Outcome(SKIPPED, f"protected: {detail}", "fetch", removes=True)


def of_page(page: Page) -> Outcome | None:
    """A cleaned page that must not be searchable: it asks not to be, or it lists others."""
    if page.noindex:
        return Outcome(SKIPPED, "noindex", "index", removes=True)
    if page.kind == "listing":
        return Outcome(SKIPPED, "listing", "index", removes=True)
    if page.kind == "protected":
        return Outcome(SKIPPED, "protected: password form", "index", removes=True)
    return None


def of_duplicate(original: str) -> Outcome:
    """Written all the same, marked, so searches show the original and the copy can take
    over if the original goes."""
    return Outcome(SKIPPED, f"duplicate: of {original}", "index")


def of_refusal(error_type: str, reason: str) -> Outcome:
    return Outcome(FAILED, f"{error_type}: {reason}", "index")
