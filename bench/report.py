"""The benchmark table of docs/benchmarks.md, regenerated from bench/results/*.json.

Each benchmark script writes its own JSON shape; an adapter per script turns it into rows of
one shape (what was measured, pagesift's figure, the baseline's in the same run, their ratio,
the target). The table and a description of the machine replace whatever stands between the
two marker comments of docs/benchmarks.md; the prose around them is left alone.

    .venv/bin/python bench/report.py
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
DOC = REPO / "docs" / "benchmarks.md"
BEGIN = "<!-- benchmarks:begin (bench/report.py writes this part) -->"
END = "<!-- benchmarks:end -->"


@dataclass(frozen=True)
class Row:
    benchmark: str
    measure: str
    pagesift: str
    baseline: str
    ratio: str = ""
    target: str = ""
    meets: bool | None = None
    run: str = ""


def _n(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.1f}"
    else:
        text = f"{int(value):,}"
    return f"{text} {unit}".strip()


def _met(meets: bool | None) -> str:
    return {True: "yes", False: "**no**", None: ""}[meets]


# Adapters: one per results file, JSON in, rows out ---------------------------------------
# The cleaning issues' targets, per dev set: in-sample F1, and the cross-validated margin over
# trafilatura with whole-process speed on the two public sets.
_F1_TARGETS = {"dragnet-train": 0.935, "readability": 0.95}
_CV_MARGIN, _PUBLIC_SETS, _SLOWEST_PAGE_S = 0.015, ("dragnet-train", "readability"), 1.0


def clean_rows(data: dict[str, Any]) -> list[Row]:
    rows = []
    rounds = data.get("rounds", 1)
    for name, figures in data.get("sets", {}).items():
        ours, theirs = figures["pagesift"], figures["trafilatura"]
        median = figures.get("speed_ratio_median")
        best = f", best of {rounds} rounds, median ratio {median}x" if rounds > 1 else ""
        rows.append(Row("clean", f"{name}: pages/s ({ours['pages']} pages{best})", _n(ours["pages_per_s"]),
                        f"trafilatura {_n(theirs['pages_per_s'])}", f"{figures['speed_ratio']}x",
                        ">= 1.0x", figures["speed_ratio"] >= 1.0))
        target = _F1_TARGETS.get(name)
        rows.append(Row("clean", f"{name}: shingle F1", f"{ours['f1']:.4f}",
                        f"trafilatura {theirs['f1']:.4f}", f"{ours['f1'] - theirs['f1']:+.4f}",
                        f">= {target}" if target else "", ours["f1"] >= target if target else None))
        rows += _clean_extra_rows(name, figures, data.get("cross_validation", {}).get("sets", {}))
    return rows


def _clean_extra_rows(name: str, figures: dict[str, Any], cv: dict[str, Any]) -> list[Row]:
    public = name in _PUBLIC_SETS
    rows = []
    if "whole_process" in figures:
        w = figures["whole_process"]
        rows.append(Row("clean", f"{name}: whole process CPU s (pagesift clean <folder>)",
                        f"{w['pagesift_cpu_seconds']}", f"trafilatura {w['trafilatura_cpu_seconds']}",
                        f"{w['speed_ratio']}x", ">= 1.0x" if public else "",
                        w["speed_ratio"] >= 1.0 if public else None))
    if "slowest_page_seconds" in figures["pagesift"]:
        slowest = figures["pagesift"]["slowest_page_seconds"]
        rows.append(Row("clean", f"{name}: slowest page s", f"{slowest}", "", "",
                        f"<= {_SLOWEST_PAGE_S}", slowest <= _SLOWEST_PAGE_S))
    if name in cv:
        c = cv[name]
        margin = c["cv_margin_over_trafilatura"]
        rows.append(Row("clean", f"{name}: cross-validated F1 (in-sample {c['shipped_f1']:.4f})",
                        f"{c['cv_f1']:.4f}", f"trafilatura {c['trafilatura_f1']:.4f}", f"{margin:+.4f}",
                        f">= +{_CV_MARGIN}" if public else "", margin >= _CV_MARGIN if public else None))
    return rows


def index_rows(data: dict[str, Any]) -> list[Row]:
    rows = []
    if "indexing" in data:
        i = data["indexing"]
        rounds = data.get("rounds", 1)
        plural = "s" * (rounds != 1)
        measure = f"indexing docs/s ({_n(data.get('docs'))} docs, median of {rounds} round{plural})"
        rows.append(Row("index", measure, _n(i["pagesift_docs_per_s"]),
                        f"helpers.bulk {_n(i['helpers_bulk_docs_per_s'])}", f"{i['ratio']}x"))
    if "migrate" in data:
        m = data["migrate"]
        rows.append(Row("index", f"migrate docs/s ({_n(m['docs'])} docs)", _n(m["docs_per_s"]), "", ""))
    if "index_bytes_per_doc" in data:
        rows.append(Row("index", "index bytes per document", _n(data["index_bytes_per_doc"]), ""))
    if "raw_store" in data:
        r = data["raw_store"]
        rows.append(Row("index", "raw store bytes per page", _n(r["stored_bytes_per_page"]),
                        f"HTML {_n(r['html_bytes_per_page'])}", f"{r['stored_share_of_html']}x"))
    return rows


def ingest_rows(data: dict[str, Any]) -> list[Row]:
    # Two shapes: figures at the top (rounds of both sides), or one "pipeline" and one
    # "cleaner_alone" section with the job the pipeline ran.
    if "pipeline_pages_per_s" in data:
        ours, alone = data["pipeline_pages_per_s"], data["cleaner_alone_pages_per_s"]
        accounted = data["pages"]
    else:
        ours, alone = data["pipeline"]["pages_per_s"], data["cleaner_alone"]["pages_per_s"]
        accounted = data["pipeline"].get("job", {}).get("total", data["pages"])
    measure = f"end-to-end pages/s ({_n(data['pages'])} pages, {data.get('cores', '?')} cores)"
    if accounted != data["pages"]:
        measure += f"; the job accounted for {_n(accounted)} pages"
    rows = [Row("ingest", measure, _n(ours), f"cleaner alone {_n(alone)}",
                f"{data['ratio_pipeline_vs_cleaner']}x", f">= {data['target_ratio']}x", data["meets_target"])]
    memory = data.get("redis_memory_per_queued_page")
    if memory:
        rows.append(Row("ingest", "Redis bytes per queued page", _n(memory["bytes_per_page"]), ""))
    return rows


def search_rows(data: dict[str, Any]) -> list[Row]:
    web, direct = data["web"], data["direct"]
    scale = f"{_n(data['docs'])} docs, {data['clients']} clients"
    return [
        Row("search", f"p50 ms ({scale})", _n(web["p50_ms"]), f"direct ES {_n(direct['p50_ms'])}",
            f"{data['p50_ratio_web_vs_direct']}x", f"<= {data['target_ratio']}x", data["meets_target"]),
        Row("search", "p99 ms", _n(web["p99_ms"]), f"direct ES {_n(direct['p99_ms'])}",
            f"{web['p99_ms'] / direct['p99_ms']:.2f}x" if direct["p99_ms"] else ""),
        Row("search", "searches/s", _n(web["throughput_qps"]), f"direct ES {_n(direct['throughput_qps'])}",
            "", "", None),
        Row("search", "failed searches", _n(web["errors"]), f"direct ES {_n(direct['errors'])}", "", "0",
            web["errors"] == 0),
        *_hybrid_search_rows(data),
    ]


def _hybrid_search_rows(data: dict[str, Any]) -> list[Row]:
    hybrid, web = data.get("hybrid"), data["web"]
    if not hybrid:
        return []
    return [
        Row("search", "hybrid p50 ms", _n(hybrid["p50_ms"]), f"lexical {_n(web['p50_ms'])}",
            f"{data['p50_ratio_hybrid_vs_lexical']}x", f"<= {data['hybrid_target_ratio']}x",
            data["hybrid_meets_target"]),
        Row("search", "hybrid p99 ms", _n(hybrid["p99_ms"]), f"lexical {_n(web['p99_ms'])}",
            f"{data['p99_ratio_hybrid_vs_lexical']}x"),
        Row("search", "hybrid failed searches", _n(hybrid["errors"]), "", "", "0", hybrid["errors"] == 0),
    ]


def relevance_rows(data: dict[str, Any]) -> list[Row]:
    ours, base = data["pagesift"], data["baseline_bm25"]
    name = "relevance (CACM)"
    rows = [
        Row(name, f"nDCG@10 ({data['judged_queries']} judged queries)", f"{ours['ndcg@10']:.4f}",
            f"plain BM25 {base['ndcg@10']:.4f}", f"{data['ratio_ndcg10']:.3f}x", f"{data['target_ratio']}x",
            data["ratio_ndcg10"] >= data["target_ratio"]),
        Row("relevance (CACM)", "MRR@10", f"{ours['mrr@10']:.4f}", f"plain BM25 {base['mrr@10']:.4f}",
            f"{data['ratio_mrr10']:.3f}x"),
        Row(name, "recall@100", f"{ours['recall@100']:.4f}", f"plain BM25 {base['recall@100']:.4f}",
            f"{data['ratio_recall100']:.3f}x"),
        Row("relevance (CACM)", "judged queries with no hit", _n(ours["zero_hit_queries"]),
            f"plain BM25 {_n(base['zero_hit_queries'])}", "", "0", ours["zero_hit_queries"] == 0),
    ]
    cv = data.get("cross_validation")
    if cv:
        rows.append(Row("relevance (CACM)", f"nDCG@10 cross-validated ({cv['folds']} folds)",
                        f"{cv['cv_ndcg10']:.4f}", f"in-sample best {cv['in_sample_best_ndcg10']:.4f}",
                        f"{cv['cv_ratio']:.3f}x BM25", f"{data['target_ratio']}x",
                        cv["cv_ratio"] >= data["target_ratio"]))
    return rows + _hybrid_relevance_rows(data) + _typo_rows(data)


def _hybrid_relevance_rows(data: dict[str, Any]) -> list[Row]:
    hybrid = data.get("hybrid")
    if not hybrid:
        return []
    name, base = "relevance (CACM)", data["baseline_bm25"]["ndcg@10"]
    rows = [Row(name, f"hybrid nDCG@10 ({data['embedding_model']})", f"{hybrid['ndcg@10']:.4f}",
                f"plain BM25 {base:.4f}; lexical {data['pagesift']['ndcg@10']:.4f}",
                f"{data['hybrid_ratio_ndcg10']:.3f}x BM25, {data['hybrid_over_lexical']:.3f}x lexical",
                f"{data['hybrid_target_ratio']}x, > lexical", data["hybrid_meets_target"])]
    cv = data.get("hybrid_cross_validation")
    if cv:
        rows.append(Row(name, f"hybrid nDCG@10 cross-validated ({cv['folds']} folds)",
                        f"{cv['cv_ndcg10']:.4f}",
                        f"in-sample best {cv['in_sample_best_ndcg10']:.4f}; dense alone "
                        f"{cv['dense_only']['ndcg@10']:.4f}",
                        f"{cv['cv_ratio_bm25']:.3f}x BM25, {cv['cv_ratio_lexical']:.3f}x lexical",
                        f"{data['hybrid_target_ratio']}x, > lexical",
                        _hybrid_met(cv, data)))
    alone = (cv or {}).get("weight_only")
    if alone:
        rows.append(Row(name, f"hybrid nDCG@10, the weight alone cross-validated ({cv['folds']} folds, "
                              f"{alone['shuffles']} dealings)", f"{alone['cv_ndcg10']:.4f}",
                        f"lexical {data['pagesift']['ndcg@10']:.4f}",
                        f"{alone['cv_ratio_bm25']:.3f}x BM25, {alone['cv_ratio_lexical']:.3f}x lexical",
                        f"{data['hybrid_target_ratio']}x, > lexical",
                        _hybrid_met(alone, data)))
    return rows


def _typo_rows(data: dict[str, Any]) -> list[Row]:
    """Mistyped against clean, each ranking's own (the baseline column is the clean figure)."""
    typos = data.get("typos")
    if not typos:
        return []
    rows: list[Row] = []
    seeds = ",".join(str(s) for s in typos["seeds"])
    sets = (("queries_ndcg10", f"nDCG@10 of {data['judged_queries']} judged queries"),
            (f"titles_top{typos['top']}", f"{typos['titles']} titles, own article in the top {typos['top']}"))
    for mode in ("lexical", "hybrid", "bm25"):
        for key, what in sets:
            if mode not in typos:
                continue
            fig = typos[mode][key]
            target = typos["target_kept"] if mode != "bm25" else None
            rows.append(Row("relevance (CACM)", f"typos, {mode}: {what}, mistyped (seeds {seeds})",
                            f"{fig['mistyped']:.4f}", f"clean {fig['clean']:.4f}", f"{fig['kept']:.3f}x",
                            f">= {target}x" if target else "", fig["kept"] >= target if target else None))
    return rows


