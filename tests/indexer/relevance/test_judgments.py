"""Judged query sets in TREC and editors' CSV form, and the measures over a run."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.relevance.evaluation import score
from indexer.relevance.judgments import JudgmentsError, load

pytestmark = pytest.mark.unit


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_trec_qrels_and_queries_with_a_url_template(tmp_path: Path) -> None:
    qrels = write(tmp_path, "qrels.txt", "1 0 10 1\n1 0 11 0\n2 0 12 2\n")
    queries = write(tmp_path, "q.tsv", "1\tsolar   power\n2\twind\n3\tunjudged\n")
    judged = load(qrels, queries, "https://x.example/{doc_id}")
    assert judged.queries == {"1": "solar power", "2": "wind"}
    assert judged.qrels["1"] == {"https://x.example/10": 1, "https://x.example/11": 0}


def test_editors_csv_groups_lines_by_query(tmp_path: Path) -> None:
    csv = write(tmp_path, "j.csv", "query,url,grade\nsolar power,https://a/1,2\nsolar power,https://a/2,0\n"
                                   "wind,https://a/3,1\nonly bad,https://a/4,0\n")
    judged = load(csv)
    assert judged.qrels["solar power"] == {"https://a/1": 2, "https://a/2": 0}
    # A query judged only "not relevant" cannot be scored: it is left out of the means.
    assert judged.judged_ids == ["solar power", "wind"]


@pytest.mark.parametrize(("name", "text", "says"), [
    ("j.csv", "q,u,g\nx,y,1\n", "query,url,grade"),
    ("j.csv", "query,url,grade\nx,https://a,high\n", "not a whole number"),
    ("j.csv", "query,url,grade\n,https://a,1\n", "needs a query"),
])
def test_bad_files_say_where(tmp_path: Path, name: str, text: str, says: str) -> None:
    with pytest.raises(JudgmentsError, match=says):
        load(write(tmp_path, name, text))


def test_trec_needs_its_queries_and_full_lines(tmp_path: Path) -> None:
    qrels = write(tmp_path, "qrels.txt", "1 0 10\n")
    with pytest.raises(JudgmentsError, match="needs its queries"):
        load(qrels)
    with pytest.raises(JudgmentsError, match=r"qrels.txt:1"):
        load(qrels, write(tmp_path, "q.tsv", "1\tx\n"))


def test_measures_keep_our_order_and_count_a_query_without_hits_as_zero(tmp_path: Path) -> None:
    judged = load(write(tmp_path, "j.csv", "query,url,grade\na,https://a/1,1\nb,https://a/2,1\n"))
    report = score("x", {"a": ["https://a/9", "https://a/1"], "b": []}, judged)
    assert report.per_query["a"]["mrr@10"] == pytest.approx(0.5)
    assert report.per_query["b"] == {"ndcg@10": 0.0, "mrr@10": 0.0, "recall@100": 0.0}
    assert report.means["mrr@10"] == pytest.approx(0.25)
    assert report.zero_hit == ["b"]
