"""Pure parts of the console: origin checks, redirects, progress, upload names, job metrics."""

from __future__ import annotations

from pathlib import Path

import pytest

from web.admin import progress, same_origin, uploads
from web.admin_api.body import parse_job_request, parse_page_request
from web.pipeline_metrics import job_metrics
from worker.jobs import Job

pytestmark = pytest.mark.unit

HOST = "https://search.example.org/"


@pytest.mark.parametrize("origin, referer, ok", [
    ("https://search.example.org", None, True),
    ("HTTPS://Search.Example.org", None, True),
    ("https://search.example.org:8443", None, False),
    ("http://search.example.org", None, False),
    ("https://evil.example", "https://search.example.org/admin/", False),  # Origin wins
    ("null", None, False),
    (None, "https://search.example.org/admin/jobs", True),
    (None, "https://search.example.org.evil.example/", False),
    (None, None, False),
])
def test_same_origin(origin, referer, ok) -> None:  # type: ignore[no-untyped-def]
    assert same_origin.same_origin(origin, referer, HOST) is ok


@pytest.mark.parametrize("target, expected", [
    ("/admin/jobs/abc", "/admin/jobs/abc"),
    ("/admin/jobs?x=1", "/admin/jobs?x=1"),
    ("https://evil.example/admin", "/admin/"),
    ("//evil.example/admin", "/admin/"),
    ("/admin\\@evil.example", "/admin/"),
    ("/search", "/admin/"),
    (None, "/admin/"),
])
def test_local_target(target, expected) -> None:  # type: ignore[no-untyped-def]
    assert same_origin.local_target(target, "/admin/") == expected


def _job(**values) -> Job:  # type: ignore[no-untyped-def]
    base = {"id": "j", "type": "ingest", "status": "running", "created": 1000.0, "started": 1000.0}
    return Job(**{**base, **values})


def test_a_job_view_carries_the_job_and_its_progress() -> None:
    view = progress.job_view(_job(total=100, indexed=30, skipped=5, failed=5, expanded=True), now=1020.0)
    assert (view["id"], view["done"], view["total"]) == ("j", 40, 100)
    assert view["progress"] == {"percent": 40, "rate": 2.0, "eta_s": 30.0, "counting": False}


def test_url_list_skips_blanks_and_comments_and_names_a_bad_line() -> None:
    assert uploads.url_list("https://a.example/1\n\n  # note\nhttp://a.example/2  \n") == [
        "https://a.example/1", "http://a.example/2"]
    with pytest.raises(uploads.UploadError, match="line 2"):
        uploads.url_list("https://a.example/1\njavascript:alert(1)\n")


@pytest.mark.parametrize("name, expected", [
    ("site/2024/a.html", "site/2024/a.html"),
    ("../../etc/cron.d/x.html", "etc/cron.d/x.html"),
    ("/abs/path/b.html", "abs/path/b.html"),
    ("..\\..\\c.html", "c.html"),
])
def test_zip_member_paths_stay_inside(tmp_path: Path, name: str, expected: str) -> None:
    target = uploads._member_path(tmp_path, name)
    assert target == tmp_path / expected
    assert target.resolve().is_relative_to(tmp_path.resolve())


def test_job_and_page_bodies() -> None:
    assert parse_job_request({"type": "ingest", "sources": [" https://a.example/s.xml "]}).sources == [
        "https://a.example/s.xml"]
    deleted = parse_page_request({"url": "https://a.example/p", "action": "delete"})
    assert deleted.reason == "deleted in the CMS"


def test_job_metrics_sum_pages_and_bucket_durations() -> None:
    jobs = [_job(id="a", status="succeeded", indexed=3, skipped=1, finished=1010.0),
            _job(id="b", status="failed", indexed=2, failed=4, finished=1200.0),
            _job(id="c", type="reindex", status="running", indexed=7)]
    families = {f.name: f for f in job_metrics(jobs, now=1500.0)}
    pages = {tuple(s.labels.values()): s.value for s in families["pagesift_job_pages"].samples}
    assert pages[("ingest", "indexed")] == 5 and pages[("ingest", "failed")] == 4
    assert pages[("reindex", "indexed")] == 7
    histogram = families["pagesift_job_duration_seconds"].samples
    durations = {(s.name, s.labels.get("le")): s.value for s in histogram if s.labels["type"] == "ingest"}
    assert durations[("pagesift_job_duration_seconds_bucket", "15")] == 1
    assert durations[("pagesift_job_duration_seconds_bucket", "300")] == 2
    assert durations[("pagesift_job_duration_seconds_count", None)] == 2
    assert families["pagesift_running_job_age_seconds"].samples[0].value == 500.0