def _hybrid_met(cv: dict[str, Any], data: dict[str, Any]) -> bool:
    return bool(cv["cv_ratio_bm25"] >= data["hybrid_target_ratio"] and cv["cv_ratio_lexical"] > 1.0)


def embedding_rows(data: dict[str, Any]) -> list[Row]:
    speed, slow = data["throughput"], data["ingest"]
    sizes = slow["store_bytes_per_doc"]
    return [
        Row("embedding", f"pages/s per core ({data['model']})", _n(speed["embed_pages_per_cpu_s"]),
            f"cleaner {_n(speed['clean_pages_per_cpu_s'])}",
            f"{speed['embed_share_of_clean_cpu']}x of cleaning"),
        Row("embedding", "query embedded, ms", f"{speed['query_ms']:.2f}", ""),
        Row("embedding", f"ingest time with vectors ({_n(data['pages'])} pages)",
            f"{_n(slow['seconds']['vectors'])} s",
            f"lexical only {_n(slow['seconds']['none'])} s", f"{slow['slowdown']}x", f"<= {slow['target']}x",
            slow["meets_target"]),
        Row("embedding", "index bytes per document", _n(sizes["vectors"]["bytes_per_doc"]),
            f"lexical only {_n(sizes['none']['bytes_per_doc'])}", f"{slow['size_ratio']}x"),
    ]


