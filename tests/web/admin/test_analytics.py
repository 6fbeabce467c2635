"""/admin/analytics against the real Elasticsearch: readers' searches through the app, then
the console's tables state every number (no JavaScript needed) with the links to fix a
query; the window is chosen with ?since=."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterator
from types import SimpleNamespace
from urllib.parse import quote_plus

import pytest

from tests.indexer.searchlog.conftest import delete_log

pytestmark = pytest.mark.integration

READER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}
PAGES = [{"url": f"https://analytics.example.org/{n}", "title": f"Harbour ferry timetable {n}",
          "content": f"The ferry leaves the harbour at {n} o'clock.", "categories": ["Transport"], "tags": [],
          "authors": [], "language": "en", "published": "2024-05-01T09:00:00+00:00", "type": "post",
          "kind": "article", "content_hash": hashlib.sha256(str(n).encode()).hexdigest()}
         for n in range(1, 4)]


@pytest.fixture(scope="module")
def prefix(index_corpus) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from index_corpus(PAGES, "sladm")


@pytest.fixture
def console(admin_kit, es, prefix: str, unique_name: str) -> Iterator[SimpleNamespace]:  # type: ignore[no-untyped-def]
    from indexer.searchlog.names import SearchLogNames
    from web.searchlog import recording

    names = SearchLogNames(prefix)
    app = admin_kit.make_app(index_prefix=prefix, search_mode="lexical", searchlog_flush_seconds=0.05,
                             searchlog_suggest_min_count=3, redis_namespace=unique_name)
    for n, q in enumerate(("ferry", "ferry", "Ferry", "harbour", "no such thing"), start=1):
        reader = app.test_client()  # a reader each, at an address of its own: a visit each
        reader.environ_base["REMOTE_ADDR"] = f"198.51.100.{n}"
        page = reader.get(f"/?q={quote_plus(q)}", headers=READER).get_data(as_text=True)
        if q == "harbour":
            ping = html.unescape(re.findall(r' ping="([^"]+)"', page)[0])
            assert reader.post(ping, headers=READER).status_code == 204
    assert recording.writer(app).flush(10)
    es.indices.refresh(index=names.pattern)
    operator = app.test_client()
    assert admin_kit.sign_in(operator).status_code == 302
    yield SimpleNamespace(app=app, operator=operator)
    delete_log(es, prefix)


def _section(page: str, section_id: str) -> str:
    match = re.search(rf'<section class="[^"]*" id="{section_id}">(.*?)</section>', page, re.S)
    assert match, section_id
    return match.group(1)


def _cells(section: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in rows if "<td" in row]


def test_the_tables_state_every_number_and_link_to_the_fixes(console) -> None:  # type: ignore[no-untyped-def]
    answer = console.operator.get("/admin/analytics?since=7d")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    summary = _section(page, "summary")
    for label, value in (("searches", "5"), ("clicks", "1"), ("zero-results", "1 (20.0%)"), ("ctr", "20.0%"),
                         ("mrr", "1.000"), ("visits", "5")):
        assert re.search(rf'<dd id="{label}">{re.escape(value)}</dd>', summary), label
    top = _cells(_section(page, "top"))
    # Query, searches, zero-result, clicks, CTR (then last searched, fixes).
    assert [row[:5] for row in top] == [["ferry", "3", "0", "0", "0.0%"],
                                        ["harbour", "1", "0", "1", "100.0%"],
                                        ["no such thing", "1", "1", "0", "0.0%"]]
    # Query, failed searches, zero-result (then last searched, fixes): no clicks, a failed search has none.
    zero = _section(page, "zero-result-queries")
    assert [row[:3] for row in _cells(zero)] == [["no such thing", "1", "1"]]
    assert "Clicks" not in zero and "CTR" not in zero and len(_cells(zero)[0]) == 5
    assert [row[0] for row in _cells(_section(page, "no-click-queries"))] == ["ferry"]
    assert _cells(_section(page, "per-position")) == [["1", "1"]]
    for fix in ("best-bets", "synonyms", "judgments"):
        assert f'href="/admin/curation/{fix}/new?q=no+such+thing"' in page
    # The charts' library is ours, not a CDN's.
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in page
    assert console.operator.get("/static/vendor/chartjs/chart.umd.min.js").status_code == 200


def test_each_fix_link_opens_its_editor_with_the_query_filled_in(console) -> None:  # type: ignore[no-untyped-def]
    page = console.operator.get("/admin/analytics").get_data(as_text=True)
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", _section(page, "zero-result-queries"), re.S)
               if "no such thing" in r)
    anchors = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', row)
    links = {label: html.unescape(href) for href, label in anchors}
    assert set(links) == {"best bet", "synonym", "judge", "hide"}
    named = re.findall(r'aria-label="([^"]+)"', row)
    assert named == ["Add a best bet: “no such thing”", "Add a synonym: “no such thing”",
                     "Judge the results: “no such thing”", "Hide from autocomplete: “no such thing”"]
    for label, href in links.items():
        opened = console.operator.get(href)
        assert opened.status_code == 200, label
        assert 'value="no such thing"' in opened.get_data(as_text=True), label


def test_the_window_is_chosen_with_since(console) -> None:  # type: ignore[no-untyped-def]
    assert console.operator.get("/admin/analytics?since=1h").status_code == 200
    refused = console.operator.get("/admin/analytics?since=forever")
    assert refused.status_code == 400 and "since is a number and a unit" in refused.get_data(as_text=True)


def test_the_console_itself_is_not_logged_and_needs_sign_in(console, es) -> None:  # type: ignore[no-untyped-def]
    assert console.app.test_client().get("/admin/analytics").status_code == 302
    before = console.operator.get("/admin/analytics").get_data(as_text=True)
    # A search opened from the console (an editor checking a query) is a preview, not a reader's.
    console.operator.get("/?q=ferry", headers={**READER, "Referer": "http://localhost/admin/analytics"})
    from indexer.searchlog.names import SearchLogNames
    from web import settings_of
    from web.searchlog import recording

    assert recording.writer(console.app).flush(10)
    es.indices.refresh(index=SearchLogNames(settings_of(console.app).index.prefix).pattern)
    after = console.operator.get("/admin/analytics").get_data(as_text=True)
    assert re.search(r'<dd id="searches">5</dd>', before) and re.search(r'<dd id="searches">5</dd>', after)


def test_the_blocklist_is_edited_in_the_console_and_autocomplete_obeys(console, admin_kit) -> None:  # type: ignore[no-untyped-def]
    reader = console.app.test_client()

    def queries() -> list[str]:
        offered = reader.get("/api/suggest?q=fer", headers=READER).get_json()["suggestions"]
        return [s["title"] for s in offered if s["url"] is None]

    assert queries() == ["ferry"]  # searched with results by three readers, the minimum here
    page = console.operator.get("/admin/analytics/blocklist?words=Ferry").get_data(as_text=True)
    assert 'value="Ferry"' in page  # the row's "hide from autocomplete" link fills the form in
    token = admin_kit.csrf_token(page)
    added = console.operator.post("/admin/analytics/blocklist", data={"words": "Ferry", "csrf_token": token},
                                  headers={"Origin": admin_kit.origin})
    assert added.status_code == 302
    listed = console.operator.get("/admin/analytics/blocklist").get_data(as_text=True)
    assert "<q>ferry</q>" in listed
    assert queries() == []
    removed = console.operator.post("/admin/analytics/blocklist/remove",
                                    data={"words": "ferry", "csrf_token": admin_kit.csrf_token(listed)},
                                    headers={"Origin": admin_kit.origin})
    assert removed.status_code == 302 and queries() == ["ferry"]
