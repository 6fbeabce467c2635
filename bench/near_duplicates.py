"""Measure near-duplicate detection: planned copies found, false merges, cost per page.

The demo site plans republished copies of some articles (own URL and canonical, one added
"republished" line: a different content hash); those pairs are the ground truth there, and
every other pair above the threshold is a false merge. On the dev sets (966 + 130 pages of
different sites) every pair above the threshold is a false merge unless it is printed and
read as the same article. Pages are cleaned with the production cleaner first, and only
articles (not listings) count, as in the index.

    .venv/bin/python bench/near_duplicates.py [--json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import datasets  # noqa: E402
from indexer.clean import CleanError, clean  # noqa: E402
from indexer.index import near_duplicates as nd  # noqa: E402

GRID = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
BASE = "http://demo.example"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    demo_texts, planned = _demo()
    report: dict[str, Any] = {"threshold": nd.THRESHOLD, "num_perm": nd.NUM_PERM,
                              "bands": nd.BANDS, "rows": nd.ROWS}
    report["demo"] = _measure(demo_texts, planned)
    for name in ("dragnet-train", "readability"):
        texts = {s.id: t for s in datasets.load(name) if (t := _clean(s.html.read_bytes(), None))}
        report[name] = _measure(texts, set())
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        _print(report)
    return 0


def _demo() -> tuple[dict[str, str], set[frozenset[str]]]:
    from indexer import config
    from samples import prose
    from samples.plan import plan_site
    from samples.render import render_site

    text = prose.load(config.load().home)
    plan = plan_site(text.sections)
    site = render_site(plan, BASE)
    texts = {}
    for name, body in site.files.items():
        if name.endswith(".html"):
            content = _clean(body, f"{BASE}/{name.removesuffix('index.html')}")
            if content:
                texts[f"/{name.removesuffix('index.html')}"] = content
    planned = {frozenset((d.original.path, d.path)) for d in plan.duplicates if not d.amp}
    return texts, planned


def _clean(html: bytes, url: str | None) -> str | None:
    try:
        page = clean(html, url=url)
    except CleanError:
        return None
    return page.content if page.kind != "listing" else None


def _measure(texts: dict[str, str], planned: set[frozenset[str]]) -> dict[str, Any]:
    spent, signatures = [], {}
    for key, text in texts.items():
        started = time.perf_counter()
        sig = nd.signature(text)
        spent.append(time.perf_counter() - started)
        if sig is not None:
            signatures[key] = sig
    buckets: dict[str, list[str]] = defaultdict(list)
    for key, sig in signatures.items():
        for band in nd.band_keys(sig):
            buckets[band].append(key)
    candidates = {frozenset(p) for keys in buckets.values() for p in itertools.combinations(keys, 2)}
    scored = {pair: nd.similarity(*(signatures[k] for k in pair)) for pair in candidates}
    grid = {}
    for threshold in GRID:
        above = {p for p, s in scored.items() if s >= threshold}
        grid[str(threshold)] = {"planned_found": len(above & planned), "false_merges": len(above - planned)}
    distinct = [s for p, s in scored.items() if p not in planned]
    closest = sorted(((s, sorted(p)) for p, s in scored.items() if p not in planned), reverse=True)[:5]
    return {
        "pages": len(texts), "with_signature": len(signatures), "planned_pairs": len(planned),
        "planned_similarity": sorted(round(scored.get(p, 0.0), 3) for p in planned),
        "closest_distinct": [{"similarity": round(s, 3), "pair": p} for s, p in closest],
        "max_distinct_similarity": round(max(distinct), 3) if distinct else 0.0,
        "candidate_pairs": len(candidates), "all_pairs": len(signatures) * (len(signatures) - 1) // 2,
        "signature_us_median": round(statistics.median(spent) * 1e6) if spent else 0,
        "grid": grid,
    }


def _print(report: dict[str, Any]) -> None:
    print(f"MinHash {report['num_perm']} permutations, {report['bands']} bands x {report['rows']} rows, "
          f"threshold {report['threshold']}")
    for name in ("demo", "dragnet-train", "readability"):
        part = report[name]
        print(f"\n{name}: {part['pages']} article pages ({part['with_signature']} long enough), "
              f"{part['candidate_pairs']} candidate pairs of {part['all_pairs']}, "
              f"signature {part['signature_us_median']} us median")
        if part["planned_pairs"]:
            print(f"  planned copies' similarity: {part['planned_similarity']}")
        print(f"  closest distinct pairs: {part['closest_distinct'][:3]}")
        print("  threshold  planned found  false merges")
        for threshold, row in part["grid"].items():
            found = f"{row['planned_found']:>6}/{part['planned_pairs']:<6}"
            print(f"  {threshold:>9}  {found}  {row['false_merges']:>12}")


if __name__ == "__main__":
    raise SystemExit(main())
