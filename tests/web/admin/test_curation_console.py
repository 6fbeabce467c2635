"""The console's curation pages against real Elasticsearch and Redis: the best-bet editor
and its preview, the gate on save, synonyms drafted from a query that found nothing,
judgments stored as the list pagesift eval reads, and the audit trail."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from indexer.curation import judging, store
from indexer.index.documents import document_id
from indexer.relevance.judgments import load_csv

pytestmark = pytest.mark.integration

SITE = "https://console.example.org"


def _page(n: int, title: str, content: str) -> dict[str, Any]:
    return {"url": f"{SITE}/{n}", "title": title, "content": content, "categories": ["News"], "tags": [],
            "authors": [], "published": f"2023-0{1 + n % 9}-0{1 + n % 9}T09:00:00+00:00", "language": "en",
            "type": "post", "kind": "article", "content_hash": hashlib.sha256(content.encode()).hexdigest()}


CORPUS = [
    _page(1, "Council approves the budget", "The council approved the budget for the schools."),
    _page(2, "Budget consultation opens", "Residents can comment on the budget until May."),
    _page(3, "Ferry timetable for the summer", "The river ferry runs every hour in the summer."),
    _page(4, "Reporter imprisoned after trial", "The reporter was imprisoned for two years."),
    _page(5, "Library opening hours", "The library opens at nine on weekdays."),
]


def url(n: int) -> str:
    return f"{SITE}/{n}"


@pytest.fixture(scope="module")
def prefix(index_corpus) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from index_corpus(CORPUS, "console-curation")


@pytest.fixture
def console(admin_kit, prefix: str, es, redis_client) -> Iterator[SimpleNamespace]:  # type: ignore[no-untyped-def]
    app = admin_kit.make_app(index_prefix=prefix, redis_namespace=f"test-{uuid.uuid4().hex[:10]}",
                             search_mode="lexical")
    client = app.test_client()
    assert admin_kit.sign_in(client).status_code == 302

    def post(path: str, data: dict[str, Any], form_page: str | None = None) -> Any:
        """As a browser submits the form of ``form_page``: its token, the version it shows, ``data``."""
        page = client.get(form_page or path).get_data(as_text=True)
        token = admin_kit.csrf_token(page)
        return client.post(path, data={"csrf_token": token, "version": version(page), **data},
                           headers={"Origin": admin_kit.origin})

    try:
        yield SimpleNamespace(app=app, client=client, post=post, prefix=prefix)
    finally:
        es.options(ignore_status=404).indices.delete(index=store.index_name(prefix))


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def confirmation(html: str) -> str:
    """The "Save anyway" confirmation a warning page carries."""
    match = re.search(r'name="confirm" type="hidden" value="([^"]*)"', html)
    assert match, "no confirmation field in the page"
    return match.group(1)


def columns(html: str) -> tuple[str, str]:
    before, _, after = html.partition('id="after-title"')
    return before.partition('id="before-title"')[2], after


def test_the_editor_previews_the_results_page_before_and_after(console, es) -> None:  # type: ignore[no-untyped-def]
    page = console.client.get("/admin/curation/best-bets/new?q=budget")
    assert page.status_code == 200
    assert 'value="budget"' in text(page)
    response = console.post("/admin/curation/best-bets/new", {
        "query": "budget", "match": "exact", "pins": f"1 {url(3)}", "hidden": url(2), "action": "preview"},
        form_page="/admin/curation/best-bets/new?q=budget")
    assert response.status_code == 200
    before, after = columns(text(response))
    assert url(2) in before and url(3) not in before
    assert url(2) not in after
    assert after.index(url(3)) < after.index(url(1))  # the ferry pinned first
    assert 'class="pinned"' in after and "Pinned" in after
    assert store.best_bets(es, console.prefix) == []  # only a preview


def test_saving_runs_the_gate_and_warns_before_a_drop(console, es) -> None:  # type: ignore[no-untyped-def]
    graded = console.post("/admin/curation/judgments/new", {
        "q": "budget", "url-1": url(1), "grade-1": "3", "url-2": url(2), "grade-2": "1", "editor": "Ana"},
        form_page="/admin/curation/judgments/new?q=budget")
    assert graded.status_code == 302
    rule = {"query": "budget", "match": "exact", "hidden": url(1), "action": "save", "editor": "Ben"}
    warned = console.post("/admin/curation/best-bets/new", rule, form_page="/admin/curation/best-bets/new")
    assert warned.status_code == 200
    html = text(warned)
    assert "Warning: judged queries get worse" in html and "Save anyway" in html
    assert confirmation(html)
    assert store.best_bets(es, console.prefix) == []
    saved = console.post("/admin/curation/best-bets/new", {**rule, "confirm": confirmation(html)},
                         form_page="/admin/curation/best-bets/new")
    assert saved.status_code == 302
    bets = store.best_bets(es, console.prefix)
    assert [(b.query, [t.url for t in b.hidden], b.updated_by) for b in bets] == [("budget", [url(1)], "Ben")]
    overview = text(console.client.get("/admin/curation/"))
    assert "budget" in overview and "Ben" in overview and "created best bet" in overview


def test_save_anyway_answers_only_for_the_rule_the_warning_was_about(console, es) -> None:  # type: ignore[no-untyped-def]
    console.post("/admin/curation/judgments/new", {
        "q": "budget", "url-1": url(1), "grade-1": "3", "url-2": url(2), "grade-2": "1"},
        form_page="/admin/curation/judgments/new?q=budget")
    rule = {"query": "budget", "match": "exact", "hidden": url(1), "action": "save"}
    warned = console.post("/admin/curation/best-bets/new", rule, form_page="/admin/curation/best-bets/new")
    token = confirmation(text(warned))
    # Changed after the warning, the old confirmation in the form: the gate runs again.
    changed = console.post("/admin/curation/best-bets/new",
                           {**rule, "hidden": f"{url(1)}\n{url(2)}", "confirm": token},
                           form_page="/admin/curation/best-bets/new")
    assert changed.status_code == 200 and "Warning: judged queries get worse" in text(changed)
    assert confirmation(text(changed)) not in ("", token)
    # A confirmation this app did not sign is none.
    forged = console.post("/admin/curation/best-bets/new", {**rule, "confirm": "1"},
                          form_page="/admin/curation/best-bets/new")
    assert forged.status_code == 200 and "Warning: judged queries get worse" in text(forged)
    # A preview shows no warning, so it offers no "Save anyway".
    previewed = console.post("/admin/curation/best-bets/new", {**rule, "action": "preview", "confirm": token},
                             form_page="/admin/curation/best-bets/new")
    assert confirmation(text(previewed)) == "" and "Save anyway" not in text(previewed)
    assert store.best_bets(es, console.prefix) == []
    saved = console.post("/admin/curation/best-bets/new", {**rule, "confirm": token},
                         form_page="/admin/curation/best-bets/new")
    assert saved.status_code == 302
    assert [[t.url for t in b.hidden] for b in store.best_bets(es, console.prefix)] == [[url(1)]]


def test_editing_a_helpful_rule_into_a_worse_one_warns(console, es) -> None:  # type: ignore[no-untyped-def]
    # The ferry is the best answer for "budget" (say, the budget pays for it); no search finds it.
    console.post("/admin/curation/judgments/new", {
        "q": "budget", "url-1": url(3), "grade-1": "3", "url-2": url(1), "grade-2": "1"},
        form_page="/admin/curation/judgments/new?q=budget")
    helpful = {"query": "budget", "match": "exact", "pins": f"1 {url(3)}", "action": "save"}
    assert console.post("/admin/curation/best-bets/new", helpful,
                        form_page="/admin/curation/best-bets/new").status_code == 302
    (bet,) = store.best_bets(es, console.prefix)
    # Second place: still better than no rule at all, worse than the rule it replaces.
    edited = console.post(f"/admin/curation/best-bets/{bet.id}", {**helpful, "pins": f"2 {url(3)}"},
                          form_page=f"/admin/curation/best-bets/{bet.id}")
    assert edited.status_code == 200
    page = text(edited)
    assert "Warning: judged queries get worse" in page and "Save anyway" in page
    before = float(re.findall(r'data-field="gate-before">([\d.]+)<', page)[0])
    after = float(re.findall(r'data-field="gate-after">([\d.]+)<', page)[0])
    assert before > after > 0
    (kept,) = store.best_bets(es, console.prefix)
    assert [p.position for p in kept.pins] == [1]


def test_a_harmless_rule_saves_with_the_gates_figures(console, es) -> None:  # type: ignore[no-untyped-def]
    console.post("/admin/curation/judgments/new", {"q": "ferry", "url-1": url(3), "grade-1": "2"},
                 form_page="/admin/curation/judgments/new?q=ferry")
    saved = console.post("/admin/curation/best-bets/new", {
        "query": "library", "match": "exact", "pins": url(5), "action": "save"},
        form_page="/admin/curation/best-bets/new")
    assert saved.status_code == 302
    flashed = text(console.client.get("/admin/curation/"))
    assert "nDCG@10 over 1 judged queries: 1.0000 → 1.0000" in flashed
    (bet,) = store.best_bets(es, console.prefix)
    assert bet.pins[0].doc_id == document_id(url(5)) and bet.pins[0].position == 1


def test_bad_pins_are_refused_with_the_reason(console) -> None:  # type: ignore[no-untyped-def]
    response = console.post("/admin/curation/best-bets/new", {
        "query": "budget", "match": "exact", "pins": "11 https://x.org/a", "action": "preview"},
        form_page="/admin/curation/best-bets/new")
    assert response.status_code == 400 and "a position is 1 to 10" in text(response)
    dates = console.post("/admin/curation/best-bets/new", {
        "query": "budget", "match": "exact", "pins": url(3), "starts": "2026-05-02T10:00",
        "ends": "2026-05-01T10:00", "action": "preview"}, form_page="/admin/curation/best-bets/new")
    assert dates.status_code == 400 and "“Until” is after “From”" in text(dates)


def test_a_synonym_is_drafted_from_a_query_that_found_nothing(console, es) -> None:  # type: ignore[no-untyped-def]
    page = text(console.client.get("/admin/curation/synonyms/new?q=feryy"))
    assert "feryy =&gt; ferry" in page  # the draft, from the words the index has
    saved = console.post("/admin/curation/synonyms/new", {"rule": "jailed => imprisoned", "q": "jailed",
                                                          "action": "save"},
                         form_page="/admin/curation/synonyms/new")
    assert saved.status_code == 302
    assert [s.rule for s in store.synonyms(es, console.prefix)] == ["jailed => imprisoned"]
    preview = console.post("/admin/curation/synonyms/new", {"rule": "jailed => imprisoned", "q": "jailed",
                                                            "action": "preview"},
                           form_page="/admin/curation/synonyms/new")
    assert url(4) in columns(text(preview))[1]
    refused = console.post("/admin/curation/synonyms/new", {"rule": "jailed", "action": "save"},
                           form_page="/admin/curation/synonyms/new")
    assert refused.status_code == 400


def test_judgments_export_as_the_csv_pagesift_eval_reads(console, es, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = text(console.client.get("/admin/curation/judgments/new?q=council budget"))
    assert url(1) in page and 'name="grade-1"' in page
    console.post("/admin/curation/judgments/new", {"q": "council budget", "url-1": url(1), "grade-1": "3",
                                                    "url-2": url(2), "grade-2": "0"},
                 form_page="/admin/curation/judgments/new?q=council%20budget")
    # Grading again replaces; an empty choice takes the grade away.
    console.post("/admin/curation/judgments/new", {"q": "council budget", "url-1": url(1), "grade-1": "2",
                                                    "url-2": url(2), "grade-2": ""},
                 form_page="/admin/curation/judgments/new?q=council%20budget")
    csv_file = tmp_path / "judgments.csv"
    csv_file.write_bytes(console.client.get("/admin/curation/judgments.csv").get_data())
    judged = load_csv(csv_file)
    assert judged.qrels == {"council budget": {url(1): 2}}
    assert judged == judging.judged(store.judgments(es, console.prefix))


def test_a_best_bet_is_edited_then_deleted_with_its_history(console, es) -> None:  # type: ignore[no-untyped-def]
    created = console.post("/admin/curation/best-bets/new", {
        "query": "ferry", "match": "contains", "pins": url(5), "note": "first", "action": "save",
        "editor": "Ana"},
        form_page="/admin/curation/best-bets/new")
    assert created.status_code == 302
    (bet,) = store.best_bets(es, console.prefix)
    edit_page = text(console.client.get(f"/admin/curation/best-bets/{bet.id}"))
    textarea = edit_page.find("<textarea")
    assert f"1 {url(5)}" in edit_page, edit_page[textarea:textarea + 300]
    assert re.search(r'<input checked[^>]* value="contains"', edit_page)
    changed = console.post(f"/admin/curation/best-bets/{bet.id}", {
        "query": "ferry", "match": "exact", "pins": f"2 {url(5)}", "note": "second", "action": "save",
        "editor": "Ben"}, form_page=f"/admin/curation/best-bets/{bet.id}")
    assert changed.status_code == 302
    (edited,) = store.best_bets(es, console.prefix)
    assert (edited.id, edited.match, edited.pins[0].position, edited.note) == (bet.id, "exact", 2, "second")
    deleted = console.post(f"/admin/curation/best-bets/{bet.id}/delete", {"editor": "Cy"},
                           form_page=f"/admin/curation/best-bets/{bet.id}")
    assert deleted.status_code == 302 and store.best_bets(es, console.prefix) == []
    history = store.audit_trail(es, console.prefix, bet.id)
    assert [(h.action, h.by) for h in history] == [("deleted", "Cy"), ("changed", "Ben"), ("created", "Ana")]
    assert history[1].before["note"] == "first" and history[1].after["note"] == "second"
    assert console.client.get(f"/admin/curation/best-bets/{bet.id}").status_code == 404


def version(html: str) -> str:
    """The version of the rule an editor's page shows (what the save names)."""
    match = re.search(r'name="version" type="hidden" value="([^"]*)"', html)
    return match.group(1) if match else ""


