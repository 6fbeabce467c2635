"""`pagesift eval` end to end: the judged fixture corpus on real Elasticsearch, the command as
an editor runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
JUDGMENTS = REPO / "tests" / "fixtures" / "relevance" / "judgments.csv"


def pagesift_eval(prefix: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PAGESIFT_INDEX_PREFIX": prefix}
    return subprocess.run([sys.executable, "-m", "pagesift.cli", "eval", *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=120)


def test_eval_prints_the_measures_and_compares(judged_corpus: str) -> None:
    done = pagesift_eval(judged_corpus, str(JUDGMENTS), "--compare", "bm25", "default")
    assert done.returncode == 0, done.stderr
    head, bm25, default, ratio = done.stdout.splitlines()[:4]
    assert head.split() == ["ndcg@10", "mrr@10", "recall@100", "zero-hit"]
    assert bm25.startswith("bm25") and default.startswith("default") and ratio.startswith("B / A")
    # The question and the Persian plural find nothing for the plain match of every word
    # that BM25 is not, but the product finds every judged query's articles.
    assert default.split()[-1] == "0"


def test_eval_json_per_query_and_a_configuration(judged_corpus: str) -> None:
    done = pagesift_eval(judged_corpus, str(JUDGMENTS), "--json", "--per-query",
                         "--config", '{"title_weight": 1}')
    assert done.returncode == 0, done.stderr
    (report,) = json.loads(done.stdout)
    assert report["zero_hit_queries"] == 0
    questions = report["per_query"]["how do I configure the network interface on debian"]
    assert questions["mrr@10"] == 1.0
    assert 0 < report["ndcg@10"] <= 1


def test_eval_refuses_bad_input_clearly(judged_corpus: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("q,u\n")
    done = pagesift_eval(judged_corpus, str(bad))
    assert done.returncode == 2 and "query,url,grade" in done.stderr
    unknown = pagesift_eval(judged_corpus, str(JUDGMENTS), "--config", '{"speed": 2}')
    assert unknown.returncode == 2 and "unknown ranking setting" in unknown.stderr
