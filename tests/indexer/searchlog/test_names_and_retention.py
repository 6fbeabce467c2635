"""Daily index names, their template, and which days retention deletes."""

from __future__ import annotations

import datetime as dt

import pytest

from indexer.index import mapping
from indexer.searchlog.names import SearchLogNames, template_body
from indexer.searchlog.retention import expired

pytestmark = pytest.mark.unit

NAMES = SearchLogNames("pages")


def test_one_index_a_day_behind_an_alias_and_a_pattern() -> None:
    assert NAMES.daily(dt.datetime(2026, 3, 9, 23, 59, tzinfo=dt.UTC)) == "pages-searchlog-2026.03.09"
    assert NAMES.day_of("pages-searchlog-2026.03.09") == dt.date(2026, 3, 9)
    for other in ("pages-searchlog-2026.13.01", "pages-v2-20260101000000000000", "other-searchlog-2026.03.09",
                  "pages-searchlog-2026.03.09-restored", "pages-searchlog"):
        assert NAMES.day_of(other) is None, other
    assert NAMES.alias == "pages-searchlog" and NAMES.pattern == "pages-searchlog-*"


def test_a_prefix_elasticsearch_would_refuse_is_refused_here() -> None:
    with pytest.raises(ValueError):
        SearchLogNames("Pages*")


def test_the_template_maps_every_daily_index_and_adds_the_alias() -> None:
    spec = mapping.load("searchlog")
    body = template_body(NAMES, spec)
    assert body["index_patterns"] == ["pages-searchlog-*"] and body["version"] == spec.version
    assert body["template"]["aliases"] == {"pages-searchlog": {}}
    props = body["template"]["mappings"]["properties"]
    assert body["template"]["mappings"]["dynamic"] == "strict"
    # Query text aggregatable (keyword, lower-cased) and searchable (text).
    assert props["query"]["type"] == "keyword" and props["query"]["fields"]["text"]["type"] == "text"
    assert not {"ip", "user_agent"} & set(props)


def test_retention_keeps_the_last_n_days_today_included() -> None:
    today = dt.date(2026, 3, 10)
    indices = [*(NAMES.daily(today - dt.timedelta(days=n)) for n in range(6)),
               "pages-v2-1", "x-searchlog-2020.01.01"]
    assert expired(NAMES, indices, today, keep_days=3) == [
        "pages-searchlog-2026.03.05", "pages-searchlog-2026.03.06", "pages-searchlog-2026.03.07"]
    assert expired(NAMES, indices, today, keep_days=30) == []
    # Zero or less would delete today's log while it is written: one day is the least kept.
    assert NAMES.daily(today) not in expired(NAMES, indices, today, keep_days=0)
