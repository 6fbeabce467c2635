"""Benchmark: end-to-end ingest, from `pagesift ingest` to searchable, against the cleaner alone.

Both sides get the same local pages (real pages of the dragnet dev set, cycled to the count,
each copy made distinct) and the same two cores in the same run:

- baseline: the cleaner alone, two processes, each cleaning half of the files read from disk;
- pipeline: `pagesift ingest FOLDER --base-url ...` with a Celery worker of two processes,
  timed from the command's start until the read index answers with every indexed page (raw
  store, cleaning, duplicate marking, bulk indexing, ledger accounting, refresh included).

The two alternate in rounds of 1,000 pages (baseline, then pipeline, on the same pages), so
both see the same background load; the ratio is of the summed times.

Also measured: Redis memory per queued page (a private redis-server, a job of the same pages
accepted and queued with no worker running). Writes bench/results/ingest.json.

    PAGESIFT_ES_URL=... PAGESIFT_REDIS_URL=... .venv/bin/python bench/ingest.py [--pages 5000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common import cpu, datasets  # noqa: E402
from bench.common.output import write_results  # noqa: E402
from indexer import config  # noqa: E402
from indexer.config import Settings, replaced  # noqa: E402

BASE_URL = "https://bench.example/"
TARGET_RATIO = 0.8


def write_pages(folder: Path, count: int) -> list[Path]:
    """``count`` HTML files: the dev set's pages in turn, each copy with a sentence of its own
    put into the text the cleaner keeps (so no two copies share a content hash), and without
    its canonical link and og:url, so each file is a page of its own (URL from ``--base-url``)."""
    sources = [s.html.read_bytes() for s in datasets.load("dragnet-train")]
    marks = [_marking(raw) for raw in sources]
    paths = []
    for number in range(count):
        raw = marks[number % len(sources)](f"Copy {number} of page {number % len(sources)}. ".encode())
        for own_url in (b'"canonical"', b"'canonical'", b"og:url"):
            raw = raw.replace(own_url, b'"x-copy"')
        path = folder / f"{number // 1000:02d}" / f"page-{number:05d}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
        paths.append(path)
    return paths


def _marking(raw: bytes) -> Callable[[bytes], bytes]:
    """How to put a marker into this page's cleaned content: in front of the first words of a
    content line, as the page's body holds them verbatim, checked by cleaning a marked copy.
    (Markers at the first ``<p>`` missed the content on pages whose first paragraph is
    boilerplate, and those copies came out as duplicates of each other.)"""
    from indexer.clean import CleanError, clean

    def at_first_p(marker: bytes) -> bytes:
        return raw.replace(b"<p>", b"<p>" + marker, 1) if b"<p>" in raw else raw + b"<p>" + marker

    try:
        page = clean(raw, url=BASE_URL)
    except CleanError:
        return at_first_p
    body = max(raw.lower().find(b"<body"), 0)
    for anchor in _anchors(page.content, raw[body:]):
        def before(marker: bytes, anchor: bytes = anchor) -> bytes:
            return raw[:body] + raw[body:].replace(anchor, marker + anchor)
        try:
            if clean(before(b"Copy 0 of page 0. "), url=BASE_URL).content_hash != page.content_hash:
                return before
        except CleanError:
            continue
    return at_first_p


def _anchors(content: str, body: bytes, tries: int = 6) -> Iterator[bytes]:
    """Up to ``tries`` runs of words of ``content`` that ``body`` holds verbatim: each line's
    first words, then runs further into the lines (markup inside a line breaks the first)."""
    lines = [line.split() for line in content.splitlines()]
    runs = [" ".join(words[:size]) for words in lines for size in (8, 6, 4, 3) if len(words) >= size]
    runs += [" ".join(words[at:at + 4]) for words in lines for at in range(4, len(words) - 3, 4)]
    found: set[bytes] = set()
    for run in runs:
        anchor = run.encode()
        if anchor in body and not any(anchor in f or f in anchor for f in found):
            found.add(anchor)
            yield anchor
            if len(found) >= tries:
                return


def _clean_files(paths: list[str]) -> int:
    from indexer.clean import CleanError, clean

    done = 0
    for path in paths:
        try:
            clean(Path(path).read_bytes(), url=Path(path).as_uri())
        except CleanError:
            pass
        done += 1
    return done


def baseline(paths: list[Path], processes: int) -> dict[str, Any]:
    halves = [[str(p) for p in paths[i::processes]] for i in range(processes)]
    context = multiprocessing.get_context("fork")
    cpu_before = cpu.reaped_children_seconds()
    started = time.perf_counter()
    with context.Pool(processes) as pool:
        cleaned = sum(pool.map(_clean_files, halves))
    seconds = time.perf_counter() - started
    # The pool's processes are reaped when the block ends, so their CPU is counted by then.
    return {"pages": cleaned, "seconds": round(seconds, 2), "pages_per_s": round(cleaned / seconds, 1),
            "cpu_seconds": round(cpu.reaped_children_seconds() - cpu_before, 2)}


def interleaved(rounds: list[list[Path]], settings: Settings, log: Path) -> list[dict[str, Any]]:
    """For each round of pages: the cleaner alone, then `pagesift ingest` of the same pages to
    searchable. Alternating in rounds keeps both sides under the same background load."""
    from indexer.clean import warm_up
    from indexer.es import make_client
    from pagesift.stack.worker import ping, settings_env, worker_argv
    from worker import redis_dbs
    from worker.context import job_store

    # The worker's processes load the cleaner's models once; the baseline's forks inherit them.
    warm_up()
    node = f"{settings.redis.namespace}@bench"
    with log.open("ab") as out:
        worker = subprocess.Popen(worker_argv(settings, node, loglevel="WARNING"), env=settings_env(settings),
                                  stdout=out, stderr=subprocess.STDOUT, cwd=REPO, start_new_session=True)
    es = make_client(settings.es)
    meter = cpu.Meter(es, redis_dbs.client(settings.redis.url, redis_dbs.JOBS), worker.pid)
    results = []
    try:
        deadline = time.monotonic() + 60
        while not ping(settings, node, timeout=1.0):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start; see {log}")
        for number, paths in enumerate(rounds, 1):
            clean_only = baseline(paths, settings.worker.concurrency)
            ingest = pipeline_round(paths, settings, es, job_store(settings), meter)
            results.append({"round": number, "load_average": os.getloadavg(), "cleaner_alone": clean_only,
                            "pipeline": ingest,
                            "ratio": round(ingest["pages_per_s"] / clean_only["pages_per_s"], 3)})
            job = ingest["job"]
            print(f"round {number}: cleaner alone {clean_only['pages_per_s']} pages/s "
                  f"({clean_only['cpu_seconds']} s CPU), pipeline {ingest['pages_per_s']} pages/s "
                  f"(indexed {job['indexed']}, skipped {job['skipped']} {ingest['skip_reasons']}, "
                  f"failed {job['failed']}; CPU s {ingest['cpu_seconds']}; "
                  f"phases s {ingest['phases_seconds']}); load {os.getloadavg()[0]:.2f}", flush=True)
        results.append({"searchable": int(es.count(index=settings.index.prefix)["count"])})
        return results
    finally:
        os.killpg(worker.pid, 15)
        worker.wait(60)
        drop(es, settings)
        es.close()


def pipeline_round(paths: list[Path], settings: Settings, es: Any, store: Any,
                   meter: cpu.Meter) -> dict[str, Any]:
    """`pagesift ingest` of the round's folder, timed until the read index answers for it."""
    from pagesift import report
    from pagesift.stack.worker import settings_env

    before, cli_before = meter.snapshot(), cpu.reaped_children_seconds()
    started, started_at = time.perf_counter(), time.time()
    submitted = subprocess.run([sys.executable, "-m", "pagesift.cli", "ingest", str(paths[0].parent),
                                "--base-url", BASE_URL], env=settings_env(settings), cwd=REPO,
                               capture_output=True, text=True, check=True)
    cli_seconds, cli_returned = cpu.reaped_children_seconds() - cli_before, time.time()
    job_id = submitted.stdout.split()[0]
    while not (job := store.records.get(job_id)) or not job.finished_status:
        time.sleep(0.2)
    es.indices.refresh(index=settings.index.prefix)
    seconds = time.perf_counter() - started
    used = {**meter.since(before), "cli": round(cli_seconds, 2)}
    if job.total != len(paths):
        raise RuntimeError(f"the job accounted for {job.total} pages, not {len(paths)}")
    # Where the wall time went: the command's start-up, the wait for the start task, the
    # batches, the last refresh; a core idle in any of them counts against the ratio.
    phases = {"cli": cli_returned - started_at, "until_started": (job.started or 0) - cli_returned,
              "batches": (job.finished or 0) - (job.started or 0),
              "until_searchable": started_at + seconds - (job.finished or 0)}
    return {"pages": len(paths), "seconds": round(seconds, 2), "pages_per_s": round(len(paths) / seconds, 1),
            "cpu_seconds": used, "phases_seconds": {name: round(value, 2) for name, value in phases.items()},
            "job": job.to_dict(),
            "skip_reasons": dict(report.skip_reasons(store.ledger.pages(job_id)).most_common())}


