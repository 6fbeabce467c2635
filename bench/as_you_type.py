"""Benchmark: what a reader waits from a keystroke to the results, searching as they type.

On the 100,000-article benchmark corpus (bench/search_corpus.py, indexed through pagesift's
indexing path under its own prefix, reused on later runs), the search page is served by
gunicorn as ``pagesift serve`` runs it, and Debian's chromium (Playwright) types queries into
the box one key at a time, as a reader does (a key every 120 ms). For each query, the wait is
from the query's last keystroke to its results on screen: the page's own debounce, the
request for the page's regions (/search/results), the search, and the swap (search.js fires
``pagesift:results`` once they are in the page). Measured from the driving process, the same
way for both sides.

Baseline, in the same run and the same browser: the page as it was before results came as you
type, a whole page load for the same query (what every search, tick and sort cost a reader).
Typed and loaded queries take turns, so the shared machine's load falls on both alike.

    .venv/bin/python bench/as_you_type.py [--docs 100000] [--queries 60] [--delay-ms 120]

The index holds no vectors (it is built with PAGESIFT_EMBEDDING_MODEL=none) and the page is
searched lexically: the embedding of a query adds to both sides alike (bench/search.py has the
hybrid figures). Writes bench/results/as_you_type.json.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import search_corpus  # noqa: E402
from bench.common.output import write_results  # noqa: E402
from bench.common.web import gunicorn  # noqa: E402
from bench.search import ensure_corpus  # noqa: E402
from indexer import config  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The results' own event (search.js), recorded with the query they are for.
RECORD = """document.addEventListener("pagesift:results", (e) => {
  window.__shown = e.detail.q; window.__request_ms = e.detail.ms; });"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--delay-ms", type=int, default=120, help="between two keys, as a reader types")
    opts = parser.parse_args(argv)

    settings = config.load(index_prefix=f"bench-typing-{opts.docs}", embedding_model="none",
                           search_mode="lexical", searchlog_enabled=False, web_rate_limit="1000000/second")
    pools = search_corpus.load_pools()
    docs = ensure_corpus(settings, opts.docs, pools)
    queries = make_queries(opts.queries, pools, random.Random(7))
    with gunicorn(settings, settings.home / "logs" / "bench-as-you-type-web.log") as base:
        load_before = os.getloadavg()[0]
        typed, requests, loaded = measure(base, queries, opts.delay_ms)
    report = summarise(typed, requests, loaded, docs, opts)
    report["load_average_1m"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    write_results("as_you_type", report)
    print_report(report)
    return 0


def make_queries(count: int, pools: search_corpus.Pools, rng: random.Random) -> list[str]:
    """One or two words of the corpus's own vocabulary, as readers type them."""
    words = [w for w in pools.tags if w.isascii() and w.isalpha()]
    out: list[str] = []
    while len(out) < count:
        q = " ".join(rng.sample(words, rng.choice((1, 1, 2))))
        if q not in out:
            out.append(q)
    return out


def measure(base: str, queries: list[str], delay_ms: int) -> tuple[list[float], list[float], list[float]]:
    """Per query: the wait typing it, the part of it the page spent on the request and the
    swap (search.js's own clock), and the wait loading it."""
    from playwright.sync_api import sync_playwright

    typed: list[float] = []
    requests: list[float] = []
    loaded: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(RECORD)
        page = context.new_page()
        page.set_default_timeout(30_000)
        for warm in queries[:3]:  # connections, caches, the script parsed
            type_query(page, base, warm, delay_ms)
            load_query(page, base, warm)
        for n, q in enumerate(queries):
            # Alternate which goes first, so neither always meets a warm cache for the other.
            if n % 2:
                loaded.append(load_query(page, base, q))
                typed.append(type_query(page, base, q, delay_ms))
                requests.append(float(page.evaluate("window.__request_ms")))
            else:
                typed.append(type_query(page, base, q, delay_ms))
                requests.append(float(page.evaluate("window.__request_ms")))
                loaded.append(load_query(page, base, q))
        browser.close()
    return typed, requests, loaded


def type_query(page: Any, base: str, q: str, delay_ms: int) -> float:
    """Type ``q`` into an empty box; milliseconds from its last key to its results on screen."""
    page.goto(f"{base}/", wait_until="load")
    box = page.locator("#q")
    box.click()
    box.press_sequentially(q[:-1], delay=delay_ms)
    page.wait_for_timeout(delay_ms)
    started = time.perf_counter()
    page.keyboard.press(q[-1])
    page.wait_for_function("q => window.__shown === q", arg=q, polling="raf")
    return (time.perf_counter() - started) * 1000


def load_query(page: Any, base: str, q: str) -> float:
    """The page before: a whole load of the results page; milliseconds to its results."""
    started = time.perf_counter()
    page.goto(f"{base}/?q={quote_plus(q)}", wait_until="domcontentloaded")
    page.wait_for_selector("#result-count")
    return (time.perf_counter() - started) * 1000


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"n": len(values), "p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[max(0, round(0.95 * len(ordered)) - 1)], 1),
            "mean_ms": round(statistics.fmean(ordered), 1)}


def summarise(typed: list[float], requests: list[float], loaded: list[float], docs: int,
              opts: argparse.Namespace) -> dict[str, Any]:
    t, b = _stats(typed), _stats(loaded)
    return {"benchmark": "as_you_type", "docs": docs, "queries": opts.queries, "key_delay_ms": opts.delay_ms,
            "request_and_swap": _stats(requests),
            "debounce_ms": debounce_ms(), "typed": t, "page_load": b,
            "p50_ratio_typed_vs_page_load": round(t["p50_ms"] / b["p50_ms"], 3),
            "p95_ratio_typed_vs_page_load": round(t["p95_ms"] / b["p95_ms"], 3)}


def debounce_ms() -> int:
    """The page's own pause before a typed search (web/static/search.js)."""
    script = (REPO / "web" / "static" / "search.js").read_text(encoding="utf-8")
    found = re.search(r"const TYPING_DELAY_MS = (\d+);", script)
    return int(found.group(1)) if found else -1


def print_report(report: dict[str, Any]) -> None:
    print(f"keystroke to results, {report['docs']:,} articles, {report['queries']} queries typed "
          f"a key every {report['key_delay_ms']} ms (debounce {report['debounce_ms']} ms):")
    for name in ("typed", "request_and_swap", "page_load"):
        s = report[name]
        print(f"  {name:<16} p50 {s['p50_ms']:>7.1f} ms  p95 {s['p95_ms']:>7.1f} ms  "
              f"mean {s['mean_ms']:>7.1f} ms")
    print(f"  p50 ratio typed / page load: {report['p50_ratio_typed_vs_page_load']}x, "
          f"p95 {report['p95_ratio_typed_vs_page_load']}x")


if __name__ == "__main__":
    sys.exit(main())
