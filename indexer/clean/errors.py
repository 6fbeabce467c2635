"""Typed errors of the cleaner: each carries a short ``kind`` the CLI and pipeline report."""

from __future__ import annotations


class CleanError(Exception):
    """Base class: the page could not be cleaned. ``kind`` names the reason."""

    kind = "clean_error"

    def __str__(self) -> str:
        return f"{self.kind}: {super().__str__()}"

    @property
    def message(self) -> str:
        return super().__str__()


class EmptyDocument(CleanError):
    kind = "empty"


class UnsupportedContent(CleanError):
    """Not HTML: a PDF, an image, other binary data or plain text without markup."""

    kind = "unsupported_content"


class TooLarge(CleanError):
    kind = "too_large"


class TooDeep(CleanError):
    """Nesting deeper than the parser keeps: parsing would silently drop content."""

    kind = "too_deep"


class TimeBudgetExceeded(CleanError):
    kind = "time_budget_exceeded"


class ParseError(CleanError):
    kind = "parse_error"


class RulesError(CleanError):
    """The per-site rules file is unreadable or malformed."""

    kind = "rules_error"