def test_the_focus_ring_is_not_an_error_colour_and_has_contrast() -> None:
    import re

    # The console's colours are the reader page's (design.css, shared by both).
    css = (Path(__file__).resolve().parents[3] / "web" / "static" / "design.css").read_text()
    colours = dict(re.findall(r"--(\w+):\s*(#[0-9a-fA-F]{6})", css))

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    def contrast(a: str, b: str) -> float:
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    focus = colours["focus"]
    assert focus.lower() not in {colours["error"].lower(), "#b3261e"}
    red, green, blue = (int(focus[i:i + 2], 16) for i in (1, 3, 5))
    assert not (red > green + 60 and red > blue + 60), f"{focus} reads as an error"
    # WCAG AA for a focus indicator (non-text): 3:1 against what it sits on.
    assert contrast(focus, "#ffffff") >= 3 and contrast(focus, colours["band"]) >= 3


def test_job_metrics_count_partial_jobs_and_each_run() -> None:
    from worker.jobs.model import Run, RunBase

    first = Run(1, 1000.0, 1004.9, total=4, indexed=2, skipped=1, failed=1)
    retried = _job(id="r", status="succeeded", indexed=3, skipped=1, failed=0, started=1000.0,
                   finished=1322.0, earlier_runs=(first,), base=RunBase(1320.0, 3, 2, 1, 0))
    partial = _job(id="p", status="partial", indexed=2, failed=1, finished=1010.0)
    families = {f.name: f for f in job_metrics([retried, partial], now=1500.0)}
    statuses = {tuple(s.labels.values()): s.value for s in families["pagesift_jobs"].samples}
    assert statuses[("ingest", "partial")] == 1 and statuses[("ingest", "failed")] == 0
    total = next(s.value for s in families["pagesift_job_duration_seconds"].samples
                 if s.name.endswith("_sum") and s.labels["type"] == "ingest")
    # 4.9 s + 2 s for the retried job (not the 322 s from its first start), 10 s for the other.
    assert total == pytest.approx(4.9 + 2.0 + 10.0)


def test_a_pushed_page_event_is_checked_field_by_field() -> None:
    from werkzeug.exceptions import BadRequest

    from web.admin_api.body import parse_page_events

    page = {"title": "T", "content": "<p>x</p>", "categories": ["A"],
            "published": "2024-05-01T09:30:00Z", "image": "https://a.example/i.jpg", "future_field": 1}
    event = parse_page_request({"url": "https://a.example/p/", "action": "upsert", "page": page})
    assert event.page == {"content": "<p>x</p>", "title": "T", "published": "2024-05-01T09:30:00+00:00",
                          "categories": ["A"], "image": "https://a.example/i.jpg"}
    assert parse_page_request({"url": "https://a.example/p/", "action": "unpublish"}).page is None
    nested = parse_page_request({"url": "https://a.example/p/", "action": "upsert",
                                 "page": {**page, "category_paths": [["World", "A"]]}})
    assert nested.page is not None and nested.page["category_paths"] == [["World", "A"]]
    bad = [
        {"url": "https://a.example/p/", "action": "upsert", "page": {"content": "x"}},  # no title
        {"url": "https://a.example/p/", "action": "upsert", "page": {**page, "published": "2024-05-01"}},
        {"url": "https://a.example/p/", "action": "upsert", "page": {**page, "tags": "a,b"}},
        {"url": "https://a.example/p/", "action": "upsert", "page": {**page, "image": "javascript:x"}},
        {"url": "https://a.example/p/", "action": "unpublish", "page": page},
        {"url": "https://a.example/p/", "action": "upsert", "page": {**page, "category_paths": ["A > B"]}},
        {"url": "https://a.example/p/", "action": "upsert", "page": {**page, "category_paths": [[]]}},
        {"url": "https://a.example/p/", "action": "upsert", "page": {**page, "category_paths": [["A", 2]]}},
    ]
    for body in bad:
        with pytest.raises(BadRequest):
            parse_page_request(body)
    events = parse_page_events({"events": [
        {"url": "https://a.example/1/", "action": "unpublish"},
        {"url": "https://a.example/2/", "action": "upsert", "page": page}]})
    assert [e.action for e in events] == ["unpublish", "upsert"]
    # Takedowns go one at a time, never inside a batch; a batch has a size.
    with pytest.raises(BadRequest, match=r"events\[0\]\.action"):
        parse_page_events({"events": [{"url": "https://a.example/1/", "action": "delete"}]})
    with pytest.raises(BadRequest, match="At most"):
        parse_page_events({"events": [{"url": f"https://a.example/{n}/", "action": "unpublish"}
                                      for n in range(101)]})
