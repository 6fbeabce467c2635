"""`pagesift analytics`: what readers searched, from the search log (docs/analytics.md).

    pagesift analytics summary [--since 7d] [--json]
    pagesift analytics queries [--zero-results | --no-clicks | --trending] [--since 7d] [--json]
    pagesift analytics prune             # delete the days past PAGESIFT_SEARCHLOG_RETENTION_DAYS
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

SINCE_HELP = "the window: hours, days or weeks back from now, like 24h, 7d (default) or 4w"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("analytics",
                                   help="search analytics: top, trending, zero-result queries, CTR")
    commands = parser.add_subparsers(dest="analytics_command", metavar="SUBCOMMAND", required=True)

    summary = commands.add_parser("summary",
                                  help="searches, visits, clicks, CTR, MRR, clicks by position, per day")
    _window_options(summary)
    summary.set_defaults(func=run_summary)

    queries = commands.add_parser("queries",
                                  help="queries by searches (or only failing, unclicked, rising ones)")
    which = queries.add_mutually_exclusive_group()
    which.add_argument("--zero-results", dest="kind", action="store_const", const="zero-results",
                       help="queries whose searches found nothing")
    which.add_argument("--no-clicks", dest="kind", action="store_const", const="no-clicks",
                       help="queries that found results no one clicked")
    which.add_argument("--trending", dest="kind", action="store_const", const="trending",
                       help="queries searched more than in the window before")
    queries.add_argument("--limit", type=int, default=50, help="most rows (default 50)")
    _window_options(queries)
    queries.set_defaults(func=run_queries, kind="top")

    prune = commands.add_parser("prune", help="delete the log's days older than the retention setting")
    prune.set_defaults(func=run_prune)


def _window_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", default="7d", help=SINCE_HELP)
    parser.add_argument("--json", action="store_true", help="print JSON")


def _analytics() -> Any:
    from indexer import config
    from indexer.es import make_client
    from indexer.searchlog.analytics import Analytics
    from indexer.searchlog.names import SearchLogNames

    settings = config.load()
    return Analytics(make_client(settings.es, retries=1), SearchLogNames(settings.index.prefix))


def _window(args: argparse.Namespace) -> Any:
    from indexer.searchlog.periods import Window

    return Window.since(args.since)


def run_summary(args: argparse.Namespace) -> int:
    from indexer.searchlog.periods import PeriodError

    try:
        window = _window(args)
    except PeriodError as exc:
        return _usage(exc)
    summary = _analytics().summary(window)
    if args.json:
        print(json.dumps({"since": window.label, **summary.to_dict()}, indent=2))
        return 0
    for line in summary_lines(summary, window.label):
        print(line)
    return 0


def run_queries(args: argparse.Namespace) -> int:
    from indexer.searchlog.periods import PeriodError

    if args.limit < 1:
        return _usage("--limit is at least 1")
    try:
        window = _window(args)
    except PeriodError as exc:
        return _usage(exc)
    rows = _analytics().queries(args.kind, window, args.limit)
    if args.json:
        print(json.dumps({"since": window.label, "kind": args.kind, "queries": [r.to_dict() for r in rows]},
                         indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print(f"no {args.kind} queries in the last {window.label}")
        return 0
    clicks = args.kind != "zero-results"  # a search that found nothing has none
    for line in (trend_lines(rows) if args.kind == "trending" else query_lines(rows, clicks)):
        print(line)
    return 0


def run_prune(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from indexer import config
    from indexer.es import make_client
    from indexer.searchlog import retention
    from indexer.searchlog.names import SearchLogNames

    settings = config.load()
    deleted = retention.prune(make_client(settings.es, retries=1), SearchLogNames(settings.index.prefix),
                              datetime.now(UTC).date(), settings.searchlog.retention_days)
    print(f"deleted {len(deleted)} day(s) older than {settings.searchlog.retention_days} days"
          + (f": {', '.join(deleted)}" if deleted else ""))
    return 0


def _usage(problem: object) -> int:
    print(f"pagesift analytics: {problem}", file=sys.stderr)
    return 2


def summary_lines(summary: Any, label: str) -> list[str]:
    lines = [f"last {label}",
             f"  searches            {summary.searches}",
             f"  visits              {summary.visits}",
             f"  zero-result         {summary.zero_results} ({summary.zero_result_rate:.1%})",
             f"  clicks              {summary.clicks}",
             f"  click-through rate  {summary.click_through_rate:.1%}",
             f"  mean reciprocal rank {summary.mean_reciprocal_rank:.3f}"]
    if summary.clicks_by_position:
        lines.append("clicks by position")
        lines += [f"  {position:>3}  {count}" for position, count in summary.clicks_by_position.items()]
    lines.append("per day (searches, zero-result, clicks)")
    lines += [f"  {d.day}  {d.searches:>7} {d.zero_results:>7} {d.clicks:>7}" for d in summary.per_day]
    return lines


def query_lines(rows: list[Any], clicks: bool = True) -> list[str]:
    """One line a query; without the clicks for zero-result searches, which have none."""
    width = min(60, max(5, *(len(r.query) for r in rows)))
    head = f"  {'clicks':>6}  {'CTR':>6}" if clicks else ""
    lines = [f"{'query':<{width}}  {'searches':>8}  {'zero':>6}{head}  last seen"]
    for r in rows:
        counts = f"  {r.clicks:>6}  {r.click_through_rate:>6.1%}" if clicks else ""
        lines.append(f"{r.query[:width]:<{width}}  {r.searches:>8}  {r.zero_results:>6}{counts}  "
                     f"{(r.last_seen or '')[:16]}")
    return lines


def trend_lines(rows: list[Any]) -> list[str]:
    width = min(60, max(5, *(len(r.query) for r in rows)))
    lines = [f"{'query':<{width}}  {'now':>6}  {'before':>6}  growth"]
    for r in rows:
        growth = "new" if r.growth is None else f"{r.growth:+.0%}"
        lines.append(f"{r.query[:width]:<{width}}  {r.current:>6}  {r.previous:>6}  {growth}")
    return lines
