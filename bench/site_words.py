"""Benchmark: the site's own words (indexer/query/sitewords.py) on judged queries, same run.

CACM's 52 judged queries are run through the product's path (``pagesift eval``'s, the call
``/api/search`` makes) on two sites:

- **tagged**: the CACM site whose pages also carry each record's author-assigned keywords
  (``.K``, 1,429 documents) as tags and its authors (``.A``) as authors, in the meta tags the
  cleaner reads (bench/common/cacm.py), under its own index prefix. A query naming a keyword or
  an author lifts the articles filed under it by ``site_word_boost``; each value of the grid is
  run over every query, and k-fold cross-validation over query folds (bench/common/crossval.py)
  scores the boost chosen on the other folds on each held-out one: in-sample and held-out nDCG@10
  beside the no-boost figure, with the queries the chosen boost wins and loses;
- **plain**: the relevance benchmark's own CACM index (bench/relevance.py, no tags or authors):
  the shipped boost must leave its figure exactly as it is.

Also timed: reading the names (one terms aggregation per facet, as the web app does every
``PAGESIFT_SITE_WORDS_CACHE_SECONDS``) and looking a query up in them (every search).
Writes bench/results/site_words.json; target: held-out nDCG@10 with the boost at least the
no-boost figure, and the plain figure unchanged.

    .venv/bin/python bench/site_words.py [--folds 4] [--rebuild]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import relevance  # noqa: E402
from bench.common import crossval  # noqa: E402
from bench.common.output import write_results  # noqa: E402
from indexer import config, site_names  # noqa: E402
from indexer.query.ranking import DEFAULT  # noqa: E402
from indexer.query.sitewords import SiteNames  # noqa: E402
from indexer.query.text import parse  # noqa: E402
from indexer.relevance import evaluation  # noqa: E402
from indexer.relevance.judgments import Judged  # noqa: E402

PREFIX = "bench-site-words-cacm"
# The boosts cross-validation chooses among; 0 (no boost) first, so a tie keeps it off. A BM25F
# score on CACM's long questions runs from about 10 to 60; the all-words tier's 1000 sits above.
GRID = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
TIMING_ROUNDS = 20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--rebuild", action="store_true", help="ingest the tagged collection again")
    opts = parser.parse_args(argv)
    tagged_settings = config.load(index_prefix=PREFIX, redis_namespace=PREFIX, worker_concurrency=2)
    plain_settings = config.load(index_prefix=relevance.PREFIX, redis_namespace=relevance.PREFIX,
                                 worker_concurrency=2)
    from indexer.es import make_client

    client = make_client(tagged_settings.es, timeout=120)
    with tempfile.TemporaryDirectory(prefix="pagesift-site-words-") as tmp:
        judged = relevance.judged_queries(Path(tmp))
        ingest = relevance.ensure_ingested(client, tagged_settings, Path(tmp) / "tagged", opts.rebuild,
                                           tagged=True)
        relevance.ensure_ingested(client, plain_settings, Path(tmp) / "plain", False)
    tagged_index, plain_index = tagged_settings.index.prefix, plain_settings.index.prefix
    names, load_ms = _timed_load(client, tagged_index)
    report: dict[str, Any] = {
        "benchmark": "site_words", "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "collection": "CACM, keywords as tags and authors as authors", "ingest": ingest,
        "judged_queries": len(judged.judged_ids), "names": len(names), "names_load_ms": load_ms,
        "lookup_us_per_query": _lookup_us(names, judged),
        "shipped_boost": DEFAULT.site_word_boost,
        "tagged": cross_validate(client, tagged_index, names, judged, opts.folds),
        "plain": plain_unchanged(client, plain_index, judged),
    }
    tagged, plain = report["tagged"], report["plain"]
    report["meets_target"] = tagged["cv_ndcg10"] >= tagged["no_boost_ndcg10"] and plain["unchanged"]
    write_results("site_words", report)
    return 0


def _timed_load(client: Any, index: str) -> tuple[SiteNames, dict[str, float]]:
    """The names, and what reading them costs: the aggregation (Elasticsearch's ``took``) and
    the whole load with the lookup tables built, median of a few rounds."""
    took, whole = [], []
    names = site_names.load(client, index)
    for _ in range(5):
        took.append(client.search(index=index, body=site_names.names_request()).body["took"])
        started = time.perf_counter()
        names = site_names.load(client, index)
        whole.append((time.perf_counter() - started) * 1000)
    figures = {"aggregation_ms": statistics.median(took),
               "load_and_build_ms": round(statistics.median(whole), 1)}
    print(f"{len(names)} names; read in {figures['aggregation_ms']} ms (aggregation), "
          f"{figures['load_and_build_ms']} ms with the lookup tables", flush=True)
    return names, figures


def _lookup_us(names: SiteNames, judged: Judged) -> float:
    """Microseconds to find the names in one query, over the judged queries (long questions)."""
    words = [parse(judged.queries[q]).words for q in judged.judged_ids]
    started = time.perf_counter()
    for _ in range(TIMING_ROUNDS):
        for w in words:
            names.named_in(w)
    per_query = (time.perf_counter() - started) / (TIMING_ROUNDS * len(words)) * 1e6
    print(f"lookup: {per_query:.0f} µs a query", flush=True)
    return round(per_query, 1)


def cross_validate(client: Any, index: str, names: SiteNames, judged: Judged, folds: int) -> dict[str, Any]:
    per_config: list[dict[str, float]] = []
    for boost in GRID:
        ranker = evaluation.product_ranker(client, index, replace(DEFAULT, site_word_boost=boost),
                                           site_names=names)
        rep = evaluation.evaluate(f"boost {boost:g}", ranker, judged)
        per_config.append({q: m["ndcg@10"] for q, m in rep.per_query.items()})
        print(f"  boost {boost:g}: nDCG@10 {rep.means['ndcg@10']:.4f}", flush=True)
    ids = list(judged.judged_ids)
    picked = crossval.select(ids, per_config, statistics.fmean, folds)
    none = per_config[0]
    best = per_config[picked.in_sample]
    shipped = per_config[GRID.index(DEFAULT.site_word_boost)] if DEFAULT.site_word_boost in GRID else None
    figures = {
        "folds": folds, "grid": list(GRID),
        "no_boost_ndcg10": _mean(none), "cv_ndcg10": _mean(picked.held_out),
        "in_sample_boost": GRID[picked.in_sample], "in_sample_ndcg10": _mean(best),
        "chosen_per_fold": [GRID[c] for c in picked.chosen],
        "shipped_ndcg10": _mean(shipped) if shipped else None,
        "grid_ndcg10": {f"{b:g}": _mean(p) for b, p in zip(GRID, per_config, strict=True)},
        "held_out_vs_none": _wins_and_losses(none, picked.held_out),
        "shipped_vs_none": _wins_and_losses(none, shipped) if shipped else None,
        "queries_naming_a_name": sum(1 for q in ids if names.named_in(parse(judged.queries[q]).words)),
    }
    print(f"tagged CACM nDCG@10: no boost {figures['no_boost_ndcg10']:.4f}, "
          f"held-out {figures['cv_ndcg10']:.4f} "
          f"(folds chose {figures['chosen_per_fold']}), in-sample best {figures['in_sample_ndcg10']:.4f} "
          f"(boost {figures['in_sample_boost']:g})", flush=True)
    return figures


def plain_unchanged(client: Any, index: str, judged: Judged) -> dict[str, Any]:
    """The relevance benchmark's index, without names and with them (it has none to offer)."""
    names = site_names.load(client, index)
    without = evaluation.evaluate("plain", evaluation.product_ranker(client, index, DEFAULT), judged)
    with_names = evaluation.evaluate("plain, site words", evaluation.product_ranker(
        client, index, DEFAULT, site_names=names), judged)
    same = without.per_query == with_names.per_query
    print(f"plain CACM nDCG@10: {without.means['ndcg@10']:.4f} without site words, "
          f"{with_names.means['ndcg@10']:.4f} with ({len(names)} names); unchanged: {same}", flush=True)
    return {"names": len(names), "ndcg10_without": without.means["ndcg@10"],
            "ndcg10_with": with_names.means["ndcg@10"], "unchanged": same}


def _mean(scores: dict[str, float]) -> float:
    return round(statistics.fmean(scores.values()), 4)


def _wins_and_losses(before: dict[str, float], after: dict[str, float]) -> dict[str, Any]:
    changed = {q: round(after[q] - before[q], 4) for q in before if abs(after[q] - before[q]) > 1e-9}
    return {"wins": {q: d for q, d in sorted(changed.items(), key=lambda x: -x[1]) if d > 0},
            "losses": {q: d for q, d in sorted(changed.items(), key=lambda x: x[1]) if d < 0}}


if __name__ == "__main__":
    sys.exit(main())
