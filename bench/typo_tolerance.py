"""Benchmark: how typo tolerance is done, and its constants, on CACM's typo set.

The typo set is bench/relevance.py's (bench/common/typo_eval.py: CACM's judged queries and a
seeded sample of its titles, each clean and with generated typing errors). On the index
bench/relevance.py builds (ingested if missing), this compares, lexical, in one run:

- ``off``: the words as typed (``spell=0``), the search before typo tolerance;
- ``suggester``: the product (indexer/query/spelling.py: the index's own vocabulary through
  the term suggester, a misspelt word corrected when rare beside its closest spelling);
- ``fuzziness``: Elasticsearch's ``fuzziness`` on every word long enough (AUTO:5,9: none under
  5 letters, 1 up to 8, 2 beyond; prefix_length 1, transpositions, max_expansions 50), as an
  alternative weighed below the word and in the all-words tier, built here on the product's
  body with tolerance off (the method Algolia-like engines use without a vocabulary lookup);

then hybrid without and with the product's tolerance; and the time a search takes with each
lexical method (the lookup included), the methods taking turns query by query. ``--cv`` also
runs the product over a grid of its typo constants (``Ranking.typo_*``) and reports, per set,
the k-fold cross-validated figure beside the in-sample best's (constants picked on k-1 folds
of queries or titles, scored on the held-out one; objective: the mean of the clean and the
mistyped figure). Writes bench/results/typo_tolerance.json.

    .venv/bin/python bench/typo_tolerance.py [--cv] [--folds 4] [--typo-seeds 1 2 3] [--titles 200]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import relevance  # noqa: E402
from bench.common import cacm, typo_eval  # noqa: E402
from bench.common.output import write_results  # noqa: E402
from indexer import config, embedding, searching  # noqa: E402
from indexer.query import SearchRequest, SearchRequestError, build_search  # noqa: E402
from indexer.query.ranking import DEFAULT, Ranking  # noqa: E402
from indexer.query.request import parse_query_text  # noqa: E402
from indexer.query.spelling import words_to_check  # noqa: E402
from indexer.relevance import evaluation  # noqa: E402


def _shipped_first(shipped: float, others: tuple[float, ...]) -> tuple[float, ...]:
    """The shipped value first (ties go to it), then the others, each once."""
    return (shipped, *(v for v in others if v != shipped))


GRID: dict[str, tuple[Any, ...]] = {
    "typo_rare_ratio": (DEFAULT.typo_rare_ratio, 0.0, 0.3, 1.0),
    "typo_weight": _shipped_first(DEFAULT.typo_weight, (1.0, 0.9, 0.8, 0.65, 0.5)),
    "typo_prefix_length": (DEFAULT.typo_prefix_length, 1 - DEFAULT.typo_prefix_length),
}
# nDCG@10 and the top 3 read no deeper than this: the figures are those of the API's first page.
DEPTH = 10
# Elasticsearch's fuzziness costs about ten times the search on CACM's long questions (2-3 s
# against 0.2 s each): it is compared on a part of the set, the other methods beside it on the
# same part.
SAMPLE_TITLES = 100
SAMPLE_QUERIES_TIMED = 30
FUZZINESS = "AUTO:5,9"


def latency(rankers: dict[str, evaluation.Ranker], texts: list[str]) -> dict[str, dict[str, float]]:
    """Each ranker's time per search over ``texts``, the rankers taking turns on each text (in
    an order that rotates), so the shared machine's load falls on all alike."""
    seconds: dict[str, list[float]] = {name: [] for name in rankers}
    names = list(rankers)
    for n, text in enumerate(texts):
        for name in names[n % len(names):] + names[:n % len(names)]:
            started = time.perf_counter()
            rankers[name](text)
            seconds[name].append(time.perf_counter() - started)
    out = {}
    for name, spent in seconds.items():
        cuts = statistics.quantiles(spent, n=100)
        out[name] = {"searches": len(spent), "p50_ms": round(cuts[49] * 1000, 1),
                     "p95_ms": round(cuts[94] * 1000, 1), "mean_ms": round(statistics.fmean(spent) * 1000, 1)}
    return out


def _request(q: str, **kw: Any) -> SearchRequest | None:
    try:
        return SearchRequest(q=parse_query_text(q), size=DEPTH, **kw)
    except SearchRequestError:
        return None


def product(client: Any, index: str, ranking: Ranking = DEFAULT, *, spell: bool = True, mode: str = "lexical",
            embedder: embedding.Embedder | None = None) -> evaluation.Ranker:
    """The site's search (evaluation.product_ranker's path), with tolerance on or off."""
    def rank(q: str) -> list[str]:
        req = _request(q, mode=mode, spell=spell)
        if req is None:
            return []
        shaped = searching.search(client, index, req, ranking=ranking, embedder=embedder)
        return [hit["url"] for hit in shaped["hits"] if hit["url"]]
    return rank


