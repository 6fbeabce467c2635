"""Page titles without the site's name ("Article – Site" -> "Article")."""

from __future__ import annotations

import re

# Separators sites put between the article title and their own name.
_SEPARATORS = re.compile(r"\s+(?:[|\-–—·•»«/:]|::|\\\\)\s+")


def strip_site_name(title: str | None, site_name: str | None, headline: str | None) -> str | None:
    """Remove a leading or trailing site name; ``headline`` (the page's h1) breaks ties."""
    if not title:
        return None
    title = " ".join(title.split())
    if _SEPARATORS.search(title) is None:
        return title
    if site_name:
        stripped = _without_name(title, site_name)
        if stripped:
            return stripped
    if headline:
        for candidate in _prefixes_and_suffixes(title):
            if _same(candidate, headline):
                return candidate
    return title


def _without_name(title: str, site_name: str) -> str | None:
    # Walk separators rather than parts: a site name may itself contain one.
    for sep in _SEPARATORS.finditer(title):
        if _same(title[sep.end():], site_name):
            return title[: sep.start()].strip()
        if _same(title[: sep.start()], site_name):
            return title[sep.end():].strip()
    return None


def _prefixes_and_suffixes(title: str) -> list[str]:
    seps = list(_SEPARATORS.finditer(title))
    return [title[: s.start()].strip() for s in seps] + [title[s.end():].strip() for s in seps]


def _same(a: str, b: str) -> bool:
    return _key(a) == _key(b)


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()
