"""Benchmark: `/api/search` against the same Elasticsearch queries sent directly.

Indexes N synthetic articles (bench/search_corpus.py; default 100,000) under their own prefix
through pagesift's indexing path, reusing that index on later runs. Then, with 8 concurrent
clients and no cache in front of either, sends at least 1,000 distinct searches (words,
phrases, OR, -word, exact, title-only, Persian; facets, dates, sorts, pages 1-3; every one
aggregates all facets and highlights) two ways:

- direct: the body ``indexer.query.build_search`` makes, POSTed to ``<alias>/_search`` (after
  the spelling lookup's ``_msearch`` and with its corrections, plus the "did you mean" request,
  when the app would make them too);
- web: the same parameters as a GET to ``/api/search?mode=lexical`` on gunicorn (``pagesift
  serve``'s command line, the configured workers, its Redis rate limiter on with a limit never
  reached);
- hybrid: the same GET with ``mode=hybrid``: the query embedded in the web process, the msearch
  of counts, BM25 ranks and nearest neighbours, fused in the app (exact and one-field searches
  of the mix stay lexical, as they do for readers; date-sorted ones list the same results by date).

Both go through the same HTTP client and decode the JSON answer. After a warm-up, the two
take turns every 100 queries (in random order), twice over the query set, so drift in the
shared machine hits all alike; a one-client pass adds the latency without queueing. Prints
and writes bench/results/search.json; targets: web p50 at most 1.3x direct p50, hybrid p50 at
most 1.5x web (lexical) p50. The corpus is indexed with the configured embedding model.

- typed: the web way with ``spell=0`` (the words as typed: no spelling lookup, no
  corrections), the search before typo tolerance, taking turns with the others: web/typed is
  what typo tolerance costs.

    .venv/bin/python bench/search.py [--docs 100000] [--queries 1000] [--clients 8] [--drop]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import urllib3  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402

from bench import search_corpus  # noqa: E402
from bench.common.output import write_results  # noqa: E402
from indexer import config  # noqa: E402
from indexer.config import Settings  # noqa: E402
from indexer.curation.expansion import Curated  # noqa: E402
from indexer.query import (  # noqa: E402
    build_search,
    build_suggestion,
    parse_search_args,
    shape_suggestion,
    spelling,
    wants_suggestion,
)
from indexer.query.builder import build_hit_check  # noqa: E402

TARGET_RATIO = 1.3
HYBRID_TARGET_RATIO = 1.5
ROUNDS = 2
# The two ways take turns every SLICE queries, so the load other processes put on the shared
# machine falls on both alike instead of on whichever phase it happened to coincide with.
SLICE = 100
SINGLE_CLIENT_QUERIES = 200
Args = list[tuple[str, str]]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--drop", action="store_true", help="delete the benchmark index afterwards")
    opts = parser.parse_args(argv)

    settings = config.load(index_prefix=f"bench-search-{opts.docs}")
    pools = search_corpus.load_pools()
    docs = ensure_corpus(settings, opts.docs, pools)
    queries = make_queries(opts.queries, pools, random.Random(61))
    http = urllib3.PoolManager(maxsize=opts.clients, headers=_es_headers(settings))
    direct = direct_sender(http, settings)
    with WebServer(settings) as base:
        web, hybrid = web_sender(http, base, "lexical"), web_sender(http, base, "hybrid")
        typed = web_sender(http, base, "lexical", [("spell", "0")])
        run(queries, direct, opts.clients)  # warm-up: caches, JIT, connections for all
        run(queries[:200], web, opts.clients)
        run(queries[:200], hybrid, opts.clients)
        load_before = os.getloadavg()[0]
        senders = {"direct": direct, "web": web, "hybrid": hybrid, "typed": typed}
        measured = alternate(queries * ROUNDS, senders, opts.clients)
        # Context, not the target: one client at a time shows the latency without queueing.
        alone = {name: _stats(runs) for name, runs in
                 alternate(queries[:SINGLE_CLIENT_QUERIES], senders, 1, SLICE // 4).items()}
    report = summarise(measured, docs, len(queries), opts.clients, settings)
    report["single_client"] = alone
    report["machine"]["load_average_1m"] = [round(load_before, 1), round(os.getloadavg()[0], 1)]
    write_results("search", report)
    print_report(report)
    if opts.drop:
        drop_corpus(settings)
    return 0


# --- corpus -------------------------------------------------------------------------------

def ensure_corpus(settings: Settings, count: int, pools: search_corpus.Pools) -> int:
    """Index ``count`` documents unless an index with that many is already there."""
    from indexer import embedding
    from indexer.es import make_client
    from indexer.index import lifecycle, mapping
    from indexer.index.bulk import BulkOptions
    from indexer.index.indexing import index_pages
    from indexer.index.names import IndexNames

    client = make_client(settings.es, timeout=120)
    names = IndexNames.from_settings(settings.index)
    spec = mapping.load()
    existing = lifecycle.current_index(client, names)
    built = names.parse(existing) if existing else None
    # An index of an older mapping lacks what this one adds (vectors): built again.
    if existing and built is not None and built.version == spec.version \
            and client.count(index=existing)["count"] == count:
        print(f"reusing {existing} ({count:,} documents)", flush=True)
        return count
    if existing:
        client.indices.delete(index=existing)
    index = lifecycle.ensure_index(client, names, spec)
    client.indices.put_settings(index=index, settings={"refresh_interval": "-1"})
    started = time.perf_counter()
    pages = search_corpus.documents(count, pools)
    done = [0]

    def progress(n: int) -> None:
        done[0] += n
        if done[0] % 10_000 == 0:
            print(f"  indexed {done[0]:,}", flush=True)

    embedder = embedding.for_mapping(settings.search.embedding_model, spec)
    report = index_pages(client, names.write_alias, pages, BulkOptions.from_settings(settings.index),
                         progress=progress, embedder=embedder)
    lifecycle.finish_build(client, index, spec)
    indexed = client.count(index=index)["count"]
    print(f"indexed {indexed:,} documents into {index} in {time.perf_counter() - started:.0f} s "
          f"({len(report.failures)} failures)", flush=True)
    return int(indexed)


def drop_corpus(settings: Settings) -> None:
    from indexer.es import make_client
    from indexer.index import lifecycle
    from indexer.index.names import IndexNames

    client = make_client(settings.es)
    names = IndexNames.from_settings(settings.index)
    for concrete in lifecycle.concrete_indices(client, names):
        client.indices.delete(index=concrete.name)
    client.options(ignore_status=404).indices.delete_index_template(name=names.template)


# --- queries ------------------------------------------------------------------------------

def make_queries(count: int, pools: search_corpus.Pools, rng: random.Random) -> list[Args]:
    """``count`` distinct parameter lists, the mix a search page sees."""
    words = [w for w in pools.tags if w.isascii()]
    persian = [w for s in search_corpus.PERSIAN for w in s.rstrip(".").split() if len(w) > 3]
    seen: set[tuple[tuple[str, str], ...]] = set()
    out: list[Args] = []
    while len(out) < count:
        args = _query(rng, words, persian, pools.paragraphs) + _filters(rng)
        key = tuple(args)
        if key not in seen:
            seen.add(key)
            out.append(args)
    return out


def _query(rng: random.Random, words: list[str], persian: list[str], paragraphs: list[str]) -> Args:
    roll = rng.random()
    if roll < 0.45:
        return [("q", " ".join(rng.sample(words, rng.randint(1, 2))))]
    if roll < 0.55:
        tokens = rng.choice(paragraphs).split()
        start = rng.randrange(max(1, len(tokens) - 3))
        return [("q", '"' + " ".join(tokens[start:start + rng.randint(2, 3)]).strip('".,;:') + '"')]
    if roll < 0.65:
        return [("q", f"{rng.choice(words)} OR {rng.choice(words)}")]
    if roll < 0.70:
        return [("q", f"{rng.choice(words)} -{rng.choice(words)}")]
    if roll < 0.80:
        return [("q", " ".join(rng.sample(words, 2))), ("exact", "1")]
    if roll < 0.90:
        return [("q", rng.choice(words)), ("in", "title")]
    if roll < 0.95:
        return [("q", rng.choice(persian))]
    return []  # browsing, newest first


def _filters(rng: random.Random) -> Args:
    args: Args = []
    if rng.random() < 0.4:
        args += [("category", c) for c in rng.sample(search_corpus.CATEGORIES[:10], rng.randint(1, 2))]
    if rng.random() < 0.2:
        args.append(("year", str(rng.randint(2016, 2025))))
    if rng.random() < 0.1:
        args.append(("type", "post"))
    if rng.random() < 0.1:
        args += [("from", "2019-01-01"), ("to", "2022-12-31")]
    sort = rng.choices(("relevance", "newest", "oldest"), (0.7, 0.2, 0.1))[0]
    if sort != "relevance":
        args.append(("sort", sort))
    page = rng.choices((1, 2, 3), (0.8, 0.15, 0.05))[0]
    if page > 1:
        args.append(("page", str(page)))
    return args


# --- the two ways of asking -----------------------------------------------------------------

Sender = Callable[[Args], int]


def _es_headers(settings: Settings) -> dict[str, str]:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if settings.es.username:
        headers.update(urllib3.make_headers(basic_auth=f"{settings.es.username}:{settings.es.password}"))
    return headers


def direct_sender(http: urllib3.PoolManager, settings: Settings) -> Sender:
    url = f"{settings.es.url.rstrip('/')}/{settings.index.prefix}/_search"
    msearch = f"{settings.es.url.rstrip('/')}/{settings.index.prefix}/_msearch"

    def post(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        response = http.request("POST", url, body=json.dumps(body).encode())
        return response.status, json.loads(response.data)

    def send(args: Args) -> int:
        req = parse_search_args(MultiDict(args))
        status, spelt = _spelling(req)
        body = build_search(req, timeout_s=settings.web.search_timeout,
                            curated=Curated(expansions=spelt.expansions()))
        if status == 200:
            status, answer = post(body)
        # The same further requests the app makes (indexer/searching.py) when the words found
        # almost nothing: the suggestion, and the check that it finds something itself.
        if status == 200 and not spelt and wants_suggestion(req, answer["hits"]["total"]["value"]):
            status, suggested = post(build_suggestion(req.q, timeout_s=settings.web.search_timeout))
            offered = shape_suggestion(suggested, req.q) if status == 200 else None
            if offered:
                check = build_hit_check(replace(req, q=offered), timeout_s=settings.web.search_timeout)
                status, _ = post(check)
        return status

    def _spelling(req: Any) -> tuple[int, spelling.Spelling]:
        """The app's spelling lookup (indexer.searching.check_spelling), one _msearch."""
        words = spelling.words_to_check(req.query, req.exact) if req.spell else ()
        if not words:
            return 200, spelling.NO_SPELLING
        bodies = spelling.lookup_bodies(words, req.fields, timeout_s=settings.web.search_timeout)
        lines = "".join(f"{{}}\n{json.dumps(body)}\n" for body in bodies)
        response = http.request("POST", msearch, body=lines.encode(),
                                headers={**_es_headers(settings), "Content-Type": "application/x-ndjson"})
        if response.status != 200:
            return response.status, spelling.NO_SPELLING
        return 200, spelling.read_lookup(words, req.fields, json.loads(response.data)["responses"])

    return send


