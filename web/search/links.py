"""What the page template needs beyond the results: URLs for each state, pages, year bars, chips."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask_babel import format_date, gettext
from werkzeug.datastructures import MultiDict

from indexer.query import SearchRequest
from indexer.query.fields import FACET_NAMES, SEARCHABLE
from indexer.query.request import MAX_RESULT_WINDOW
from web.search import labels

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ps", "ur", "ckb", "yi", "dv", "sd", "ug"})
BAR_STEPS = 20
PAGE_WINDOW = 2
# Parameter values that say nothing the absence of the parameter does not say already.
_DEFAULTS = {"page": "1", "sort": "relevance", "exact": "0", "spell": "1"}


def clean_args(args: MultiDict[str, str]) -> MultiDict[str, str]:
    """``args`` without empty values and defaults, in their order: the one URL of a state.

    search.js applies the same rules on submit; the page redirects any other spelling here,
    so a bookmark or a shared link never carries ``from=&to=``.
    """
    kept = [(name, value) for name, value in args.items(multi=True)
            if value.strip() and _DEFAULTS.get(name) != value.strip()]
    # Both fields ticked is the default, and what a form without JavaScript always sends.
    if set(SEARCHABLE) <= {value for name, value in kept if name == "in"}:
        kept = [(name, value) for name, value in kept if name != "in"]
    return MultiDict(kept)


def neither_field(args: MultiDict[str, str]) -> bool:
    """The form's hidden empty ``in`` came alone: the reader unticked title and content both."""
    return "in" in args and not any(v.strip() for v in args.getlist("in"))


class Links:
    """Query strings derived from the current one; any change but paging goes back to page 1."""

    def __init__(self, args: MultiDict[str, str], path: str = "") -> None:
        self.args = clean_args(args)
        self.path = path

    def with_(self, **changes: Any) -> str:
        changes.setdefault("page", None)
        wanted = {name: _as_list(value) for name, value in changes.items()}
        # A changed parameter keeps its place, so removing one filter leaves the others' order;
        # its new values go where its first old one was, a new parameter at the end.
        pairs: list[tuple[str, str]] = []
        for name, value in self.args.items(multi=True):
            if name not in wanted:
                pairs.append((name, value))
            else:
                pairs.extend((name, v) for v in wanted[name])
                wanted[name] = []
        pairs.extend((name, v) for name, values in wanted.items() for v in values)
        return self._href(clean_args(MultiDict(pairs)))

    def toggled(self, name: str, value: Any) -> str:
        current = self.args.getlist(name)
        value = str(value)
        chosen = [v for v in current if v != value] if value in current else [*current, value]
        return self.with_(**{name: chosen})

    def checked_in(self, field: str) -> bool:
        chosen = self.args.getlist("in")
        return not chosen or field in chosen

    def cleared(self) -> str:
        """Every filter and option off; the words, the order and the page size stay."""
        kept = [(n, v) for n, v in self.args.items(multi=True) if n in ("q", "sort", "size")]
        return self._href(MultiDict(kept))

    def _href(self, args: MultiDict[str, str]) -> str:
        query = urlencode(list(args.items(multi=True)))
        # An empty query string would leave a bare "?" in the address bar.
        return f"?{query}" if query or not self.path else self.path


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


@dataclass(frozen=True)
class Chip:
    """One active filter, as a link that removes it."""

    kind: str
    label: str
    href: str


def chips(req: SearchRequest, links: Links) -> list[Chip]:
    out = [Chip(str(labels.CHIP_KINDS[name]), labels.facet_label(name, value), links.toggled(name, value))
           for name in FACET_NAMES for value in req.selected(name)]
    if req.date_from:
        out.append(Chip(gettext("From"), day(req.date_from.isoformat()), links.with_(**{"from": None})))
    if req.date_to:
        out.append(Chip(gettext("To"), day(req.date_to.isoformat()), links.with_(to=None)))
    if req.exact:
        out.append(Chip(gettext("Match"), gettext("Exact matches only"), links.with_(exact=None)))
    if set(req.fields) != set(SEARCHABLE):
        only = gettext("Titles only") if req.fields == ("title",) else gettext("Content only")
        out.append(Chip(gettext("Search in"), only, links.with_(**{"in": None})))
    return out


@dataclass(frozen=True)
class PageLink:
    number: int
    current: bool


def last_page(req: SearchRequest, total: int) -> int:
    return max(1, min(-(-total // req.size), MAX_RESULT_WINDOW // req.size))


def past_the_end(req: SearchRequest, total: int) -> bool:
    """A page number beyond the results (an old bookmark, a hand-edited URL)."""
    return total > 0 and req.page > last_page(req, total)


def pagination(req: SearchRequest, total: int) -> list[PageLink | None]:
    """Page numbers around the current one, first and last; None marks a gap."""
    last = last_page(req, total)
    wanted = {1, last, *range(req.page - PAGE_WINDOW, req.page + PAGE_WINDOW + 1)}
    out: list[PageLink | None] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if number > previous + 1:
            out.append(None)
        out.append(PageLink(number, number == req.page))
        previous = number
    return out if last > 1 else []


@dataclass(frozen=True)
class YearBar:
    year: int
    count: int
    height: int  # 0..BAR_STEPS, a CSS class: inline styles are barred by the CSP
    selected: bool


def year_bars(facet: list[dict[str, Any]]) -> list[YearBar]:
    """One bar per year from the first to the last with results, the years without any
    included as empty bars: 2014, 2016, 2017 must not read as three years in a row. A ticked
    year without results does not stretch the chart (ticking 1000 and 9999 would draw 9,000
    bars): it shows in the facet list and as a chip, where it can be unticked."""
    found = [v for v in facet if v["count"]]
    if not found:
        return []
    by_year = {int(v["value"]): v for v in facet}
    top = max(v["count"] for v in found)
    first, last = min(int(v["value"]) for v in found), max(int(v["value"]) for v in found)
    bars = []
    for year in range(first, last + 1):
        value = by_year.get(year, {"count": 0, "selected": False})
        height = round(BAR_STEPS * value["count"] / top) if top else 0
        bars.append(YearBar(year, value["count"], height, value["selected"]))
    return bars


def day(value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(format_date(dt.date.fromisoformat(value[:10]), "medium"))
    except ValueError:
        return ""


def display_url(url: str | None) -> str:
    """``host › slug`` for the line above a title: where a click goes, without the scheme and
    without the path's numbers (``/2022/08/``: the date is on the result's own line)."""
    if not url:
        return ""
    parts = urlsplit(url)
    path = " › ".join(p for p in parts.path.split("/") if p and not p.isdigit())
    host = parts.netloc.removeprefix("www.")
    return f"{host} › {path}" if path else host


def tips(req: SearchRequest) -> list[str]:
    """Advice for a search that found nothing, fitting what the reader has set: untick "Exact
    matches only" only when it is ticked, remove filters only when there are some."""
    out = [gettext("Check the spelling, or try fewer or more general words.")]
    if req.exact:
        out.append(gettext("Untick “Exact matches only”."))
    if set(req.fields) != set(SEARCHABLE):
        out.append(gettext("Search in both the title and the content."))
    if req.filters or req.date_from or req.date_to:
        out.append(gettext("Remove some filters, or widen the dates."))
    return out


def text_direction(language: str | None) -> str:
    if not language:
        return "auto"
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"
