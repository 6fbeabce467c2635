"""`pagesift eval` with and without the console's curation, and on the console's judgments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.curation import store
from indexer.curation.best_bets import BestBet, Target
from indexer.index.documents import document_id

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
JUDGMENTS = REPO / "tests" / "fixtures" / "relevance" / "judgments.csv"
ANSWER = "https://guides.example.org/3"  # grade 2 for "wireless printer setup"


def ndcg(prefix: str, *args: str) -> dict[str, float]:
    env = {**os.environ, "PAGESIFT_INDEX_PREFIX": prefix}
    command = [sys.executable, "-m", "pagesift.cli", "eval", *args, "--json", "--per-query",
               "--config", "lexical"]
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    (report,) = json.loads(done.stdout)
    return {q: m["ndcg@10"] for q, m in report["per_query"].items()}


@pytest.fixture
def curated(judged_corpus: str, es) -> Iterator[str]:  # type: ignore[no-untyped-def]
    store.save_best_bet(es, judged_corpus, BestBet("", "wireless printer setup",
                                                   hidden=(Target(document_id(ANSWER), ANSWER),)), by="test")
    yield judged_corpus
    es.options(ignore_status=404).indices.delete(index=store.index_name(judged_corpus))


def test_eval_applies_the_curation_only_when_asked(curated: str) -> None:
    plain = ndcg(curated, str(JUDGMENTS))
    with_rules = ndcg(curated, str(JUDGMENTS), "--curation")
    assert plain["wireless printer setup"] > 0
    assert with_rules["wireless printer setup"] < plain["wireless printer setup"]
    others = set(plain) - {"wireless printer setup"}
    assert {q: plain[q] for q in others} == {q: with_rules[q] for q in others}


def test_eval_reads_the_judgments_graded_in_the_console(curated: str, es) -> None:  # type: ignore[no-untyped-def]
    store.save_judgments(es, curated, "wireless printer setup", {ANSWER: 2}, by="test")
    assert set(ndcg(curated, "--console-judgments")) == {"wireless printer setup"}
