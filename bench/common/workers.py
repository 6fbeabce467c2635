"""One extractor run: a whole process pinned to one core, timing the extraction loop.

``PAGESIFT_BENCH_OVERRIDES`` (JSON, ``{"indexer.clean.content.SHORT_TEXT": 300}``) sets
module constants before the first page: the variants cross-validation chooses among run the
production code with one constant changed, never a copy of it.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Extractor = Callable[[bytes], tuple[str, str | None]]
_WARM_UP_PAGE = ("<html><body><article><p>" + "A sentence to warm the extractor up. " * 20
                 + "</p></article></body></html>")


def pagesift_extractor() -> Extractor:
    from indexer.clean import CleanError, clean, warm_up

    warm_up()

    def run(raw: bytes) -> tuple[str, str | None]:
        try:
            page = clean(raw)
        except CleanError:
            return "", None
        return page.content, page.title

    return run


def trafilatura_extractor() -> Extractor:
    import trafilatura

    # Its first call sets up caches; a worker pays that once, at start-up.
    trafilatura.extract(_WARM_UP_PAGE, fast=True, include_comments=False)

    def run(raw: bytes) -> tuple[str, str | None]:
        return trafilatura.extract(raw, fast=True, include_comments=False) or "", None

    return run


EXTRACTORS: dict[str, Callable[[], Extractor]] = {
    "pagesift": pagesift_extractor,
    "trafilatura": trafilatura_extractor,
}


def apply_overrides(overrides: dict[str, Any]) -> None:
    for dotted, value in overrides.items():
        module, _, name = dotted.rpartition(".")
        target = importlib.import_module(module)
        if not hasattr(target, name):
            raise SystemExit(f"no constant {dotted} to override")
        current = getattr(target, name)
        setattr(target, name, type(current)(value) if isinstance(current, tuple | frozenset)
                else value)


def main(name: str, core: int, paths_file: str, out_file: str) -> None:
    """Worker entry: read inputs first, then time only the extraction loop."""
    started = time.perf_counter()
    os.sched_setaffinity(0, {core})
    apply_overrides(json.loads(os.environ.get("PAGESIFT_BENCH_OVERRIDES") or "{}"))
    extract = EXTRACTORS[name]()
    paths = json.loads(Path(paths_file).read_text())
    pages = [Path(p).read_bytes() for p in paths]
    results: list[dict[str, Any]] = []
    # CPU time as well as wall time: on a shared machine other processes steal the core
    # unevenly between the two runs, and CPU time is what the extractor itself spent.
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    for raw in pages:
        page_start = time.perf_counter()
        text, title = extract(raw)
        results.append({"text": text, "title": title,
                        "seconds": round(time.perf_counter() - page_start, 4)})
    usage = resource.getrusage(resource.RUSAGE_SELF)
    Path(out_file).write_text(json.dumps({
        "results": results,
        "loop_cpu_seconds": time.process_time() - cpu_start,
        "loop_wall_seconds": time.perf_counter() - wall_start,
        "process_wall_seconds": time.perf_counter() - started,
        "process_cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_kib": usage.ru_maxrss,
    }))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4])
