"""Benchmark: pagesift's cleaner against trafilatura (fast=True) on the dev sets.

Each extractor runs as its own process pinned to the same core, over the same pages read
into memory first, after a warm-up (imports, models, first-call caches) that a long-running
worker pays once. pages/s is measured on the CPU time of the extraction loop, which other
load on a shared machine does not distort; wall-time and whole-process figures (imports and
warm-up included) are printed next to it.

Machines here are shared: the two run in alternating rounds (``--rounds``, default 3), and
each extractor's fastest round (least loop CPU time, as timeit takes the minimum) gives its
pages/s; the median of the per-round ratios is reported next to it.

Whole processes are timed too, as users run them: ``pagesift clean <folder>`` against the
same loop around trafilatura, start-up included (:mod:`bench.common.whole_process`).

``--cv``: the cleaner's constants are chosen, not given. Each variant (one constant moved
at a time, or a rule switched off: ``VARIANTS``) runs the production code over every page;
then, per set, k-fold cross-validation picks the variant best on k-1 folds and scores it on
the held-out fold, and each set's best is scored on the other sets. The cross-validated F1
sits beside the in-sample one: a change that helps in-sample but not across folds is
rejected.

Prints shingle F1/P/R (../shared/data/README.md), pages/s and the speed ratio; for
readability, the exact-title rate on pages whose expected title carries no site name.
Writes bench/results/clean.json.

    .venv/bin/python bench/clean.py [--limit N] [--sets dragnet-train readability modern] [--cv]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import crossval, datasets, whole_process  # noqa: E402
from bench.common.output import write_results  # noqa: E402
from bench.common.shingles import PageScore, score_page, summarise  # noqa: E402

EXTRACTORS = ("trafilatura", "pagesift")
# The cleaner's tuned constants, each moved both ways around its shipped value.
GRID: dict[str, tuple[Any, ...]] = {
    "indexer.clean.content.SHORT_TEXT": (300, 800),
    "indexer.clean.content.MIN_PARAGRAPH_SHARE": (0.35, 0.65),
    "indexer.clean.content.MIN_BODY_SHARE": (0.2, 0.45),
    "indexer.clean.prune.MAX_PLAIN_CHARS": (250, 650),
    "indexer.clean.prune.MIN_LINK_DENSITY": (0.25, 0.5),
    "indexer.clean.prune.MAX_TEXT_SHARE": (0.3, 0.55),
}
# Rules switched off whole: a rule stays only if the cross-validated choice keeps it.
RULES_OFF: dict[str, dict[str, Any]] = {
    "furniture lines": {"indexer.clean.boilerplate.FURNITURE_LINES": ()},
    "leading headline": {"indexer.clean.boilerplate.DROP_LEADING_HEADLINE": False},
}
FOLDS = 5


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    report: dict[str, Any] = {"limit": args.limit, "core": args.core, "rounds": args.rounds,
                              "sets": {}}
    loaded = {name: datasets.load(name, args.limit) for name in args.sets}
    for name, samples in loaded.items():
        runs, ratios = _rounds(samples, args.core, args.rounds)
        report["sets"][name] = _score(name, samples, runs)
        report["sets"][name]["speed_ratio_rounds"] = ratios
        report["sets"][name]["speed_ratio_median"] = round(statistics.median(ratios), 2)
        report["sets"][name]["whole_process"] = _whole_process(samples, args.core,
                                                                 args.whole_rounds)
        _print(name, report["sets"][name])
    if args.cv:
        report["cross_validation"] = _cross_validate(loaded, report["sets"], args.folds)
    if not args.no_write:
        write_results("clean", report)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each set")
    parser.add_argument("--sets", nargs="+", default=list(datasets.SETS), choices=datasets.SETS)
    parser.add_argument("--core", type=int, default=max(os.sched_getaffinity(0)),
                        help="CPU both extractor processes are pinned to")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating runs of each extractor; the fastest of each counts")
    parser.add_argument("--no-write", action="store_true", help="do not write results JSON")
    parser.add_argument("--whole-rounds", type=int, default=5,
                        help="alternating whole-process runs of each; the median round ratio counts")
    parser.add_argument("--cv", action="store_true",
                        help="choose the constants by k-fold cross-validation (VARIANTS)")
    parser.add_argument("--folds", type=int, default=FOLDS)
    return parser


def _rounds(samples: list[datasets.Sample], core: int,
            rounds: int) -> tuple[dict[str, dict[str, Any]], list[float]]:
    """Each extractor's fastest run, and the pagesift/trafilatura speed ratio of each round."""
    best: dict[str, dict[str, Any]] = {}
    ratios = []
    for number in range(rounds):
        order = EXTRACTORS if number % 2 == 0 else EXTRACTORS[::-1]
        runs = {extractor: _run(extractor, samples, core) for extractor in order}
        ratios.append(round(runs["trafilatura"]["loop_cpu_seconds"]
                            / runs["pagesift"]["loop_cpu_seconds"], 3))
        for extractor, run in runs.items():
            if extractor not in best or run["loop_cpu_seconds"] < best[extractor]["loop_cpu_seconds"]:
                best[extractor] = run
    return best, ratios