def reindex_load_rows(data: dict[str, Any]) -> list[Row]:
    before, during, rebuild = data["before"], data["during"], data["reindex"]
    scale = f"{_n(data['docs'])} docs, {data['clients']} connections, wrk"
    return [
        Row("reindex under load", f"search p50 ms during reclean ({scale})", _n(during["latency_ms"]["p50"]),
            f"before {_n(before['latency_ms']['p50'])}", f"{data['p50_ratio_during_vs_before']}x"),
        Row("reindex under load", "search p99 ms during reclean", _n(during["latency_ms"]["p99"]),
            f"before {_n(before['latency_ms']['p99'])}", f"{data['p99_ratio_during_vs_before']}x"),
        Row("reindex under load", "failed searches during reclean", _n(data["failed_searches_during"]),
            f"before {_n(data['failed_searches_before'])}", "", "0", data["failed_searches_during"] == 0),
        Row("reindex under load", "reclean pages/s (while searched)", _n(rebuild["pages_per_s"]),
            "", "", "swapped", bool(rebuild["swapped"])),
    ]


def as_you_type_rows(data: dict[str, Any]) -> list[Row]:
    typed, loaded = data["typed"], data["page_load"]
    scale = f"{_n(data['docs'])} docs, debounce {data['debounce_ms']} ms"
    return [
        Row("as you type", f"last key to results, p50 ms ({scale})", _n(typed["p50_ms"]),
            f"page load {_n(loaded['p50_ms'])}", f"{data['p50_ratio_typed_vs_page_load']}x", "<= 1.0x",
            data["p50_ratio_typed_vs_page_load"] <= 1.0),
        Row("as you type", "last key to results, p95 ms", _n(typed["p95_ms"]),
            f"page load {_n(loaded['p95_ms'])}", f"{data['p95_ratio_typed_vs_page_load']}x", "<= 1.0x",
            data["p95_ratio_typed_vs_page_load"] <= 1.0),
    ]


