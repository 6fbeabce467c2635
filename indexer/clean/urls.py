"""Which URL a page is known by: its own canonical link when that is trustworthy."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit


def resolve(page_url: str | None, declared: str | None) -> str | None:
    """The declared canonical (or og:url) when on the same site as ``page_url`` or when no
    URL was given; else ``page_url``. A page on one site cannot claim another site's URL."""
    if not declared:
        return page_url
    absolute = urljoin(page_url, declared) if page_url else declared
    if page_url is None:
        return absolute if urlsplit(absolute).scheme in {"http", "https"} else None
    return absolute if same_site(page_url, absolute) else page_url


def same_site(a: str, b: str) -> bool:
    return _host(a) == _host(b) and _host(a) != ""


def absolute(page_url: str | None, link: str | None) -> str | None:
    if not link:
        return None
    return urljoin(page_url, link) if page_url else link


def host(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host
