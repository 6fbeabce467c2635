"""`pagesift eval JUDGMENTS`: judged queries through the product's ranking, and the measures."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

CONFIG_HELP = ("'default' (the ranking readers get, in PAGESIFT_SEARCH_MODE), 'lexical' or 'hybrid' "
               "(that mode, default constants), 'bm25' (plain BM25 multi_match over title and "
               "content), or a JSON object or .json file of ranking constants to change "
               "(indexer/query/ranking.py) and optionally \"mode\", e.g. '{\"title_weight\": 2, \"mode\": "
               "\"lexical\"}'")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "eval", help="score the ranking on judged queries (nDCG@10, MRR@10, recall@100, zero-hit queries)",
        description="JUDGMENTS is a CSV of query,url,grade (an editor's file) or a TREC qrels file "
                    "with --queries. The queries run against the read alias through the same search "
                    "path as /api/search.")
    parser.add_argument("judgments", type=Path, metavar="JUDGMENTS", nargs="?")
    parser.add_argument("--console-judgments", action="store_true",
                        help="score the judgments editors graded in the console (<prefix>-curation) "
                             "instead of a file")
    parser.add_argument("--curation", action="store_true",
                        help="apply the console's best bets and synonyms, as reader searches do "
                             "(default: the ranking without them)")
    parser.add_argument("--queries", type=Path, help="TREC queries: one 'query_id<TAB>text' a line")
    parser.add_argument("--doc-url", default="{doc_id}",
                        help="turns a qrels document id into its URL, e.g. 'https://example.org/{doc_id}'")
    parser.add_argument("--config", default="default", help=f"the ranking to score: {CONFIG_HELP}")
    parser.add_argument("--compare", nargs=2, metavar=("A", "B"), help="score two rankings side by side")
    parser.add_argument("--per-query", action="store_true", help="every query's measures too")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from indexer import config
    from indexer.curation import judging, store
    from indexer.curation.model import NO_CURATION
    from indexer.es import make_client
    from indexer.relevance import evaluation
    from indexer.relevance.judgments import JudgmentsError, load

    try:
        if args.console_judgments == bool(args.judgments):
            raise ValueError("name a JUDGMENTS file or --console-judgments (one of them)")
        names = args.compare or [args.config]
        settings = config.load()
        client = make_client(settings.es)
        judged = judging.judged(store.judgments(client, settings.index.prefix)) if args.console_judgments \
            else load(args.judgments, args.queries, args.doc_url)
        curation = store.load(client, settings.index.prefix) if args.curation else NO_CURATION
        rankers = [(name, ranker(client, settings, name, curation)) for name in names]
    except (JudgmentsError, ValueError, OSError) as exc:
        print(f"pagesift eval: {exc}", file=sys.stderr)
        return 2
    if not judged.judged_ids:
        print("pagesift eval: no query has a relevant article (grade above 0)", file=sys.stderr)
        return 2
    reports = [evaluation.evaluate(name, rank, judged) for name, rank in rankers]
    if args.json:
        print(json.dumps([r.to_dict(per_query=args.per_query) for r in reports], indent=2))
    else:
        for line in table(reports, judged.queries if args.per_query else None):
            print(line)
    return 0


def ranker(client: Any, settings: Any, name: str, curation: Any = None) -> Any:
    """``curation``: the editors' best bets and synonyms to search with (none by default)."""
    from indexer import embedding, site_names
    from indexer.curation.model import NO_CURATION
    from indexer.query.ranking import DEFAULT, Ranking
    from indexer.relevance import evaluation

    index = settings.index.prefix
    if name == "bm25":
        return evaluation.bm25_ranker(client, index)
    values: dict[str, Any] = {}
    if name in ("default", "lexical", "hybrid"):
        values["mode"] = settings.search.mode if name == "default" else name
    else:
        values = _constants(name)
    mode = str(values.pop("mode", settings.search.mode))
    embedder = embedding.load(settings.search.embedding_model) if mode == "hybrid" else None
    ranking = Ranking.from_mapping(values) if values else DEFAULT
    return evaluation.product_ranker(client, index, ranking, mode=mode, embedder=embedder,
                                     curation=curation or NO_CURATION,
                                     site_names=site_names.load(client, index))


def _constants(name: str) -> dict[str, Any]:
    raw = Path(name).read_text() if name.endswith(".json") else name
    try:
        values = json.loads(raw)
    except json.JSONDecodeError:
        raise ValueError(f"configuration {name!r} is not {CONFIG_HELP}") from None
    if not isinstance(values, dict):
        raise ValueError(f"configuration {name!r} is not a JSON object")
    return values


def table(reports: list[Any], queries: dict[str, str] | None) -> list[str]:
    from indexer.relevance.evaluation import MEASURES

    width = max(12, *(len(r.name) for r in reports))
    head = f"{'':<{width}}  " + "  ".join(f"{m:>10}" for m in MEASURES) + f"  {'zero-hit':>8}"
    lines = [head]
    for r in reports:
        lines.append(f"{r.name:<{width}}  " + "  ".join(f"{r.means[m]:>10.4f}" for m in MEASURES)
                     + f"  {len(r.zero_hit):>8}")
    if len(reports) == 2:
        a, b = reports
        lines.append(f"{'B / A':<{width}}  " + "  ".join(
            f"{b.means[m] / a.means[m]:>9.3f}x" if a.means[m] else f"{'-':>10}" for m in MEASURES))
    if queries is not None:
        lines.append("")
        lines.append("per query (" + ", ".join(r.name for r in reports) + "): " + ", ".join(MEASURES))
        for qid in reports[0].per_query:
            cells = " | ".join(" ".join(f"{r.per_query[qid][m]:.3f}" for m in MEASURES) for r in reports)
            # A CSV's queries are their own ids: each is printed once (a TREC id beside its text).
            text = queries[qid] if queries[qid] == qid else f"{qid}  {queries[qid]}"
            lines.append(f"{cells}  {text[:70]}")
    return lines