def between(html: str, start: str, end: str = "</section>") -> str:
    return html.partition(start)[2].partition(end)[0]


def opened(console: Any, es: Any, kind: str, data: dict[str, Any]) -> tuple[str, str]:
    """A new rule saved, then opened by the editors: its page's path and the version it shows."""
    assert console.post(f"/admin/curation/{kind}/new", {**data, "action": "save"},
                        form_page=f"/admin/curation/{kind}/new").status_code == 302
    path = f"/admin/curation/{kind}/{store.audit_trail(es, console.prefix, limit=1)[0].target_id}"
    return path, version(text(console.client.get(path)))


def test_two_editors_saving_one_best_bet_the_second_is_told_and_loses_nothing(console, es) -> None:  # type: ignore[no-untyped-def]
    rule = {"query": "ferry", "match": "exact", "pins": url(3), "action": "save"}
    path, first = opened(console, es, "best-bets", {**rule, "note": "first"})  # Ana and Ben open it
    ana = {**rule, "note": "ferry first", "editor": "Ana", "version": first}
    assert console.post(path, ana, form_page=path).status_code == 302
    bens = {**rule, "pins": f"2 {url(3)}", "note": "ferry second", "editor": "Ben"}
    ben = console.post(path, {**bens, "version": first}, form_page=path)
    page = text(ben)
    assert ben.status_code == 409, "the second save overwrote the first"
    assert "Ana changed this best bet" in page and "nothing was saved" in page
    assert "ferry first" in between(page, 'id="theirs"')  # the version saved now, shown
    assert 'value="ferry second"' in page and f"2 {url(3)}" in page  # Ben's edit, still in the form
    (kept,) = store.best_bets(es, console.prefix)
    assert (kept.note, kept.updated_by) == ("ferry first", "Ana")
    # Having seen Ana's version, Ben saves his over it: his page names the version he was shown.
    assert console.post(path, {**bens, "version": version(page)}, form_page=path).status_code == 302
    (kept,) = store.best_bets(es, console.prefix)
    assert (kept.note, kept.pins[0].position) == ("ferry second", 2)


