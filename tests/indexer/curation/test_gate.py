"""The gate on real Elasticsearch: stored judgments scored with and without a rule."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from indexer.curation import gate, judging, store
from indexer.curation.best_bets import BestBet, Pin, Target
from indexer.curation.model import Curation
from indexer.index.documents import document_id
from indexer.query.ranking import DEFAULT
from indexer.relevance import evaluation

pytestmark = pytest.mark.integration

PRINTER = "https://guides.example.org/3"
SUBSIDY, RELATED = "https://guides.example.org/4", "https://guides.example.org/5"


@pytest.fixture
def judged(judged_corpus: str, es) -> Iterator[str]:  # type: ignore[no-untyped-def]
    store.save_judgments(es, judged_corpus, "wireless printer setup", {PRINTER: 2}, by="test")
    store.save_judgments(es, judged_corpus, "solar subsidy", {SUBSIDY: 2, RELATED: 1}, by="test")
    yield judged_corpus
    es.options(ignore_status=404).indices.delete(index=store.index_name(judged_corpus))


def run(es, prefix: str, rule: BestBet) -> gate.Report:  # type: ignore[no-untyped-def]
    def rankers(c: Curation) -> evaluation.Ranker:
        return evaluation.product_ranker(es, prefix, DEFAULT, mode="lexical", curation=c)

    stored = judging.judged(store.judgments(es, prefix))
    return gate.run(rankers, stored, Curation(), Curation().with_best_bet(rule))


def test_hiding_a_judged_answer_drops_its_query_and_warns(es, judged: str) -> None:  # type: ignore[no-untyped-def]
    hide = Target(document_id(PRINTER), PRINTER)
    report = run(es, judged, BestBet("r", "wireless printer setup", hidden=(hide,)))
    assert report.warns and report.after < report.before
    (dropped,) = report.dropped
    assert dropped.query == "wireless printer setup" and dropped.before > 0 and dropped.after == 0
    assert {c.query for c in report.changes} == {"wireless printer setup", "solar subsidy"}
    assert report.changes[0] is dropped  # the largest drop first


def test_pinning_the_answer_first_does_not_warn(es, judged: str) -> None:  # type: ignore[no-untyped-def]
    first = Pin(document_id(PRINTER), PRINTER, 1)
    report = run(es, judged, BestBet("r", "wireless printer setup", pins=(first,)))
    assert not report.warns
    assert report.after >= report.before
