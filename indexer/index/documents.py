"""A cleaned :class:`~indexer.clean.Page` becomes the document the index stores.

The id is a hash of the canonical URL, so re-ingesting a URL replaces its document. The
document's external version is ``ingested_at`` in milliseconds: whichever copy of a page was
ingested last wins, whatever order the copies reach an index in (live writes and a reindex's
catch-up may cross).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from indexer import article_fields, category_paths
from indexer.index import near_duplicates


class PageLike(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


# Page fields copied as they are; the others (noindex, diagnostics...) are the pipeline's business.
COPIED_FIELDS = article_fields.copied()


class DocumentError(ValueError):
    """A page that cannot become a document (no URL, so no stable id)."""


@dataclass(frozen=True)
class Document:
    id: str
    source: dict[str, Any]
    version: int

    @property
    def url(self) -> str:
        return str(self.source["url"])


def canonical_url(url: str) -> str:
    """Scheme and host lower-cased, fragment dropped: the parts that never name another page.
    Path, query and trailing slash are kept, since sites do serve different pages on them."""
    try:
        parts = urlsplit(url.strip())
    except ValueError as exc:  # a broken [IPv6] host: callers expect the one error
        raise DocumentError(f"not a URL: {url!r} ({exc})") from None
    if not parts.scheme or not parts.netloc:
        raise DocumentError(f"not an absolute URL: {url!r}")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def document_id(url: str) -> str:
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()


def version_of(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_page(page: PageLike | Mapping[str, Any], *, ingested_at: datetime | None = None) -> Document:
    """The document for ``page`` (a Page or its ``to_dict()``), ingested at ``ingested_at``
    (default now; a reclean passes the time the raw page was stored)."""
    fields = dict(page) if isinstance(page, Mapping) else page.to_dict()
    if not fields.get("url"):
        raise DocumentError("page has no URL")
    url = canonical_url(str(fields["url"]))
    moment = ingested_at or datetime.now(UTC)
    if not fields.get("category_paths"):
        # A page made without the cleaner (a corpus, a fixture) may name its categories only:
        # they are top-level, as the cleaner makes a category no source gives ancestors.
        alone = category_paths.chains_of(fields.get("categories") or [], [])
        fields["category_paths"] = category_paths.expand(alone)
    source = {name: fields[name] for name in COPIED_FIELDS if fields.get(name) not in (None, "")}
    source["url"] = url
    source["site"] = urlsplit(url).hostname or ""
    source["ingested_at"] = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    source.update(_near_fields(str(source.get("content") or "")))
    return Document(document_id(url), source, version_of(moment))


def _near_fields(content: str) -> dict[str, Any]:
    """The text's MinHash signature and LSH keys, for near-duplicate marking (none when the
    text is too short to judge)."""
    signature = near_duplicates.signature(content)
    if signature is None:
        return {}
    return {"near_keys": near_duplicates.band_keys(signature),
            "near_signature": near_duplicates.encode(signature)}