def fuzzy(client: Any, index: str, weight: float = DEFAULT.typo_weight) -> evaluation.Ranker:
    """The product's body with tolerance off, each word long enough also matching fuzzily."""
    def rank(q: str) -> list[str]:
        req = _request(q, spell=False)
        if req is None:
            return []
        body = fuzzy_body(build_search(req), req, weight)
        return [hit["_source"]["url"] for hit in client.search(index=index, body=body).body["hits"]["hits"]]
    return rank


def fuzzy_body(body: dict[str, Any], req: SearchRequest, weight: float) -> dict[str, Any]:
    eligible = [w.text for w in words_to_check(req.query)]
    if not eligible:
        return body
    fields = [f"{name}^{DEFAULT.title_weight:g}" if name == "title" else name for name in req.fields]

    def fuzzy_word(word: str) -> dict[str, Any]:
        return {"multi_match": {"query": word, "fields": fields, "fuzziness": FUZZINESS, "prefix_length": 1,
                                "max_expansions": 50, "fuzzy_transpositions": True}}
    query = body["query"]["bool"]
    # Matching: the words as the product searches them, or any word fuzzily (weighed below).
    query["must"][-1] = {"bool": {"should": [query["must"][-1], {"bool": {
        "should": [fuzzy_word(w) for w in eligible], "boost": weight}}], "minimum_should_match": 1}}
    # The all-words tier: each word present as typed or fuzzily.
    every = [{"bool": {"should": [{"multi_match": {"query": t, "fields": fields}},
                                  *([fuzzy_word(t)] if t in eligible else [])]}}
             for t in req.query.terms_in("en", req.query.loose)]
    if every and query.get("should"):
        query["should"] = [{"constant_score": {"filter": {"bool": {"filter": every}},
                                               "boost": DEFAULT.all_words_boost}}]
    return body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="also cross-validate the typo constants")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--typo-seeds", type=int, nargs="+", default=list(typo_eval.SEEDS))
    parser.add_argument("--titles", type=int, default=typo_eval.TITLES)
    parser.add_argument("--no-hybrid", action="store_true")
    parser.add_argument("--weight-both-modes", action="store_true",
                        help="cross-validate the typo weight alone, on lexical and hybrid at once")
    parser.add_argument("--only-cv", action="store_true", help="the cross-validation alone")
    opts = parser.parse_args(argv)
    settings = config.load(index_prefix=relevance.PREFIX, redis_namespace=relevance.PREFIX,
                           worker_concurrency=2)
    from indexer.es import make_client

    client = make_client(settings.es, timeout=120)
    with tempfile.TemporaryDirectory(prefix="pagesift-typos-") as tmp:
        judged = relevance.judged_queries(Path(tmp))
        ingest = relevance.ensure_ingested(client, settings, Path(tmp), False)
    index = settings.index.prefix
    typo_set = typo_eval.TypoSet(judged, typo_eval.sample_titles(cacm.titles(), opts.titles),
                                 tuple(opts.typo_seeds))
    if opts.weight_both_modes:
        embedder = embedding.load(settings.search.embedding_model)
        cv = cross_validate_weight(client, index, typo_set, opts.folds, embedder)
        write_results("typo_weight_cv", {"benchmark": "typo_tolerance", "seeds": list(typo_set.seeds),
                                         "titles": len(typo_set.titles), "cross_validation": cv})
        return 0
    if opts.only_cv:
        cv = cross_validate(client, index, typo_set, opts.folds)
        write_results("typo_tolerance_cv", {"benchmark": "typo_tolerance", "seeds": list(typo_set.seeds),
                                            "cross_validation": cv})
        return 0
    rankers = {"off": product(client, index, spell=False), "suggester": product(client, index)}
    embedder = None if opts.no_hybrid else embedding.load(settings.search.embedding_model)
    if embedder is not None:
        rankers["hybrid_off"] = product(client, index, spell=False, mode="hybrid", embedder=embedder)
        rankers["hybrid_suggester"] = product(client, index, mode="hybrid", embedder=embedder)
    measured = {name: typo_eval.measure(rank, typo_set) for name, rank in rankers.items()}
    for name, figures in measured.items():
        _print(name, figures.summary())
    methods = {"off": rankers["off"], "suggester": rankers["suggester"], "fuzziness": fuzzy(client, index)}
    sample = typo_eval.TypoSet(judged, dict(list(typo_set.titles.items())[:SAMPLE_TITLES]),
                               typo_set.seeds[:1])
    compared = {name: typo_eval.measure(rank, sample) for name, rank in methods.items()}
    for name, figures in compared.items():
        _print(f"{name} (sample)", figures.summary())
    # Judged queries, clean and mistyped with the first seed, each method in turn.
    texts = [typo_set.judged.queries[q] for q in typo_set.judged.judged_ids][:SAMPLE_QUERIES_TIMED // 2]
    texts += [typo_set.mistyped(text, typo_set.seeds[0]) for text in texts]
    timed = latency(methods, texts)
    for name, figures in timed.items():
        print(f"{name}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, mean {figures['mean_ms']} ms")
    report: dict[str, Any] = {
        "benchmark": "typo_tolerance", "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "collection": "CACM", "documents": ingest["documents"], "ranking": asdict(DEFAULT),
        "seeds": list(typo_set.seeds), "titles": len(typo_set.titles), "depth": DEPTH,
        "modes": {name: figures.summary() for name, figures in measured.items()},
        "methods_sample": {"seeds": list(sample.seeds), "titles": len(sample.titles),
                           **{name: figures.summary() for name, figures in compared.items()}},
        "latency": timed,
    }
    if opts.cv:
        report["cross_validation"] = cross_validate(client, index, typo_set, opts.folds)
    write_results("typo_tolerance", report)
    return 0


def cross_validate(client: Any, index: str, typo_set: typo_eval.TypoSet, folds: int) -> dict[str, Any]:
    """Every grid configuration once over both sets, then k-fold per set (the shipped one first)."""
    configs = [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]
    figures = []
    for n, values in enumerate(configs, 1):
        figures.append(typo_eval.measure(product(client, index, replace(DEFAULT, **values)), typo_set))
        s = figures[-1].summary()
        print(f"  [{n}/{len(configs)}] {values}: queries {_pair(s['queries_ndcg10'])}; "
              f"titles {_pair(s[f'titles_top{typo_eval.TOP}'])}", flush=True)
    out = typo_eval.cross_validate(configs, figures, folds)
    out["grid"] = {k: list(v) for k, v in GRID.items()}
    out["grid_means"] = [{**c, **{k: v for k, v in f.summary().items() if k != "meets_target"}}
                         for c, f in zip(configs, figures, strict=True)]
    for name in ("queries", "titles"):
        part = out[name]
        print(f"{name}: cross-validated {part['cv']}; in-sample best {part['in_sample']} with "
              f"{part['in_sample_best']}; shipped {part['shipped']}; "
              f"chosen per fold {part['chosen_per_fold']}")
    return out


# The weight alone, chosen on both modes at once: readers get hybrid by default
# (PAGESIFT_SEARCH_MODE), and a weight chosen on lexical alone kept 0.969 in hybrid.
WEIGHTS = _shipped_first(DEFAULT.typo_weight, (1.0, 0.9, 0.8, 0.65))


def cross_validate_weight(client: Any, index: str, typo_set: typo_eval.TypoSet, folds: int,
                          embedder: embedding.Embedder | None) -> dict[str, Any]:
    """Each weight in lexical and in hybrid; each item's figure the mean of the two modes; then
    k-fold as :func:`cross_validate` (the shipped weight first). Each mode's own figures too."""
    configs = [{"typo_weight": w} for w in WEIGHTS]
    modes = ("lexical", "hybrid") if embedder is not None else ("lexical",)
    per_mode: dict[str, list[typo_eval.Figures]] = {mode: [] for mode in modes}
    for values in configs:
        for mode in modes:
            rank = product(client, index, replace(DEFAULT, **values), mode=mode, embedder=embedder)
            per_mode[mode].append(typo_eval.measure(rank, typo_set))
            _print(f"  {values} {mode}", per_mode[mode][-1].summary())
    joint = [typo_eval.averaged([per_mode[m][n] for m in modes]) for n in range(len(configs))]
    out = typo_eval.cross_validate(configs, joint, folds)
    out["modes"] = list(modes)
    out["per_mode"] = {mode: [{**c, **f.summary()} for c, f in zip(configs, figures, strict=True)]
                       for mode, figures in per_mode.items()}
    for name in ("queries", "titles"):
        part = out[name]
        print(f"{name} (modes averaged): cross-validated {part['cv']}; in-sample best {part['in_sample']} "
              f"with {part['in_sample_best']}; chosen per fold {part['chosen_per_fold']}")
    return out


def _pair(s: dict[str, Any]) -> str:
    return f"clean {s['clean']:.4f} mistyped {s['mistyped']:.4f} (kept {s['kept']:.3f})"


def _print(name: str, summary: dict[str, Any]) -> None:
    print(f"{name}: nDCG@10 {_pair(summary['queries_ndcg10'])}; titles top-{typo_eval.TOP} "
          f"{_pair(summary[f'titles_top{typo_eval.TOP}'])}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
