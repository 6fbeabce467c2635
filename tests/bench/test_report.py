"""The benchmark table: adapters over each script's JSON, and the rewrite between markers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import report

pytestmark = pytest.mark.unit

SEARCH = {"date": "2026-11-28T09:06:47+00:00", "docs": 2000, "clients": 8, "target_ratio": 1.3,
          "p50_ratio_web_vs_direct": 1.64, "meets_target": False,
          "direct": {"p50_ms": 44.9, "p99_ms": 163.1, "throughput_qps": 155.5, "errors": 0},
          "web": {"p50_ms": 73.6, "p99_ms": 242.3, "throughput_qps": 94.3, "errors": 0}}
HOST = {"date": "2026-11-28 10:00 UTC", "cores": "2", "cpu": "cpu", "memory": "1 GiB", "os": "os",
        "python": "3.11", "java": "17", "elasticsearch": "8.19"}


def test_rows_come_from_each_results_file_and_missing_ones_are_named(tmp_path: Path) -> None:
    (tmp_path / "search.json").write_text(json.dumps(SEARCH))
    (tmp_path / "index.json").write_text(json.dumps({"indexing": {}}))
    rows, notes = report.rows(tmp_path)
    p50 = rows[0]
    assert (p50.benchmark, p50.pagesift, p50.baseline, p50.ratio, p50.meets, p50.run) == \
        ("search", "73.6", "direct ES 44.9", "1.64x", False, "11-28 09:06")
    assert any("`index`: results not understood" in n for n in notes)
    assert any("`clean`: no results" in n for n in notes)


def test_only_the_part_between_the_markers_is_rewritten(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"# B\n\nprose before\n\n{report.BEGIN}\nold table\n{report.END}\n\nprose after\n")
    results = tmp_path / "results"
    results.mkdir()
    (results / "search.json").write_text(json.dumps(SEARCH))
    block = report.render(*report.rows(results), HOST)
    report.write(doc, results)
    text = doc.read_text()
    assert "old table" not in text and "prose before" in text and text.endswith("prose after\n")
    assert "| search | p50 ms (2,000 docs, 8 clients) | 73.6 |" in block
    assert "| **no** |" in block and "on 2 cores (cpu)" in block


def test_the_typo_figures_are_rows_of_the_relevance_table() -> None:
    figures = {"clean": 0.5, "mistyped": 0.45, "kept": 0.9}
    data = {"date": "2026-12-07T17:00:00+00:00", "judged_queries": 52, "ratio_ndcg10": 1.15,
            "target_ratio": 1.1, "ratio_mrr10": 1.1, "ratio_recall100": 1.0,
            "pagesift": {"ndcg@10": 0.5, "mrr@10": 0.7, "recall@100": 0.6, "zero_hit_queries": 0},
            "baseline_bm25": {"ndcg@10": 0.45, "mrr@10": 0.6, "recall@100": 0.6, "zero_hit_queries": 0},
            "typos": {"seeds": [1, 2], "top": 3, "titles": 200, "target_kept": 0.97,
                      "lexical": {"queries_ndcg10": figures, "titles_top3": {**figures, "kept": 0.98}},
                      "bm25": {"queries_ndcg10": figures, "titles_top3": figures}}}
    rows = [r for r in report.relevance_rows(data) if r.measure.startswith("typos")]
    assert [(r.measure, r.pagesift, r.baseline, r.ratio, r.meets) for r in rows] == [
        ("typos, lexical: nDCG@10 of 52 judged queries, mistyped (seeds 1,2)", "0.4500", "clean 0.5000",
         "0.900x", False),
        ("typos, lexical: 200 titles, own article in the top 3, mistyped (seeds 1,2)", "0.4500",
         "clean 0.5000", "0.980x", True),
        ("typos, bm25: nDCG@10 of 52 judged queries, mistyped (seeds 1,2)", "0.4500", "clean 0.5000",
         "0.900x", None),
        ("typos, bm25: 200 titles, own article in the top 3, mistyped (seeds 1,2)", "0.4500",
         "clean 0.5000", "0.900x", None)]
