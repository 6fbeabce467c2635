"""How jobs read on a terminal: exit statuses, tables, summaries, `jobs show`, reindex results."""

from __future__ import annotations

from pagesift import report
from worker.jobs import Job, PageRecord


def _job(**fields: object) -> Job:
    base: dict[str, object] = {"id": "abc", "type": "ingest", "status": "succeeded", "created": 0.0,
                               "started": 100.0, "finished": 110.0, "total": 4, "indexed": 2, "skipped": 1,
                               "failed": 1, "expanded": True}
    base.update(fields)
    return Job(**base)  # type: ignore[arg-type]


def test_exit_statuses() -> None:
    assert report.exit_status(_job(failed=0)) == 0
    assert report.exit_status(_job(status="partial")) == 3
    assert report.exit_status(_job(status="failed", indexed=0, skipped=0)) == 1
    assert report.exit_status(_job(status="failed", error="source: no such file")) == 2
    assert report.exit_status(_job(status="cancelled")) == 2


def test_summary_lists_skip_reasons_and_failures() -> None:
    pages = [PageRecord("u1", "indexed", {}), PageRecord("u2", "skipped", {}, "fetch", "robots: disallowed"),
             PageRecord("u3", "failed", {}, "fetch", "too_large: body larger", 2)]
    lines = report.summary(_job(status="partial"), pages)
    assert lines[0] == ("job abc (ingest) finished with 1 failure: 4 pages, indexed 2, skipped 1, "
                        "failed 1, took 10.0s")
    assert "skipped: robots 1" in lines
    assert lines[-2:] == ["  u3  [fetch, 2 attempts]  too_large: body larger",
                          "retry them: pagesift jobs retry abc"]
    assert report.progress_line(_job(status="running", finished=None), now=104.0).endswith(
        "4/4 (indexed 2, skipped 1, failed 1) 1.0 pages/s, ETA 0.0s")
    assert report.table([_job()])[1].startswith("abc           ingest              succeeded       4")


def test_jobs_show_reads_as_text_with_each_run() -> None:
    from worker.jobs.model import Run, RunBase

    first = Run(1, 100.0, 104.9, total=580, indexed=533, skipped=46, failed=1, status="partial")
    job = _job(status="succeeded", total=580, indexed=534, skipped=46, failed=0, started=100.0,
               finished=422.0, earlier_runs=(first,), base=RunBase(421.0, 579, 533, 46, 0),
               params={"sources": [{"kind": "url", "location": "http://127.0.0.1:8070/sitemap.xml"}],
                       "base_url": None})
    lines = report.details(job, [])
    assert "status    succeeded" in lines and "source    http://127.0.0.1:8070/sitemap.xml" in lines
    assert not any("{" in line for line in lines), "no Python dict printed"
    runs = [line for line in lines if line.startswith("  run ")]
    assert "finished with 1 failure" in runs[0] and "took 4.9s" in runs[0], runs
    assert "1 page: indexed 1" in runs[1] and "took 1.0s" in runs[1], runs
    assert report.duration(job) == 1.0 and report.table([job])[1].endswith("5.9s (2 runs)")


def test_a_reindex_result_reads_as_text() -> None:
    result = {"mode": "reclean", "source": "pages-v1-1", "target": "pages-v1-2", "swapped": True,
              "refused": None, "after_swap": None, "count": 533, "previous_count": 533, "removed": 0,
              "pruned": ["pages-v1-0"], "pages": {"pages": 580, "indexed": 533, "skipped": 47,
                                                  "reasons": {"skipped:listing": 47}, "failures": []}}
    lines = report.reindex_result(result)
    assert lines[0] == "reclean: pages-v1-1 -> pages-v1-2, swapped in; 533 documents (previously 533)"
    assert "pages read 580: indexed 533, skipped 47, failed 0" in lines
    assert "old indices deleted: pages-v1-0" in lines


def test_a_progress_line_reads_the_console_figures() -> None:
    counting = report.progress_line(_job(status="running", finished=None, expanded=False), now=104.0)
    assert counting.endswith("4/4+ (indexed 2, skipped 1, failed 1) 1.0 pages/s, ETA -")
    reindex = _job(type="reindex", status="running", finished=None, total=100, indexed=20, skipped=0,
                   failed=0)
    assert report.progress_line(reindex, now=110.0).endswith("20/100 (indexed 20, skipped 0, failed 0) "
                                                             "2.0 pages/s, ETA 40.0s")
    assert report.progress_line(_job(), now=500.0).endswith("ETA -"), "a finished job has no time left"


def test_a_reindex_says_its_mode_and_counts_read_as_words() -> None:
    rollback = _job(type="reindex", total=1, indexed=1, skipped=0, failed=0, params={"mode": "rollback"})
    assert report.table([rollback])[1].startswith("abc           reindex (rollback)  succeeded       1")
    assert report.summary(rollback, [])[0].startswith(
        "job abc (reindex (rollback)) succeeded: 1 page, indexed 1")
    assert "type      reindex (rollback)" in report.details(rollback, [])
    assert report.plural(0, "page") == "0 pages" and report.plural(1, "attempt") == "1 attempt"


def test_eval_per_query_names_each_query_once() -> None:
    from types import SimpleNamespace

    from pagesift.commands.eval import table

    figures = {"ndcg@10": 0.5, "mrr@10": 1.0, "recall@100": 1.0}
    reports = [SimpleNamespace(name=name, means=figures, zero_hit=[], per_query={"council budget": figures,
                                                                                "q7": figures})
               for name in ("bm25", "default")]
    lines = table(reports, {"council budget": "council budget", "q7": "solar subsidy"})
    assert sum("council budget" in line for line in lines) == 1  # a CSV's query is its own id
    assert any(line.endswith("q7  solar subsidy") for line in lines)  # a TREC id beside its text
