"""Reader input → a validated :class:`SearchRequest`, or a :class:`SearchRequestError` saying why not.

Input is any MultiDict-like mapping (Flask's ``request.args``): ``getlist`` for repeatable
parameters, ``get`` for single ones. Unknown parameters are ignored so that tracking tags on
shared links do no harm.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from indexer.config import SEARCH_MODES
from indexer.query.fields import FACET_NAMES, SEARCHABLE
from indexer.query.sitewords import SiteName
from indexer.query.text import ReaderQuery, parse

# Readers paste whole questions (one CACM request is 504 characters); past this a search is
# refused rather than cut, so what is searched is always what was typed.
MAX_QUERY_CHARS = 1000
MAX_SUGGEST_CHARS = 100
MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = 10
# Elasticsearch's index.max_result_window: deeper paging needs search_after, which readers don't.
MAX_RESULT_WINDOW = 10_000
MAX_VALUES_PER_FACET = 20
MAX_VALUE_CHARS = 200
SORTS = ("relevance", "newest", "oldest")


class Args(Protocol):
    def get(self, key: str) -> str | None: ...
    def getlist(self, key: str) -> list[str]: ...


class SearchRequestError(ValueError):
    """Input the search cannot take; ``message`` is safe to show the reader as it is."""

    def __init__(self, param: str, message: str, code: str = "invalid_parameter") -> None:
        super().__init__(message)
        self.param = param
        self.message = message
        self.code = code


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    fields: tuple[str, ...] = SEARCHABLE
    exact: bool = False
    sort: str = "relevance"
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    # None: the site's default (PAGESIFT_SEARCH_MODE), decided by the caller.
    mode: str | None = None
    # Each hit says the rank each side of a hybrid search gave it.
    explain: bool = False
    # Typo tolerance and corrections (indexer.query.spelling); off: the words exactly as typed
    # ("Search instead for ...").
    spell: bool = True
    # The site's names the words name (indexer.query.sitewords), found by the search path:
    # they rank the articles filed under them, never decide which match.
    site_words: tuple[SiteName, ...] = ()
    # ``q`` parsed, once per request (a changed ``q``, through dataclasses.replace, is parsed
    # anew): the builder, the curation, suggestions and the log read the words from here.
    query: ReaderQuery = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "query", parse(self.q))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def effective_sort(self) -> str:
        # With nothing to score against, relevance would be an arbitrary order.
        return "newest" if not self.q and self.sort == "relevance" else self.sort

    def selected(self, facet: str) -> tuple[str, ...]:
        return self.filters.get(facet, ())

    @property
    def can_be_hybrid(self) -> bool:
        """Meaning joins the words only for a search of title and body: "exact matches only" and
        one field alone ask for the words themselves. A date order lists the same results as
        the relevance order, in another order (indexer/searching.py)."""
        return bool(self.q) and not self.exact and self.fields == SEARCHABLE


def parse_search_args(args: Args) -> SearchRequest:
    q = parse_query_text(args.get("q"))
    date_from = _date(args, "from")
    date_to = _date(args, "to")
    if date_from and date_to and date_from > date_to:
        raise SearchRequestError("from", "The start date is after the end date.")
    page = _int(args, "page", 1, minimum=1)
    size = _int(args, "size", DEFAULT_PAGE_SIZE, minimum=1)
    if size > MAX_PAGE_SIZE:
        raise SearchRequestError("size", f"At most {MAX_PAGE_SIZE} results fit on a page.")
    if page * size > MAX_RESULT_WINDOW:
        raise SearchRequestError(
            "page", f"Only the first {MAX_RESULT_WINDOW:,} results can be paged through; "
                    "narrow the search with more words or filters.", code="too_deep")
    return SearchRequest(q=q, filters=_filters(args), date_from=date_from, date_to=date_to,
                         fields=_fields(args), exact=_flag(args, "exact"), sort=_sort(args),
                         page=page, size=size, mode=_mode(args), explain=_flag(args, "explain"),
                         spell=_flag(args, "spell", default=True))


def parse_query_text(raw: str | None) -> str:
    """The search text as the search reads it: whitespace collapsed, length checked."""
    return _query(raw, MAX_QUERY_CHARS)


def parse_suggest_args(args: Args) -> str:
    return _query(args.get("q"), MAX_SUGGEST_CHARS)


def _query(raw: str | None, limit: int) -> str:
    q = " ".join((raw or "").split())
    if len(q) > limit:
        raise SearchRequestError("q", f"The search text is too long (at most {limit} characters).")
    return q


def _filters(args: Args) -> dict[str, tuple[str, ...]]:
    filters: dict[str, tuple[str, ...]] = {}
    for name in FACET_NAMES:
        values = tuple(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))
        if not values:
            continue
        if len(values) > MAX_VALUES_PER_FACET:
            raise SearchRequestError(name, f"At most {MAX_VALUES_PER_FACET} {name} values at once.")
        if any(len(v) > MAX_VALUE_CHARS for v in values):
            raise SearchRequestError(name, f"A {name} value is too long.")
        if name == "year" and not all(_is_year(v) for v in values):
            raise SearchRequestError("year", "A year is four digits, like 2024.")
        filters[name] = values
    return filters


def _is_year(value: str) -> bool:
    # No leading zero: "0500" is no year an article was published in, and four digits keep
    # the filter's date arithmetic inside what Elasticsearch's "yyyy" parses.
    return value.isascii() and value.isdigit() and len(value) == 4 and value[0] != "0"


def _fields(args: Args) -> tuple[str, ...]:
    # An empty ``in=`` (a form or a script sending the field blank) restricts nothing, like
    # an empty facet value: it is left out rather than refused.
    chosen = tuple(dict.fromkeys(v.strip() for v in args.getlist("in") if v.strip()))
    unknown = [v for v in chosen if v not in SEARCHABLE]
    if unknown:
        raise SearchRequestError("in", f"Search in {' or '.join(SEARCHABLE)}, not {unknown[0]!r}.")
    # Neither box ticked means the reader did not restrict the search.
    return tuple(f for f in SEARCHABLE if f in chosen) or SEARCHABLE


def _flag(args: Args, name: str, *, default: bool = False) -> bool:
    raw = (args.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "on", "true"}:
        return True
    if raw in {"0", "off", "false"}:
        return False
    raise SearchRequestError(name, f"{name} is 0 or 1.")


def _sort(args: Args) -> str:
    raw = args.get("sort") or "relevance"
    if raw not in SORTS:
        raise SearchRequestError("sort", f"Sort by {', '.join(SORTS)}.")
    return raw


def _mode(args: Args) -> str | None:
    raw = (args.get("mode") or "").strip().lower()
    if raw and raw not in SEARCH_MODES:
        raise SearchRequestError("mode", f"mode is {' or '.join(SEARCH_MODES)}.")
    return raw or None


def _int(args: Args, name: str, default: int, minimum: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SearchRequestError(name, f"{name} is a whole number.") from None
    if value < minimum:
        raise SearchRequestError(name, f"{name} is at least {minimum}.")
    return value


def _date(args: Args, name: str) -> dt.date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise SearchRequestError(name, f"{name} is a date like 2024-01-31.") from None


@dataclass(frozen=True)
class RelatedRequest:
    url: str
    size: int
    same_category: bool = False
    q: str = ""  # the reader's query, when asked from its results: what best bets hide for it stays out


def parse_related_args(args: Args, *, default_size: int, max_size: int) -> RelatedRequest:
    """``url`` (required, http or https), ``size``, ``same_category``, ``q``."""
    url = (args.get("url") or "").strip()
    if not url.startswith(("http://", "https://")) or len(url) > MAX_QUERY_CHARS or not _names_a_page(url):
        raise SearchRequestError("url", "url is the address of an article (http or https).")
    size = _int(args, "size", default_size, minimum=1)
    if size > max_size:
        raise SearchRequestError("size", f"At most {max_size} related articles at once.")
    return RelatedRequest(url, size, _flag(args, "same_category"), parse_query_text(args.get("q")))


def _names_a_page(url: str) -> bool:
    """Whether ``url`` has the host an article's id is made from: "https://" or "http:///path"
    pass the scheme check but have none, and "https://[::1" does not even split."""
    # Imported here: the documents module pulls in the near-duplicate hashing, which parsing a
    # search never needs.
    from indexer.index.documents import DocumentError, canonical_url

    try:
        canonical_url(url)
    except DocumentError:
        return False
    return True