ADAPTERS: dict[str, Callable[[dict[str, Any]], list[Row]]] = {
    "clean": clean_rows, "index": index_rows, "ingest": ingest_rows, "search": search_rows,
    "as_you_type": as_you_type_rows,
    "relevance": relevance_rows, "reindex_load": reindex_load_rows, "embedding": embedding_rows,
}


def rows(results: Path = RESULTS) -> tuple[list[Row], list[str]]:
    """Rows of every results file there is, and the notes on those that could not be read."""
    found: list[Row] = []
    notes: list[str] = []
    for name, adapter in ADAPTERS.items():
        path = results / f"{name}.json"
        if not path.exists():
            notes.append(f"`{name}`: no results (bench/results/{name}.json is missing: not run, or failed)")
            continue
        try:
            data = json.loads(path.read_text())
            run = _run_date(data, path)
            found += [replace(row, run=run) for row in adapter(data)]
        except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
            notes.append(f"`{name}`: results not understood ({type(exc).__name__}: {exc}); see {path.name}")
    return found, notes


def _run_date(data: dict[str, Any], path: Path) -> str:
    """When the figures were measured: the file's own date, else when it was written (its last
    commit: a fresh clone dates every file by the checkout), else its modification time."""
    stamp = data.get("date")
    moment = datetime.fromisoformat(stamp) if isinstance(stamp, str) else _written(path)
    return moment.astimezone(UTC).strftime("%m-%d %H:%M")


