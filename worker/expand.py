"""Turn a source into page references: sitemaps are followed, files and archives listed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from worker.fetch import Fetcher, FetchError
from worker.sources import PageRef, Source, files, sitemap, urllist, warc

# A sitemap index may list sitemap indexes; a loop or a huge tree stops here.
MAX_SITEMAP_DEPTH = 3
MAX_SITEMAPS = 1000


@dataclass(frozen=True)
class Unreadable:
    """A sitemap listed by another that could not be read: its pages are unknown, so the
    ledger records it as a failed entry instead of losing it quietly."""

    url: str
    reason: str


Found = PageRef | Unreadable


def refs(source: Source, fetcher: Fetcher, base_url: str | None, cap: int) -> Iterator[Found]:
    if source.kind == "url":
        yield from _url(source.location, fetcher, cap)
    elif source.kind == "url_list":
        yield from (PageRef(url) for url in urllist.read(Path(source.location)))
    elif source.kind == "warc":
        path = Path(source.location)
        for record in warc.responses(path):
            yield PageRef(record.url, "warc", str(path), record.offset)
    else:
        root = Path(source.location)
        for path in files.html_files(root):
            yield PageRef(files.page_url(path, root, base_url), "file", str(path))


def _url(url: str, fetcher: Fetcher, cap: int) -> Iterator[Found]:
    """A site root's sitemaps from robots.txt; a sitemap's pages; otherwise the page itself.

    If the URL cannot be fetched now, it becomes a page reference all the same: the page task
    fetches it again and records the failure (or retries it) in the job's ledger.
    """
    parts = urlsplit(url)
    if parts.path in ("", "/") and not parts.query:
        try:
            listed = fetcher.sitemap_urls_from_robots(f"{parts.scheme}://{parts.netloc}")
        except FetchError:
            listed = []
        if listed:
            yield from _sitemaps(listed, fetcher, cap, depth=0, seen={url})
            return
    try:
        answer = fetcher.fetch(url, accept=None)
    except FetchError:
        yield PageRef(url)
        return
    found = sitemap.parse(answer.body, cap)
    if found is not None:
        yield from _sitemap_pages(found, fetcher, cap, depth=0, seen={url})
        return
    yield PageRef(url)


def _sitemaps(urls: list[str], fetcher: Fetcher, cap: int, depth: int, seen: set[str]) -> Iterator[Found]:
    for url in urls:
        if url in seen or len(seen) >= MAX_SITEMAPS or depth > MAX_SITEMAP_DEPTH:
            continue
        seen.add(url)
        try:
            found = sitemap.parse(fetcher.fetch(url, accept=None).body, cap)
        except FetchError as exc:
            yield Unreadable(url, str(exc))
            continue
        if found is None:
            yield Unreadable(url, "not a sitemap")
        else:
            yield from _sitemap_pages(found, fetcher, cap, depth, seen)


def _sitemap_pages(found: sitemap.Sitemap, fetcher: Fetcher, cap: int, depth: int,
                   seen: set[str]) -> Iterator[Found]:
    if found.kind == "urlset":
        yield from (PageRef(e.loc, lastmod=e.lastmod) for e in found.entries)
    else:
        yield from _sitemaps([e.loc for e in found.entries], fetcher, cap, depth + 1, seen)