def cpu_breakdown(per_round: list[dict[str, Any]]) -> dict[str, Any]:
    """CPU per page of each part, summed over the rounds, against the cleaner alone's: what
    the pipeline spends beyond cleaning, and where. Elasticsearch's share includes whatever
    else the node served meanwhile (it may be shared)."""
    pages = sum(r["pipeline"]["pages"] for r in per_round)
    parts: dict[str, float] = {}
    for r in per_round:
        for part, seconds in r["pipeline"]["cpu_seconds"].items():
            parts[part] = parts.get(part, 0.0) + seconds
    cleaner = sum(r["cleaner_alone"]["cpu_seconds"] for r in per_round)
    pipeline_total = sum(parts.values())
    walls = {side: sum(r[side]["seconds"] for r in per_round) for side in ("cleaner_alone", "pipeline")}
    return {
        "cleaner_alone_ms_per_page": round(1000 * cleaner / pages, 2),
        "pipeline_ms_per_page": {part: round(1000 * s / pages, 2) for part, s in sorted(parts.items())},
        "pipeline_total_ms_per_page": round(1000 * pipeline_total / pages, 2),
        "worker_beyond_cleaning_ms_per_page": round(
            1000 * (parts.get("worker_main", 0.0) + parts.get("worker_pool", 0.0) - cleaner) / pages, 2),
        "pipeline_cpu_vs_cleaner": round(pipeline_total / cleaner, 3) if cleaner else None,
        # The ratio the two would reach with every core busy on both sides: what the load of
        # the machine cannot move, unlike the wall-clock ratio.
        "ratio_by_cpu": round(cleaner / pipeline_total, 3) if pipeline_total else None,
        # CPU seconds per wall second: 2.0 is both cores busy the whole time.
        "cores_busy": {side: round((cleaner if side == "cleaner_alone" else pipeline_total) / walls[side], 2)
                       for side in walls},
    }