def _run(extractor: str, samples: Sequence[datasets.Sample], core: int,
         overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    env = {**os.environ, "PAGESIFT_BENCH_OVERRIDES": json.dumps(overrides or {})}
    with tempfile.TemporaryDirectory() as tmp:
        paths, out = Path(tmp) / "paths.json", Path(tmp) / "out.json"
        paths.write_text(json.dumps([str(s.html) for s in samples]))
        subprocess.run([sys.executable, "-m", "bench.common.workers", extractor, str(core),
                        str(paths), str(out)], check=True, cwd=REPO, env=env)
        return dict(json.loads(out.read_text()))


def _whole_process(samples: list[datasets.Sample], core: int, rounds: int) -> dict[str, Any]:
    """``pagesift clean <folder>`` against the trafilatura loop, fastest of ``rounds`` each."""
    best: dict[str, whole_process.Run] = {}
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = whole_process.link_pages([s.html for s in samples], Path(tmp) / "pages")
        # The model cache under the home is built by the first run ever, as in production.
        whole_process.run("pagesift", whole_process.link_pages(
            [samples[0].html], Path(tmp) / "prime"), core, Path(tmp) / "prime.jsonl")
        for number in range(rounds):
            order = EXTRACTORS if number % 2 == 0 else EXTRACTORS[::-1]
            runs = {e: whole_process.run(e, folder, core, Path(tmp) / f"{e}.jsonl") for e in order}
            # Each round's two runs are back to back: their ratio is the least disturbed by
            # the machine's other load, which drifts between rounds.
            ratios.append(round(runs["trafilatura"].cpu_seconds / runs["pagesift"].cpu_seconds, 3))
            for extractor, run in runs.items():
                if extractor not in best or run.cpu_seconds < best[extractor].cpu_seconds:
                    best[extractor] = run
    ours, theirs = best["pagesift"], best["trafilatura"]
    return {
        "pagesift_cpu_seconds": round(ours.cpu_seconds, 2),
        "trafilatura_cpu_seconds": round(theirs.cpu_seconds, 2),
        "pagesift_wall_seconds": round(ours.wall_seconds, 2),
        "trafilatura_wall_seconds": round(theirs.wall_seconds, 2),
        "best_rounds_ratio": round(theirs.cpu_seconds / ours.cpu_seconds, 2),
        "round_ratios": ratios,
        "speed_ratio": round(statistics.median(ratios), 2),
        "pagesift_f1": round(_f1(ours.texts, samples), 4),
    }


def _f1(texts: list[str], samples: Sequence[datasets.Sample]) -> float:
    return summarise([score_page(t, s.gold) for t, s in zip(texts, samples, strict=True)]).f1


def _score(name: str, samples: list[datasets.Sample],
           runs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for extractor, run in runs.items():
        scores = [score_page(r["text"], s.gold) for r, s in zip(run["results"], samples,
                                                                  strict=True)]
        summary = summarise(scores)
        figures[extractor] = {
            "f1": round(summary.f1, 4), "precision": round(summary.precision, 4),
            "recall": round(summary.recall, 4), "pages": summary.pages,
            "pages_per_s": round(len(samples) / run["loop_cpu_seconds"], 1),
            "pages_per_wall_s": round(len(samples) / run["loop_wall_seconds"], 1),
            "whole_process_pages_per_s": round(len(samples) / run["process_cpu_seconds"], 1),
            "process_cpu_seconds": round(run["process_cpu_seconds"], 2),
            "peak_rss_mib": round(run["peak_rss_kib"] / 1024, 1),
            "slowest_page_seconds": max(r["seconds"] for r in run["results"]),
            "slowest_page": max(zip(run["results"], samples, strict=True),
                                key=lambda pair: pair[0]["seconds"])[1].id,
            "per_page_f1": {s.id: round(sc.f1, 3) for s, sc in zip(samples, scores,
                                                                   strict=True)},
        }
    ours, theirs = figures["pagesift"], figures["trafilatura"]
    for key in ("pages_per_s", "pages_per_wall_s", "whole_process_pages_per_s"):
        figures[f"speed_ratio_{key}"] = round(ours[key] / theirs[key], 2)
    # The headline ratio (what bench/report.py shows): CPU time of the extraction loop.
    figures["speed_ratio"] = figures["speed_ratio_pages_per_s"]
    if name == "readability":
        figures["title"] = _titles(samples, runs["pagesift"]["results"])
    return figures


def variants() -> list[tuple[str, dict[str, Any]]]:
    """The shipped cleaner first (ties go to it), then each constant moved, each rule off."""
    found: list[tuple[str, dict[str, Any]]] = [("shipped", {})]
    for constant, values in GRID.items():
        found += [(f"{constant.rsplit('.', 1)[1]}={v}", {constant: v}) for v in values]
    found += [(f"{name} off", overrides) for name, overrides in RULES_OFF.items()]
    return found


def _cross_validate(loaded: dict[str, list[datasets.Sample]], figures: dict[str, Any],
                    folds: int) -> dict[str, Any]:
    """Every variant over every page once (two at a time, one per core); then per set the
    k-fold choice, the same over all sets pooled (the figure maximised: the mean of the sets'
    F1, so the large set does not outvote the others), and each set's choice on the others."""
    named = variants()
    keyed = [(f"{name}/{s.id}", s) for name, samples in loaded.items() for s in samples]
    cores = sorted(os.sched_getaffinity(0))[:2]
    pages = [s for _, s in keyed]
    with ThreadPoolExecutor(len(cores)) as pool:
        runs = list(pool.map(lambda n: _run("pagesift", pages, cores[n % len(cores)], named[n][1]),
                             range(len(named))))
    scores = [{key: score_page(r["text"], s.gold) for r, (key, s) in zip(run["results"], keyed,
                                                                          strict=True)}
              for run in runs]
    labels = [label for label, _ in named]
    report: dict[str, Any] = {"folds": folds, "variants": labels, "sets": {}}
    for name in loaded:
        keys = [k for k, _ in keyed if k.startswith(f"{name}/")]
        report["sets"][name] = _set_report(keys, scores, labels, folds,
                                           figures[name]["trafilatura"]["f1"])
    if len(loaded) > 1:
        report["pooled"] = _pooled(list(loaded), [k for k, _ in keyed], scores, labels, folds)
    report["across_sets"] = _across_sets(list(loaded), scores, labels)
    _print_cv(report)
    return report


def _set_report(keys: list[str], scores: list[dict[str, PageScore]], labels: list[str],
                folds: int, baseline: float) -> dict[str, Any]:
    table = [{k: per[k] for k in keys} for per in scores]
    picked = crossval.select(keys, table, _aggregate, folds)
    cv = _aggregate(list(picked.held_out.values()))
    return {
        "shipped_f1": round(_aggregate([table[0][k] for k in keys]), 4),
        "in_sample_best": labels[picked.in_sample],
        "in_sample_best_f1": round(_aggregate([table[picked.in_sample][k] for k in keys]), 4),
        "cv_f1": round(cv, 4),
        "trafilatura_f1": baseline,
        "cv_margin_over_trafilatura": round(cv - baseline, 4),
        "chosen_per_fold": [labels[c] for c in picked.chosen],
        "variant_f1": {label: round(_aggregate([table[c][k] for k in keys]), 4)
                       for c, label in enumerate(labels)},
    }


def _pooled(names: list[str], keys: list[str], scores: list[dict[str, PageScore]],
            labels: list[str], folds: int) -> dict[str, Any]:
    def mean_of_sets(items: list[tuple[str, PageScore]]) -> float:
        by_set: dict[str, list[PageScore]] = {}
        for key, score in items:
            by_set.setdefault(key.split("/", 1)[0], []).append(score)
        return statistics.fmean(_aggregate(v) for v in by_set.values())

    # Scores carry their key, so the figure can be taken set by set.
    table = [{k: (k, per[k]) for k in keys} for per in scores]
    picked = crossval.select(keys, table, mean_of_sets, folds)
    held = list(picked.held_out.values())
    return {
        "in_sample_best": labels[picked.in_sample],
        "chosen_per_fold": [labels[c] for c in picked.chosen],
        "cv_f1": {n: round(_aggregate([s for k, s in held if k.startswith(f"{n}/")]), 4)
                  for n in names},
    }


def _aggregate(scores: list[PageScore]) -> float:
    return summarise(scores).f1


def _across_sets(names: list[str], scores: list[dict[str, PageScore]],
                 labels: list[str]) -> dict[str, Any]:
    """The variant best on one whole set, scored on each other set (beside the shipped one)."""
    def f1(config: int, name: str) -> float:
        return _aggregate([v for k, v in scores[config].items() if k.startswith(f"{name}/")])

    out: dict[str, Any] = {}
    for source in names:
        pick = max(range(len(labels)), key=lambda c: (f1(c, source), -c))
        for target in (n for n in names if n != source):
            out[f"{source}->{target}"] = {"chosen": labels[pick], "f1": round(f1(pick, target), 4),
                                          "shipped_f1": round(f1(0, target), 4)}
    return out


def _print_cv(report: dict[str, Any]) -> None:
    print(f"\ncross-validation ({report['folds']} folds, {len(report['variants'])} variants)")
    print(f"  {'set':<14} {'shipped':>8} {'best in':>8} {'CV':>7} {'trafil.':>8} {'CV-traf':>8}  "
          "chosen per fold")
    for name, r in report["sets"].items():
        print(f"  {name:<14} {r['shipped_f1']:>8.4f} {r['in_sample_best_f1']:>8.4f} "
              f"{r['cv_f1']:>7.4f} {r['trafilatura_f1']:>8.4f} "
              f"{r['cv_margin_over_trafilatura']:>+8.4f}  {', '.join(r['chosen_per_fold'])}")
    names = list(report["sets"])
    print(f"  {'variant':<28} " + " ".join(f"{n[:13]:>13}" for n in names))
    for label in report["variants"]:
        print(f"  {label:<28} " + " ".join(
            f"{report['sets'][n]['variant_f1'][label]:>13.4f}" for n in names))
    if "pooled" in report:
        pooled = report["pooled"]
        print(f"  pooled (mean of the sets' F1): in-sample choice {pooled['in_sample_best']}; "
              f"per fold {', '.join(pooled['chosen_per_fold'])}; CV F1 "
              + ", ".join(f"{n} {v:.4f}" for n, v in pooled["cv_f1"].items()))
    for pair, r in report["across_sets"].items():
        print(f"  {pair:<30} chosen {r['chosen']:<28} F1 {r['f1']:.4f} "
              f"(shipped {r['shipped_f1']:.4f})")


def _titles(samples: list[datasets.Sample], results: list[dict[str, Any]]) -> dict[str, Any]:
    scored = [(s, r) for s, r in zip(samples, results, strict=True) if s.title_scored]
    # Ids only: the results file is committed, the dev data is not to be copied.
    wrong = [s.id for s, r in scored if _norm(r["title"]) != _norm(s.title)]
    rate = 1 - len(wrong) / len(scored) if scored else 0.0
    return {"exact_rate": round(rate, 4), "scored": len(scored), "wrong": wrong}


def _norm(title: str | None) -> str:
    return " ".join((title or "").split())


def _print(name: str, figures: dict[str, Any]) -> None:
    print(f"\n{name}")
    print(f"  {'extractor':<12} {'F1':>6} {'P':>6} {'R':>6} {'pages/s':>8} {'wall':>6} "
          f"{'whole':>6} {'RSS MiB':>8}")
    for extractor in EXTRACTORS:
        f = figures[extractor]
        print(f"  {extractor:<12} {f['f1']:>6.3f} {f['precision']:>6.3f} {f['recall']:>6.3f} "
              f"{f['pages_per_s']:>8.1f} {f['pages_per_wall_s']:>6.1f} "
              f"{f['whole_process_pages_per_s']:>6.1f} {f['peak_rss_mib']:>8.1f}")
    print("  speed ratio pagesift/trafilatura: "
          f"{figures['speed_ratio_pages_per_s']:.2f}x (CPU time of the extraction loop), "
          f"{figures['speed_ratio_pages_per_wall_s']:.2f}x (wall time), "
          f"{figures['speed_ratio_whole_process_pages_per_s']:.2f}x (whole process CPU, "
          "imports and warm-up included)")
    print(f"  per-round CPU ratios: {figures['speed_ratio_rounds']} "
          f"(median {figures['speed_ratio_median']:.2f}x)")
    w = figures["whole_process"]
    print(f"  whole process (pagesift clean <folder> vs the trafilatura loop, start-up "
          f"included): {w['pagesift_cpu_seconds']:.2f} s vs {w['trafilatura_cpu_seconds']:.2f} s "
          f"CPU (best rounds {w['best_rounds_ratio']:.2f}x); per-round ratios {w['round_ratios']}, "
          f"median {w['speed_ratio']:.2f}x; CLI F1 {w['pagesift_f1']:.4f}")
    ours = figures["pagesift"]
    print(f"  slowest page: {ours['slowest_page_seconds']:.3f} s ({ours['slowest_page']})")
    if "title" in figures:
        t = figures["title"]
        print(f"  titles exact: {t['exact_rate']:.1%} of {t['scored']} "
              f"(expected title without site name)")


if __name__ == "__main__":
    sys.exit(main())
