"""HTML cleaning: one page's bytes in, a :class:`Page` (title, main content, facets) out.

See ``docs/cleaning.md``. Nothing here reads configuration: limits are parameters whose
defaults equal those of :mod:`indexer.config`.
"""

from __future__ import annotations

from indexer.clean.cleaner import DEFAULT_MAX_BYTES, DEFAULT_TIME_BUDGET, clean
from indexer.clean.errors import (
    CleanError,
    EmptyDocument,
    ParseError,
    RulesError,
    TimeBudgetExceeded,
    TooDeep,
    TooLarge,
    UnsupportedContent,
)
from indexer.clean.language_model import keep_in as keep_models_in
from indexer.clean.limits import PAGE_TYPES, accepts_type
from indexer.clean.page import Page
from indexer.clean.rules import Rules, SiteRule
from indexer.clean.rules import load as load_rules


def warm_up() -> None:
    """Import the extractors and load the language model now, so that a long-running
    worker pays these one-time costs at start-up instead of on its first pages."""
    import readability  # noqa: F401
    import trafilatura  # noqa: F401

    from indexer.clean.language import warm_up as load_language_model

    load_language_model()

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIME_BUDGET",
    "PAGE_TYPES",
    "CleanError",
    "EmptyDocument",
    "Page",
    "ParseError",
    "Rules",
    "RulesError",
    "SiteRule",
    "TimeBudgetExceeded",
    "TooDeep",
    "TooLarge",
    "UnsupportedContent",
    "accepts_type",
    "clean",
    "keep_models_in",
    "load_rules",
    "warm_up",
]