def drop(es: Any, settings: Settings) -> None:
    from worker import redis_dbs

    found = es.options(ignore_status=404).indices.get(index=f"{settings.index.prefix}*",
                                                      expand_wildcards="all")
    for name in found.body:
        es.options(ignore_status=404).indices.delete(index=name)
    es.options(ignore_status=404).indices.delete_index_template(name=f"{settings.index.prefix}-template")
    for offset in (redis_dbs.BROKER, redis_dbs.RESULTS, redis_dbs.JOBS):
        client = redis_dbs.client(settings.redis.url, offset)
        keys = list(client.scan_iter(f"{settings.redis.namespace}*")) + list(
            client.scan_iter(f"_kombu.binding.{settings.redis.namespace}*"))
        if keys:
            client.delete(*keys)


def redis_memory_per_page(folder: Path, settings: Settings, home: Path) -> dict[str, Any]:
    """Accept and queue the pages as start_ingest does, with no worker: Redis's memory grows by
    the ledger (one record per page) and the queued batch messages."""
    from pagesift.stack import redis as local_redis
    from worker import expand, redis_dbs, submit
    from worker.context import job_store
    from worker.fetch import Fetcher
    from worker.sources import PageRef, classify

    with socket_port() as port:
        private = local_redis.LocalRedis(home, port)
    local_redis.start(private)
    try:
        isolated = replaced(settings, redis_url=private.url)
        clients = [redis_dbs.client(private.url, o) for o in (redis_dbs.BROKER, redis_dbs.JOBS)]
        # used_memory is the whole server's: the ledger's and the queue's databases together.
        before = int(clients[0].info("memory")["used_memory"])
        store = job_store(isolated)
        app = submit.producer(isolated)
        job = store.records.create("ingest", {"sources": [str(folder)]})
        fetcher = Fetcher(isolated.fetch, isolated.redis.namespace, clients[1])
        found = expand.refs(classify(str(folder)), fetcher, BASE_URL, settings.fetch.max_bytes)
        refs = [r.to_dict() for r in found if isinstance(r, PageRef)]
        store.ledger.add_pages(job.id, refs)
        submit.enqueue_refs(app, job.id, refs, settings)
        after = int(clients[0].info("memory")["used_memory"])
        queued = int(clients[0].llen(settings.redis.namespace) or 0) + int(
            clients[0].llen(f"{settings.redis.namespace}:{settings.redis.namespace}") or 0)
        return {"pages": len(refs), "queued_messages": queued, "used_memory_delta_bytes": after - before,
                "bytes_per_page": round((after - before) / max(len(refs), 1), 1)}
    finally:
        local_redis.stop(private)


