"""What the page template needs beyond the results: URLs for each state, pages, year bars."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask_babel import format_date
from werkzeug.datastructures import MultiDict

from indexer.query import SearchRequest
from indexer.query.request import MAX_RESULT_WINDOW

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ps", "ur", "ckb", "yi", "dv", "sd", "ug"})
BAR_STEPS = 20
PAGE_WINDOW = 2


class Links:
    """Query strings derived from the current one; any change but paging goes back to page 1."""

    def __init__(self, args: MultiDict[str, str]) -> None:
        self.args = args

    def with_(self, **changes: Any) -> str:
        args = MultiDict(self.args)
        if "page" not in changes:
            args.pop("page", None)
        for name, value in changes.items():
            args.poplist(name)
            if value is not None:
                args.setlist(name, value if isinstance(value, list) else [str(value)])
        return "?" + urlencode(list(args.items(multi=True)))

    def toggled(self, name: str, value: Any) -> str:
        current = self.args.getlist(name)
        value = str(value)
        chosen = [v for v in current if v != value] if value in current else [*current, value]
        return self.with_(**{name: chosen})

    def checked_in(self, field: str) -> bool:
        chosen = self.args.getlist("in")
        return not chosen or field in chosen


@dataclass(frozen=True)
class PageLink:
    number: int
    current: bool


def pagination(req: SearchRequest, total: int) -> list[PageLink | None]:
    """Page numbers around the current one, first and last; None marks a gap."""
    last = max(1, min(-(-total // req.size), MAX_RESULT_WINDOW // req.size))
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
    top = max((v["count"] for v in facet), default=0)
    return [YearBar(v["value"], v["count"], round(BAR_STEPS * v["count"] / top) if top else 0,
                    v["selected"])
            for v in sorted(facet, key=lambda v: v["value"])]


def day(value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(format_date(dt.date.fromisoformat(value[:10]), "medium"))
    except ValueError:
        return ""


def text_direction(language: str | None) -> str:
    if not language:
        return "auto"
    return "rtl" if language.split("-")[0].lower() in RTL_LANGUAGES else "ltr"