def test_two_editors_saving_one_synonym_the_second_is_told(console, es) -> None:  # type: ignore[no-untyped-def]
    path, first = opened(console, es, "synonyms", {"rule": "tv, television"})
    assert console.post(path, {"rule": "tv, telly", "editor": "Ana", "action": "save", "version": first},
                        form_page=path).status_code == 302
    ben = console.post(path, {"rule": "tv, television, telly", "editor": "Ben", "action": "save",
                              "version": first}, form_page=path)
    assert ben.status_code == 409 and "tv, telly" in between(text(ben), 'id="theirs"')
    assert 'value="tv, television, telly"' in text(ben)
    assert [s.rule for s in store.synonyms(es, console.prefix)] == ["tv, telly"]
    # Nor is it deleted: the version Ben opened is not there any more.
    refused = console.post(f"{path}/delete", {"editor": "Ben", "version": first}, form_page=path)
    assert refused.status_code == 409 and "Ana changed this synonym" in text(refused)
    assert [s.rule for s in store.synonyms(es, console.prefix)] == ["tv, telly"]


def test_a_delete_names_its_kind_and_is_gated_like_a_save(console, es) -> None:  # type: ignore[no-untyped-def]
    # The ferry is the best answer for "budget"; only the best bet pinning it finds it.
    console.post("/admin/curation/judgments/new", {"q": "budget", "url-1": url(3), "grade-1": "3"},
                 form_page="/admin/curation/judgments/new?q=budget")
    synonym_page, _ = opened(console, es, "synonyms", {"rule": "tv, television"})
    path, first = opened(console, es, "best-bets", {"query": "budget", "match": "exact", "pins": url(3)})
    # The best bets' delete route deletes best bets only: not a synonym, not a judgment.
    for other in (synonym_page.rpartition("/")[2], store.judgment_id("budget", url(3))):
        wrong = console.post(f"/admin/curation/best-bets/{other}/delete", {}, form_page=path)
        assert wrong.status_code == 404
    assert store.synonyms(es, console.prefix) and store.judgments(es, console.prefix)
    # Deleting the rule loses the judged answer: the gate warns and nothing is deleted yet.
    warned = console.post(f"{path}/delete", {"editor": "Ana", "version": first}, form_page=path)
    page = text(warned)
    assert warned.status_code == 200 and "Warning: judged queries get worse" in page
    assert "Delete anyway" in page and store.best_bets(es, console.prefix)
    token = confirmation(between(page, 'id="delete"', "</form>"))
    deleted = console.post(f"{path}/delete", {"editor": "Ana", "version": first, "confirm": token},
                           form_page=path)
    assert deleted.status_code == 302 and store.best_bets(es, console.prefix) == []
    last = store.audit_trail(es, console.prefix, path.rpartition("/")[2])[0]
    assert (last.action, last.by) == ("deleted", "Ana")
