"""Which URL a page is known by: its own canonical link when that is trustworthy.

Pages carry malformed URLs ("http://[broken"), which the standard library refuses with
ValueError; here they count as absent rather than failing the page.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit


def resolve(page_url: str | None, declared: str | None) -> str | None:
    """The declared canonical (or og:url) when on the same site as ``page_url`` or when no
    URL was given; else ``page_url``. A page on one site cannot claim another site's URL."""
    if not declared:
        return page_url
    absolute = join(page_url, declared)
    if absolute is None:
        return page_url
    if page_url is None:
        return absolute if scheme(absolute) in {"http", "https"} else None
    return absolute if same_site(page_url, absolute) else page_url


def same_site(a: str, b: str) -> bool:
    return _site(a) == _site(b) and _site(a) != ""


def absolute(page_url: str | None, link: str | None) -> str | None:
    return join(page_url, link) if link else None


def join(base: str | None, link: str) -> str | None:
    if not base:
        return link
    try:
        return urljoin(base, link)
    except ValueError:
        return None


def host(url: str | None) -> str | None:
    """The host name, lower-cased; None when absent or malformed."""
    if not url:
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def path(url: str | None) -> str:
    try:
        return urlsplit(url or "").path
    except ValueError:
        return ""


def scheme(url: str) -> str:
    try:
        return urlsplit(url).scheme
    except ValueError:
        return ""


def _site(url: str) -> str:
    name = host(url) or ""
    return name[4:] if name.startswith("www.") else name