def _written(path: Path) -> datetime:
    changed = subprocess.run(["git", "log", "-1", "--format=%cI", "--", path.name], cwd=path.parent,
                             capture_output=True, text=True, check=False).stdout.strip()
    edited = subprocess.run(["git", "diff", "--quiet", "--", path.name], cwd=path.parent, check=False)
    if changed and edited.returncode == 0:
        return datetime.fromisoformat(changed)
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


# The machine --------------------------------------------------------------------------------
def machine(es_url: str | None = None) -> dict[str, str]:
    return {"cores": str(len(os.sched_getaffinity(0))), "memory": _memory(), "cpu": _cpu(), "os": _os(),
            "python": platform.python_version(), "java": _java(), "elasticsearch": _es_version(es_url),
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}


def _memory() -> str:
    match = re.search(r"MemTotal:\s+(\d+) kB", _read("/proc/meminfo"))
    return f"{int(match.group(1)) / 1024 / 1024:.1f} GiB" if match else "unknown"


def _cpu() -> str:
    match = re.search(r"model name\s*:\s*(.+)", _read("/proc/cpuinfo"))
    return match.group(1).strip() if match else platform.processor() or "unknown"


def _os() -> str:
    match = re.search(r'PRETTY_NAME="([^"]+)"', _read("/etc/os-release"))
    return f"{match.group(1) if match else platform.system()}, kernel {platform.release()}"


def _java() -> str:
    try:
        out = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=30).stderr
    except (OSError, subprocess.SubprocessError):
        return "not found"
    return out.splitlines()[0].strip() if out else "unknown"


def _es_version(url: str | None) -> str:
    if url:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                return str(json.load(resp)["version"]["number"])
        except (OSError, ValueError, KeyError):
            pass
    return "not reachable"


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


# The document -------------------------------------------------------------------------------
def render(found: list[Row], notes: list[str], host: dict[str, str]) -> str:
    lines = [BEGIN, "",
             f"Table written {host['date']} on {host['cores']} cores ({host['cpu']}), "
             f"{host['memory']} memory, {host['os']}; Python {host['python']}, Java {host['java']}, "
             f"Elasticsearch {host['elasticsearch']}.", "",
             "| Benchmark | Measure | pagesift | Baseline (same run) | Ratio | Target | Met | Run (UTC) |",
             "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r.benchmark} | {r.measure} | {r.pagesift} | {r.baseline} | {r.ratio} | {r.target} "
              f"| {_met(r.meets)} | {r.run} |" for r in found]
    if notes:
        lines += [""] + [f"- {note}" for note in notes]
    return "\n".join([*lines, "", END])


def write(doc: Path = DOC, results: Path = RESULTS, es_url: str | None = None) -> str:
    found, notes = rows(results)
    block = render(found, notes, machine(es_url))
    text = doc.read_text() if doc.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    doc.write_text(head + block + tail)
    return block


def main() -> int:
    sys.path.insert(0, str(REPO))
    from indexer import config

    print(write(es_url=config.load().es.url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