def web_sender(http: urllib3.PoolManager, base: str, mode: str, extra: Args | None = None) -> Sender:
    def send(args: Args) -> int:
        query = urlencode([*args, ("mode", mode), *(extra or [])])
        response = http.request("GET", f"{base}/api/search?{query}")
        json.loads(response.data)
        return response.status

    return send


class WebServer:
    """gunicorn as `pagesift serve` runs it, on a free port, for the length of the run."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> str:
        from pagesift.stack.web import gunicorn_argv

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = {**os.environ, "PAGESIFT_INDEX_PREFIX": self.settings.index.prefix,
               "PAGESIFT_WEB_RATE_LIMIT": "1000000/minute"}
        # The run needs no per-request line.
        argv = gunicorn_argv("127.0.0.1", port, self.settings.web.workers, access_log="off")
        self.proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        http = urllib3.PoolManager()
        for _ in range(100):
            try:
                if http.request("GET", f"{base}/healthz", timeout=2).status == 200:
                    return base
            except urllib3.exceptions.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not come up")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)


# --- measuring ------------------------------------------------------------------------------

class Measure:
    def __init__(self, latencies: list[float], wall: float, errors: int) -> None:
        self.latencies, self.wall, self.errors = latencies, wall, errors


def run(queries: list[Args], send: Sender, clients: int) -> Measure:
    def timed(args: Args) -> tuple[float, int]:
        started = time.perf_counter()
        status = send(args)
        return time.perf_counter() - started, status

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(timed, queries))
    wall = time.perf_counter() - started
    return Measure([r[0] for r in results], wall, sum(1 for r in results if r[1] != 200))


def alternate(queries: list[Args], senders: dict[str, Sender], clients: int,
              size: int = SLICE) -> dict[str, list[Measure]]:
    """Each way in turn on each slice of ``queries``, in a random order per slice."""
    measured: dict[str, list[Measure]] = {name: [] for name in senders}
    order = random.Random(7)
    for start in range(0, len(queries), size):
        names = list(senders)
        order.shuffle(names)  # neither way always goes first
        for name in names:
            measured[name].append(run(queries[start:start + size], senders[name], clients))
    return measured


def _stats(runs: list[Measure]) -> dict[str, Any]:
    latencies = sorted(t * 1000 for m in runs for t in m.latencies)
    cuts = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "errors": sum(m.errors for m in runs),
            "p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1), "p99_ms": round(cuts[98], 1),
            "mean_ms": round(statistics.fmean(latencies), 1),
            "throughput_qps": round(len(latencies) / sum(m.wall for m in runs), 1)}


def summarise(measured: dict[str, list[Measure]], docs: int, queries: int, clients: int,
              settings: Settings) -> dict[str, Any]:
    direct, web, hybrid, typed = (_stats(measured[name]) for name in ("direct", "web", "hybrid", "typed"))
    ratio = round(web["p50_ms"] / direct["p50_ms"], 2)
    hybrid_ratio = round(hybrid["p50_ms"] / web["p50_ms"], 2)
    return {
        "benchmark": "search",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "docs": docs, "distinct_queries": queries, "rounds": ROUNDS, "clients": clients,
        "gunicorn_workers": settings.web.workers, "gunicorn_threads": 4,
        "direct": direct, "web": web, "hybrid": hybrid, "typed": typed,
        "p50_ratio_web_vs_typed": round(web["p50_ms"] / typed["p50_ms"], 2),
        "p50_ratio_web_vs_direct": ratio, "target_ratio": TARGET_RATIO, "meets_target": ratio <= TARGET_RATIO,
        "p50_ratio_hybrid_vs_lexical": hybrid_ratio,
        "p99_ratio_hybrid_vs_lexical": round(hybrid["p99_ms"] / web["p99_ms"], 2),
        "hybrid_target_ratio": HYBRID_TARGET_RATIO,
        "hybrid_meets_target": hybrid_ratio <= HYBRID_TARGET_RATIO,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }


def print_report(report: dict[str, Any]) -> None:
    print(f"{report['docs']:,} docs, {report['distinct_queries']:,} distinct queries x {report['rounds']} "
          f"rounds, {report['clients']} clients")
    print(f"{'':8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'q/s':>8}{'errors':>8}")
    for name in ("direct", "web", "hybrid", "typed"):
        s = report[name]
        print(f"{name:8}{s['p50_ms']:>9}{s['p95_ms']:>9}{s['p99_ms']:>9}{s['throughput_qps']:>8}{s['errors']:>8}")
    for name in ("direct", "web", "hybrid", "typed"):
        s = report["single_client"][name]
        print(f"{name + ' x1':8}{s['p50_ms']:>9}{s['p95_ms']:>9}{s['p99_ms']:>9}{s['throughput_qps']:>8}"
              f"{s['errors']:>8}")
    print(f"web/direct p50: {report['p50_ratio_web_vs_direct']} (target <= {report['target_ratio']}); "
          f"load average {report['machine']['load_average_1m']} on {report['machine']['cpus']} CPUs")
    print(f"hybrid/lexical p50: {report['p50_ratio_hybrid_vs_lexical']} "
          f"(target <= {report['hybrid_target_ratio']}), p99: {report['p99_ratio_hybrid_vs_lexical']}")
    print(f"web/typed p50 (what typo tolerance costs): {report['p50_ratio_web_vs_typed']}")


if __name__ == "__main__":
    sys.exit(main())
