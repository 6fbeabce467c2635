"""The one path from a raw page to a document or an outcome: the table both ingestion and
reclean go by, whatever goes wrong inside the cleaner failing that page alone."""

from datetime import UTC, datetime

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from indexer.index import outcomes, preparing
from indexer.index.documents import document_id
from indexer.index.preparing import Cleaning, Prepared, prepare
from indexer.index.raw_store import RawPage

pytestmark = pytest.mark.unit

NOW = datetime(2026, 3, 1, tzinfo=UTC)
CLEANING = Cleaning(None, 5_000_000, 10.0)
ARTICLE = ("<html lang='en'><head><title>Flood defences</title>{head}</head><body><article>"
           "<h1>Flood defences</h1>" + "<p>The river rose overnight and the council met.</p>" * 8
           + "</article></body></html>")


def _raw(html: str | bytes, url: str = "https://example.org/a/", **fields: object) -> RawPage:
    data = html.encode() if isinstance(html, str) else html
    return RawPage(url, data, NOW, **fields)  # type: ignore[arg-type]


def _prepared(html: str | bytes, **fields: object) -> Prepared:
    return prepare(_raw(html, **fields), CLEANING, NOW)


def test_an_article_becomes_a_document_to_write() -> None:
    item = _prepared(ARTICLE.format(head=""))
    assert item.outcome is None and item.document is not None
    assert item.document.source["title"] == "Flood defences"
    assert item.document.source["ingested_at"].startswith("2026-03-01T00:00:00")


def test_a_cleaner_crash_fails_the_page_with_its_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise KeyError("surprise")

    monkeypatch.setattr(preparing, "clean", crash)
    item = _prepared("<html><body><p>x</p></body></html>")
    assert item.outcome == outcomes.Outcome("failed", "internal: KeyError: 'surprise'", "clean")


def test_the_task_time_limit_is_not_taken_for_a_page_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: object, **kwargs: object) -> None:
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(preparing, "clean", slow)
    with pytest.raises(SoftTimeLimitExceeded):
        prepare(_raw("<html></html>"), CLEANING, NOW, passthrough=(SoftTimeLimitExceeded,))


@pytest.mark.parametrize(("html", "state", "kind"), [
    (b"", "skipped", "empty"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "skipped", "not_html"),
    (b"<div>" * 300 + b"deep" + b"</div>" * 300, "failed", "too_deep"),
])
def test_cleaner_errors_follow_the_table(html: bytes, state: str, kind: str) -> None:
    item = _prepared(html)
    assert item.outcome is not None and (item.outcome.state, item.outcome.kind) == (state, kind)
    assert item.outcome.removes == (state == "skipped")


def test_the_time_budget_is_a_failure_on_both_paths() -> None:
    item = prepare(_raw(ARTICLE.format(head="")), Cleaning(None, 5_000_000, 0.0), NOW)
    assert item.outcome is not None and (item.outcome.state, item.outcome.kind) == (
        "failed", "time_budget_exceeded")


@pytest.mark.parametrize("status", [404, 410])
def test_a_stored_copy_that_says_gone_is_skipped_and_removed(status: int) -> None:
    item = _prepared(ARTICLE.format(head=""), status=status)
    assert item.outcome == outcomes.gone(str(status)) and item.outcome.removes
    assert item.document is None


@pytest.mark.parametrize(("head", "kind"), [
    ('<meta name="robots" content="noindex">', "noindex"),
])
def test_pages_that_must_not_be_searchable_are_skipped_with_their_id(head: str, kind: str) -> None:
    item = _prepared(ARTICLE.format(head=head))
    assert item.outcome is not None and item.outcome.kind == kind and item.outcome.removes
    # The document is built all the same: its id is what must leave the index.
    assert item.document is not None


def test_a_listing_page_is_skipped() -> None:
    teasers = "".join(f'<article><h2><a href="/p/{n}/">Story {n}</a></h2><p>Teaser {n}.</p></article>'
                      for n in range(12))
    item = _prepared(f"<html><head><title>News</title></head><body><main>{teasers}</main></body></html>")
    assert item.outcome is not None and item.outcome.kind == "listing"


def test_a_redirected_page_is_known_by_where_it_answered_from() -> None:
    # Asked for the site's URL, answered by another site that claims a URL of the first one.
    head = '<link rel="canonical" href="https://example.org/claimed/">'
    item = _prepared(ARTICLE.format(head=head), url="https://example.org/old/",
                     final_url="https://elsewhere.example/new/")
    assert item.document is not None and item.document.url == "https://elsewhere.example/new/"
    assert item.ids() == {document_id(u) for u in ("https://example.org/old/",
                                                  "https://elsewhere.example/new/")}


def test_a_same_site_redirect_keeps_its_canonical() -> None:
    head = '<link rel="canonical" href="https://example.org/story/">'
    item = _prepared(ARTICLE.format(head=head), url="https://example.org/?p=7",
                     final_url="https://example.org/story/?utm_source=x")
    assert item.document is not None and item.document.url == "https://example.org/story/"
