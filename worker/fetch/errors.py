"""Typed fetch failures: ``kind`` is the reason recorded in a job's ledger."""

from __future__ import annotations


class FetchError(Exception):
    """The page could not be fetched. ``transient`` failures are worth retrying later."""

    kind = "fetch_error"
    transient = False

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def __str__(self) -> str:
        return f"{self.kind}: {super().__str__()}"


class Refused(FetchError):
    """The SSRF guard refused the address (or the scheme); no connection was made."""

    kind = "refused"


class BadUrl(FetchError):
    kind = "bad_url"


class RobotsDisallowed(FetchError):
    kind = "robots"


class TooLarge(FetchError):
    kind = "too_large"


class NotHtml(FetchError):
    kind = "not_html"


class TooManyRedirects(FetchError):
    kind = "redirects"


class Gone(FetchError):
    """404 or 410: the page no longer exists."""

    kind = "gone"


class HttpStatus(FetchError):
    kind = "http_status"


class Transient(FetchError):
    """Network trouble, a timeout, 429 or 5xx: retried with backoff."""

    kind = "network"
    transient = True


class HostBusy(Transient):
    """The host's next polite slot is further off than a task may sleep. The slot is reserved
    all the same (``slot``, on Redis's clock): the page is put off until then, with it, and no
    worker waits. Not an attempt at the page."""

    kind = "host_busy"

    def __init__(self, message: str, *, retry_after: float, slot: float | None) -> None:
        super().__init__(message, retry_after=retry_after)
        self.slot = slot
