"""Run judged queries through a ranking and score the result.

The product's ranking runs through :func:`indexer.searching.search`, the call the search page
and the API make, so a figure here is what readers get. The measures are trec_eval's, through
ir-measures: nDCG@10, MRR@10 (reciprocal rank of the first relevant article in the top 10)
and recall@100, averaged over every judged query; a query with no hit scores 0 on all three.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

import ir_measures
from elasticsearch import Elasticsearch
from ir_measures import RR, R, nDCG

from indexer import searching
from indexer.curation.model import NO_CURATION, Curation
from indexer.embedding import Embedder
from indexer.query import SearchRequest, SearchRequestError
from indexer.query.ranking import Ranking
from indexer.query.request import parse_query_text
from indexer.query.sitewords import NO_NAMES, SiteNames
from indexer.relevance.judgments import Judged

DEPTH = 100
MEASURES = {"ndcg@10": nDCG @ 10, "mrr@10": RR @ 10, "recall@100": R @ 100}

# A ranking: query text -> article URLs, best first.
Ranker = Callable[[str], list[str]]


@dataclass(frozen=True)
class Report:
    name: str
    means: dict[str, float]
    zero_hit: list[str]
    per_query: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self, *, per_query: bool = False) -> dict[str, object]:
        out: dict[str, object] = {"name": self.name, **self.means, "zero_hit_queries": len(self.zero_hit),
                                  "zero_hit": self.zero_hit}
        if per_query:
            out["per_query"] = self.per_query
        return out


def product_ranker(client: Elasticsearch, index: str, ranking: Ranking, *, mode: str = "lexical",
                   embedder: Embedder | None = None, curation: Curation = NO_CURATION,
                   site_names: SiteNames = NO_NAMES) -> Ranker:
    """The site's search in ``mode`` (hybrid needs ``embedder``, the model the index was built with),
    with the editors' ``curation`` (best bets, synonyms) or none, and the index's category, tag and
    author names (:func:`indexer.site_names.load`) or none."""
    def rank(q: str) -> list[str]:
        # The API's own reading of the text: a query it would refuse finds nothing here either.
        try:
            req = SearchRequest(q=parse_query_text(q), size=DEPTH, mode=mode)
        except SearchRequestError:
            return []
        shaped = searching.search(client, index, req, ranking=ranking, embedder=embedder, curation=curation,
                                  site_names=site_names)
        return [hit["url"] for hit in shaped["hits"] if hit["url"]]
    return rank


def bm25_ranker(client: Elasticsearch, index: str) -> Ranker:
    """The baseline: a plain BM25 multi_match over title and content, sent as it is."""
    def rank(q: str) -> list[str]:
        body = {"query": {"multi_match": {"query": q, "fields": ["title", "content"]}},
                "size": DEPTH, "_source": ["url"]}
        return [h["_source"]["url"] for h in client.search(index=index, body=body)["hits"]["hits"]]
    return rank


def evaluate(name: str, rank: Ranker, judged: Judged, only: list[str] | None = None) -> Report:
    ids = only if only is not None else judged.judged_ids
    run = {qid: rank(judged.queries[qid]) for qid in ids}
    return score(name, run, judged)


def score(name: str, run: dict[str, list[str]], judged: Judged) -> Report:
    """``run``: query id -> URLs best first. Each URL's score is its reversed rank, so that
    trec_eval keeps exactly our order (it sorts by score, not by the order given)."""
    scored = {qid: {url: float(len(urls) - i) for i, url in enumerate(dict.fromkeys(urls))}
              for qid, urls in run.items() if urls}
    per_query = {qid: dict.fromkeys(MEASURES, 0.0) for qid in run}
    by_measure = {measure: key for key, measure in MEASURES.items()}
    qrels = {qid: judged.qrels.get(qid, {}) for qid in run}
    for value in ir_measures.iter_calc(list(MEASURES.values()), qrels, scored):
        per_query[value.query_id][by_measure[value.measure]] = value.value
    means = {key: round(statistics.fmean(p[key] for p in per_query.values()), 4) if per_query else 0.0
             for key in MEASURES}
    return Report(name, means, sorted(qid for qid in run if not run[qid]), per_query)
