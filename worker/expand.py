"""Turn a source into page references: sitemaps are followed, files and archives listed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from worker import wordpress_sync
from worker.fetch import Fetcher, FetchError, ssrf
from worker.fetch.errors import Refused
from worker.sources import PageRef, Source, files, pushed, sitemap, urllist, warc, wordpress

log = logging.getLogger(__name__)

# A sitemap index may list sitemap indexes; a loop or a huge tree stops here.
MAX_SITEMAP_DEPTH = 3
MAX_SITEMAPS = 1000


@dataclass(frozen=True)
class Unreadable:
    """A sitemap entry that is recorded as failed at expansion, with its reason: a sitemap that
    could not be read (its pages are unknown) or an entry the SSRF guard refuses, so the
    ledger keeps it instead of losing it quietly."""

    url: str
    reason: str
    # The job source it was listed from, when the entry is a sitemap (retried as a sitemap).
    sitemap_of: str | None = None

    def to_dict(self) -> dict[str, str]:
        """Its reference in the ledger: a sitemap is retried by reading it again."""
        if self.sitemap_of is None:
            return {"url": self.url}
        return {"url": self.url, "origin": "sitemap", "path": self.sitemap_of}


Found = PageRef | Unreadable


@dataclass(frozen=True)
class Index:
    """What expanding a WordPress site asks of the index (the site's pages it holds, with
    their modified dates) and keeps for the batches (the site's description)."""

    known: Callable[[wordpress.Site], Mapping[str, datetime | None]]
    remember: Callable[[wordpress.Site], None]


@dataclass
class _Walk:
    """One URL source being expanded: the job's source URL decides which allowlist entries
    every sitemap and page it lists may use (see worker.fetch.ssrf.scoped)."""

    fetcher: Fetcher
    cap: int
    source: str
    seen: set[str]
    index: Index | None = None

    def refusal(self, url: str) -> Unreadable | None:
        # The page task fetches a listed page with the page's own URL as the start, so a page
        # on an allowlisted host reached from another source is refused here, before it is queued.
        if not ssrf.foreign(url, self.source, self.fetcher.allowlist):
            return None
        reason = Refused(f"{url!r} is on an allowlisted host, admitted only for a job whose source "
                         f"is on it; listed from {self.source}")
        return Unreadable(url, str(reason))


def refs(source: Source, fetcher: Fetcher, base_url: str | None, cap: int,
         index: Index | None = None) -> Iterator[Found]:
    """``index``: lets a WordPress site be read through its REST API (without it, crawled)."""
    if source.kind in ("url", "wordpress"):
        walk = _Walk(fetcher, cap, source.location, {source.location}, index)
        yield from _url(walk, wordpress=source.kind == "wordpress")
    elif source.kind == "url_list":
        yield from (PageRef(url) for url in urllist.read(Path(source.location)))
    elif source.kind == pushed.KIND:
        yield from (PageRef(url, "pushed") for url in pushed.urls_of(source.location))
    elif source.kind == "warc":
        path = Path(source.location)
        for record in warc.responses(path):
            yield PageRef(record.url, "warc", str(path), record.offset)
    else:
        root = Path(source.location)
        for path in files.html_files(root):
            yield PageRef(files.page_url(path, root, base_url), "file", str(path))


def sitemap_again(url: str, source: str, fetcher: Fetcher, cap: int) -> Iterator[Found]:
    """A sitemap that failed at expansion, read again (a retry): its pages, or itself as
    Unreadable with the new reason."""
    yield from _sitemaps([url], _Walk(fetcher, cap, source, set()), depth=0)


def _url(walk: _Walk, wordpress: bool = False) -> Iterator[Found]:
    """A WordPress site's posts through its REST API (a site root, or any page of a site named
    as WordPress); a site root's sitemaps from robots.txt; a sitemap's pages; otherwise the
    page itself.

    If the URL cannot be fetched now, it becomes a page reference all the same: the page task
    fetches it again and records the failure (or retries it) in the job's ledger.
    """
    url, fetcher = walk.source, walk.fetcher
    parts = urlsplit(url)
    root = parts.path in ("", "/") and not parts.query
    if walk.index is not None and (wordpress or root):
        through_api = _wordpress(walk)
        if through_api is not None:
            yield from through_api
            return
        if wordpress:  # no open API: the site is crawled from its root, as any other
            url = f"{parts.scheme}://{parts.netloc}/"
            walk.source, parts, root = url, urlsplit(url), True
    if root:
        try:
            listed = fetcher.sitemap_urls_from_robots(f"{parts.scheme}://{parts.netloc}")
        except FetchError:
            listed = []
        if listed:
            yield from _sitemaps(listed, walk, depth=0)
            return
    try:
        answer = fetcher.fetch(url, accept=None)
    except FetchError:
        yield PageRef(url)
        return
    try:
        found = sitemap.parse(answer.body, walk.cap)
    except FetchError as exc:  # a corrupt or oversized .gz: a sitemap that cannot be read
        yield Unreadable(url, f"sitemap: {exc}", walk.source)
        return
    if found is not None:
        yield from _sitemap_pages(found, walk, depth=0)
        return
    yield PageRef(url)


def _wordpress(walk: _Walk) -> list[Found] | None:
    """The site's pages through its REST API (see worker.wordpress_sync), listed in full
    before any is queued; None when the site has no open API or it failed mid-way (the site
    is then crawled)."""
    assert walk.index is not None
    fetch = wordpress_sync.fetch_with(walk.fetcher, walk.source)
    try:
        site = wordpress.discover(fetch, walk.source)
        walk.index.remember(site)
        found = list(wordpress_sync.refs(site, fetch, walk.index.known(site)))
    except wordpress.NotWordPress as exc:
        log.info("%s: crawled, not read through a WordPress API: %s", walk.source, exc)
        return None
    except (FetchError, ValueError, KeyError) as exc:
        log.warning("%s: the WordPress API failed (%s); the site is crawled instead", walk.source, exc)
        return None
    return [walk.refusal(ref.url) or ref for ref in found]


def _sitemaps(urls: list[str], walk: _Walk, depth: int) -> Iterator[Found]:
    for url in urls:
        if url in walk.seen or len(walk.seen) >= MAX_SITEMAPS or depth > MAX_SITEMAP_DEPTH:
            continue
        walk.seen.add(url)
        refused = walk.refusal(url)
        if refused is not None:
            yield refused
            continue
        try:
            found = sitemap.parse(walk.fetcher.fetch(url, accept=None, source=walk.source).body, walk.cap)
        except FetchError as exc:
            yield Unreadable(url, f"sitemap: {exc}", walk.source)
            continue
        if found is None:
            yield Unreadable(url, "sitemap: not a sitemap", walk.source)
        else:
            yield from _sitemap_pages(found, walk, depth)


def _sitemap_pages(found: sitemap.Sitemap, walk: _Walk, depth: int) -> Iterator[Found]:
    if found.kind == "urlset":
        for entry in found.entries:
            yield walk.refusal(entry.loc) or PageRef(entry.loc, lastmod=entry.lastmod)
    else:
        yield from _sitemaps([e.loc for e in found.entries], walk, depth + 1)