class socket_port:
    """A free loopback port, released when the block ends (the caller binds it next)."""

    def __enter__(self) -> int:
        import socket

        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        return int(self._sock.getsockname()[1])

    def __exit__(self, *_exc: object) -> None:
        self._sock.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    namespace = f"bench-{uuid.uuid4().hex[:8]}"
    settings = config.load(redis_namespace=namespace, index_prefix=namespace, worker_concurrency=2)
    with tempfile.TemporaryDirectory(prefix="pagesift-bench-") as tmp:
        folder = Path(tmp) / "pages"
        paths = write_pages(folder, args.pages)
        print(f"{len(paths)} pages written to {folder}", flush=True)
        rounds = [sorted(d.glob("*.html")) for d in sorted(folder.iterdir())]
        measured = interleaved(rounds, settings, Path(tmp) / "worker.log")
        memory = redis_memory_per_page(folder, replaced(settings, redis_namespace=f"{namespace}-mem"),
                                       Path(tmp) / "redis-home")
    per_round, searchable = measured[:-1], measured[-1]["searchable"]
    clean_seconds = sum(r["cleaner_alone"]["seconds"] for r in per_round)
    ingest_seconds = sum(r["pipeline"]["seconds"] for r in per_round)
    ratio = round(clean_seconds / ingest_seconds, 3)
    report = {"benchmark": "ingest", "date": datetime.now(UTC).isoformat(timespec="seconds"),
              "cores": len(os.sched_getaffinity(0)), "load_average": os.getloadavg(), "pages": len(paths),
              "worker_processes": settings.worker.concurrency,
              "batch_size": settings.worker.ingest_local_batch_size,
              "cleaner_alone_pages_per_s": round(len(paths) / clean_seconds, 1),
              "pipeline_pages_per_s": round(len(paths) / ingest_seconds, 1), "searchable": searchable,
              "ratio_pipeline_vs_cleaner": ratio,
              "ratio_median_of_rounds": round(statistics.median(r["ratio"] for r in per_round), 3),
              "target_ratio": TARGET_RATIO, "meets_target": ratio >= TARGET_RATIO,
              "cpu": cpu_breakdown(per_round), "rounds": per_round,
              "redis_memory_per_queued_page": memory}
    print(f"CPU: {report['cpu']}")
    print(f"ratio {ratio} (target {TARGET_RATIO}); Redis {memory['bytes_per_page']} bytes per queued page")
    if not args.no_write:
        write_results("ingest", report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
