"""The best-bet editor in Debian's chromium: fill a rule, press Preview (no script needed),
see the results page before and after side by side, save it."""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from indexer.curation import store

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "admin"

SITE = "https://browser-curation.example.org"
CORPUS = [{"url": f"{SITE}/{n}", "title": title, "content": body, "categories": ["News"], "tags": [],
           "authors": [], "published": f"2024-0{n}-01T09:00:00+00:00", "language": "en", "type": "post",
           "kind": "article", "content_hash": hashlib.sha256(body.encode()).hexdigest()}
          for n, title, body in [(1, "Council approves the budget", "The council approved the budget."),
                                 (2, "Budget consultation opens", "Residents comment on the budget."),
                                 (3, "Ferry timetable for the summer", "The ferry runs every hour.")]]


@pytest.fixture(scope="module")
def served(index_corpus, admin_kit, es) -> Iterator[SimpleNamespace]:  # type: ignore[no-untyped-def]
    from werkzeug.serving import make_server

    corpus = index_corpus(CORPUS, "browser-curation")
    prefix = next(corpus)
    app = admin_kit.make_app(index_prefix=prefix, redis_namespace=f"test-{uuid.uuid4().hex[:10]}",
                             search_mode="lexical")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", prefix=prefix, kit=admin_kit)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        es.options(ignore_status=404).indices.delete(index=store.index_name(prefix))
        next(corpus, None)


def sign_in(page: Any, served: SimpleNamespace, to: str) -> None:
    page.goto(f"{served.url}{to}")
    page.fill("#secret", served.kit.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{served.url}{to}")


def ids(page: Any, column: str) -> list[str]:
    return list(page.eval_on_selector_all(f"section[aria-labelledby={column}-title] ol.results li code",
                                          "nodes => nodes.map(n => n.textContent)"))


@pytest.mark.parametrize("javascript", [False, True], ids=["nojs", "js"])
def test_the_best_bet_editor_previews_before_and_after_then_saves(open_page, served, es,  # type: ignore[no-untyped-def]
                                                                  javascript: bool) -> None:
    page = open_page(width=1280, javascript=javascript)
    sign_in(page, served, "/admin/curation/best-bets/new?q=budget")
    assert page.input_value("#query") == "budget"
    assert ids(page, "before") == ids(page, "after")  # nothing changed yet
    assert f"{SITE}/3" not in ids(page, "before")
    page.fill("#pins", f"1 {SITE}/3")
    page.fill("#hidden", f"{SITE}/2")
    page.click("#preview")
    page.wait_for_selector("section[aria-labelledby=after-title] li.pinned")
    before, after = ids(page, "before"), ids(page, "after")
    assert f"{SITE}/2" in before and f"{SITE}/3" not in before
    assert after[0] == f"{SITE}/3" and f"{SITE}/2" not in after
    assert page.text_content("section[aria-labelledby=after-title] li.pinned .badge") == "Pinned"
    # Side by side on a wide screen.
    top = "n => n.getBoundingClientRect().top"
    left = page.eval_on_selector("section[aria-labelledby=before-title]", top)
    right = page.eval_on_selector("section[aria-labelledby=after-title]", top)
    assert abs(left - right) < 2
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"best-bet-preview-{'js' if javascript else 'nojs'}.png"
    page.screenshot(path=str(shot), full_page=True)
    page.fill("#editor", "Browser test")
    page.click("#save")
    page.wait_for_url(f"{served.url}/admin/curation/")
    assert "Best bet for “budget” saved" in page.text_content(".flashes")
    bets = store.best_bets(es, served.prefix)
    assert any(b.updated_by == "Browser test" for b in bets)
    for bet in bets:
        store.delete(es, served.prefix, bet.id, "test")


def test_the_editor_fits_a_phone(open_page, served) -> None:  # type: ignore[no-untyped-def]
    page = open_page(width=390, javascript=False)
    sign_in(page, served, "/admin/curation/best-bets/new?q=budget")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("javascript", [False, True], ids=["nojs", "js"])
def test_pin_and_hide_beside_the_results_preview_at_once(open_page, served, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    page = open_page(width=1280, javascript=javascript)
    sign_in(page, served, "/admin/curation/best-bets/new?q=budget")
    loads: list[str] = []
    page.on("request", lambda r: loads.append(r.url) if r.resource_type == "document" else None)
    before = "section[aria-labelledby=before-title]"
    second = ids(page, "before")[1]
    page.click(f"{before} li:nth-child(2) button[name=pin]")
    page.wait_for_selector("section[aria-labelledby=after-title] li.pinned")
    assert page.input_value("#pins") == f"1 {second}"
    assert ids(page, "after")[0] == second
    first = ids(page, "before")[0]
    page.click(f"{before} li:nth-child(1) button[name=hide]")
    page.wait_for_function("url => document.querySelector('#hidden').value === url", arg=first)
    assert first not in ids(page, "after")
    # Unpin takes it out again; the textareas are the rule, as typed or clicked.
    page.click(f"{before} button[name=unpin]")
    page.wait_for_function("() => document.querySelector('#pins').value === ''")
    if javascript:
        assert loads == []  # previewed in place
        assert page.evaluate("document.activeElement.name") in ("pin", "unpin")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_a_page_of_grades_is_clicked_and_saved(open_page, served, es) -> None:  # type: ignore[no-untyped-def]
    page = open_page(width=1280, javascript=True)
    sign_in(page, served, "/admin/curation/judgments/new?q=budget")
    results = page.locator("li.curate-hit:not(.extra)")
    count = results.count()
    assert count >= 2
    expect_text = page.locator("li.curate-hit .snippet").first.text_content() or ""
    assert "budget" in expect_text.lower()  # each result shows its snippet, not only its URL
    for n in range(count):
        results.nth(n).locator(f"label:has(input[value='{(n + 2) % 4}'])").click()
    page.click("#save")
    assert page.text_content("#save") in ("Saving…", "Save grades")
    page.wait_for_selector(".flashes")
    assert f"{count} grades saved" in page.text_content(".flashes")
    saved = {j.url: j.grade for j in store.judgments(es, served.prefix, "budget")}
    assert sorted(saved.values()) == sorted((n + 2) % 4 for n in range(count))
    checked = page.locator("li.curate-hit:not(.extra) input:checked").evaluate_all("i => i.map(x => x.value)")
    assert checked == [str((n + 2) % 4) for n in range(count)]
    for url in saved:
        store.save_judgments(es, served.prefix, "budget", {url: None}, "test")
