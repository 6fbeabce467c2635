"""The clean stage: whatever goes wrong inside the cleaner fails that page alone."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from indexer import config
from indexer.index.raw_store import RawPage
from worker import pipeline
from worker.sources import PageRef

pytestmark = pytest.mark.unit


def _work(html: bytes) -> pipeline.Work:
    url = "https://example.org/a/"
    return pipeline.Work(PageRef(url), 1, raw=RawPage(url, html, datetime.now(UTC)))


def _ctx() -> SimpleNamespace:
    return SimpleNamespace(settings=config.load(env={}), rules=None)


def test_a_cleaner_crash_fails_the_page_with_its_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise KeyError("surprise")

    monkeypatch.setattr(pipeline, "clean", crash)
    work = _work(b"<html><body><p>x</p></body></html>")
    assert pipeline._clean(_ctx(), work) is False  # type: ignore[arg-type]
    assert work.outcome == ("failed", "internal: KeyError: 'surprise'", "clean")


def test_the_task_time_limit_is_not_taken_for_a_page_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: object, **kwargs: object) -> None:
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(pipeline, "clean", slow)
    work = _work(b"<html></html>")
    with pytest.raises(SoftTimeLimitExceeded):
        pipeline._clean(_ctx(), work)  # type: ignore[arg-type]
    assert work.outcome is None


def test_typed_cleaner_errors_keep_their_own_outcomes() -> None:
    empty = _work(b"")
    assert pipeline._clean(_ctx(), empty) is False  # type: ignore[arg-type]
    assert empty.outcome is not None and empty.outcome[0] == "failed"
    binary = _work(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    assert pipeline._clean(_ctx(), binary) is False  # type: ignore[arg-type]
    assert binary.outcome is not None and binary.outcome[:1] == ("skipped",)
