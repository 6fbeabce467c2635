"""A page reference: what a task needs to get one page's bytes, small enough for the broker."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

# Where the bytes come from: fetched over http(s), read from a local file, from a WARC record, or
# staged by a publisher's push (worker.sources.pushed).
# "sitemap": not a page but a sitemap to read again (a retry of one that failed at expansion);
# its ``path`` is the job source it was listed from, which decides the allowlist it may use.
# "wordpress": a post read through its site's REST API; ``path`` is its item's API URL
# (.../wp-json/wp/v2/posts/123), see worker.wordpress_sync.
ORIGINS = ("http", "file", "warc", "sitemap", "wordpress", "pushed")
# Read from local disk or Redis: quick, with no network wait or politeness delay between pages.
LOCAL_ORIGINS = ("file", "warc", "pushed")


def host_of(url: str) -> str:
    """The host (and port, as written) a fetched page's batch and politeness go by."""
    return urlsplit(url).netloc.lower()


@dataclass(frozen=True)
class PageRef:
    url: str
    origin: str = "http"
    path: str | None = None
    offset: int | None = None
    lastmod: str | None = None
    # A politeness slot reserved for this page when it was put off (see worker.fetch.politeness).
    slot: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageRef:
        if data.get("origin", "http") not in ORIGINS:
            raise ValueError(f"unknown page origin {data.get('origin')!r}")
        return cls(**{k: data[k] for k in ("url", "origin", "path", "offset", "lastmod", "slot")
                     if k in data})
