"""Page titles without the site's name ("Article – Site" -> "Article")."""

from __future__ import annotations

import re

# Separators sites put between the article title and their own name.
_SEPARATORS = re.compile(r"\s+(?:[|\-–—·•»«/:]|::|\\\\)\s+")


# A title left with this many words or fewer by dropping its last part is ambiguous (is
# "Evolve: Shared Mutable History" the article or the site?), so the full one stays.
_MAX_AMBIGUOUS_WORDS = 4
# " : " is French typography inside titles, not a separator before a site name.
_TRAILING_SEPARATOR = re.compile(r"\s+(?:[|\-–—·•»/\\>]|::)\s+")


def strip_site_name(title: str | None, site_name: str | None, host: str | None = None, *,
                    headline: str | None = None, from_title_element: bool = False) -> str | None:
    """Remove a leading or trailing site name.

    A part equal to the declared site name, or naming the host ("Wikipedia" on
    en.wikipedia.org), goes. A ``<title>`` element (unlike a headline from metadata, which
    is written as the article's title) usually ends with the site's or section's name, so
    its last part goes too when enough title is left. Failing that, the part equal to the
    page's single ``<h1>`` is the title, when it is long enough to be unambiguous.
    """
    if not title:
        return None
    title = " ".join(title.split())
    if _SEPARATORS.search(title) is None:
        return title
    for name in (site_name, *_host_labels(host)):
        stripped = _without_name(title, name) if name else None
        if stripped:
            return stripped
    if from_title_element:
        stripped = _without_last_part(title)
        if stripped != title:
            return stripped
    return _headline_part(title, headline) or title


def _headline_part(title: str, headline: str | None) -> str | None:
    if not headline or len(headline.split()) <= _MAX_AMBIGUOUS_WORDS:
        return None
    for sep in _SEPARATORS.finditer(title):
        for part in (title[: sep.start()].strip(), title[sep.end():].strip()):
            if _same(part, headline):
                return part
    return None


def _host_labels(host: str | None) -> list[str]:
    # "www.archiveofourown.org" -> ["archiveofourown"]: labels that can name a site.
    labels = (host or "").lower().split(".")
    return [label for label in labels[:-1] if len(label) > 3 and label != "www"]


def _without_last_part(title: str) -> str:
    seps = list(_TRAILING_SEPARATOR.finditer(title))
    if not seps:
        return title
    head = title[: seps[-1].start()].strip()
    return head if len(head.split()) > _MAX_AMBIGUOUS_WORDS else title


def _without_name(title: str, site_name: str) -> str | None:
    # Walk separators rather than parts: a site name may itself contain one. A trailing
    # part that contains the name also counts ("My Hero Academia [Archive of Our Own]").
    name = _key(site_name)
    for sep in _SEPARATORS.finditer(title):
        if name and name in _key(title[sep.end():]):
            return title[: sep.start()].strip()
        if name and name == _key(title[: sep.start()]):
            return title[sep.end():].strip()
    return None


def _same(a: str, b: str) -> bool:
    return _key(a) == _key(b)


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()
