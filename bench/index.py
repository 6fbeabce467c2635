"""Benchmark: pagesift's indexing path against a bare ``helpers.bulk`` of the same documents.

The pagesift path is :func:`indexer.index.indexing.index_pages`, which writes through the
same :class:`~indexer.index.indexing.Indexer` every ingest batch and reclean writes through:
Page -> document, the takedown list read before and after the write, duplicate lookup by
content hash, external versions and an outcome per page. The baseline sends the same
documents (already converted, no versions, no accounting) with ``helpers.bulk`` and the same
chunk limits, each into a fresh index built from the same template; the two alternate block by
block. Then: ``migrate`` throughput on the indexed documents, index bytes per document
(after a force merge) and raw store bytes per page for the dev sets' real HTML.

Documents are built from the dev sets' gold texts in ``../shared/data`` (read in place), varied
so that every document has its own URL and text. Everything lives under a random prefix on
the node of ``PAGESIFT_ES_URL`` and is deleted at the end. Writes bench/results/index.json.

    .venv/bin/python bench/index.py [--docs 20000] [--rounds 1] [--block 1000] [--max-chars 2000]
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from elasticsearch import Elasticsearch  # noqa: E402
from elasticsearch.helpers import bulk  # noqa: E402

from bench.common import datasets  # noqa: E402
from bench.common.output import write_results  # noqa: E402
from indexer import config  # noqa: E402
from indexer.config import Settings, replaced  # noqa: E402
from indexer.es import make_client  # noqa: E402
from indexer.index import lifecycle, mapping, raw_store, reindex  # noqa: E402
from indexer.index.bulk import BulkOptions  # noqa: E402
from indexer.index.documents import from_page  # noqa: E402
from indexer.index.indexing import Registry, index_pages  # noqa: E402
from indexer.index.names import IndexNames  # noqa: E402
from indexer.index.raw_store import RawPage  # noqa: E402

CATEGORIES = ("News", "Politics", "Economy", "Culture", "Science", "Sport", "Opinion")
T0 = datetime(2012, 1, 1, tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # A plain `kill` must still run the clean-up below, like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    base = config.load()
    client = make_client(base.es, timeout=120)
    prefix = f"bench-{uuid.uuid4().hex[:10]}"
    samples = [s for name in datasets.SETS for s in datasets.load(name)]
    pages = _pages([s.gold for s in samples], args.docs, args.max_chars)
    report: dict[str, Any] = {"docs": len(pages), "rounds": args.rounds, "max_chars": args.max_chars,
                              "mean_content_chars": round(statistics.fmean(len(p["content"]) for p in pages)),
                              "chunk_docs": base.index.bulk_chunk_docs,
                              "chunk_bytes": base.index.bulk_chunk_bytes}
    settings_of = [replaced(base, index_prefix=f"{prefix}-{n}") for n in range(2 * args.rounds + 1)]
    try:
        report["indexing"] = _indexing(client, base, pages, settings_of[:-1], args.block)
        report["index_bytes_per_doc"] = _index_bytes_per_doc(client, settings_of[0])
        report["migrate"] = _migrate(client, settings_of[0])
        report["raw_store"] = _raw_store(client, settings_of[-1], [s.html for s in samples])
    finally:
        _cleanup(client, settings_of)
    print(json.dumps(report, indent=2))
    if not args.no_write:
        write_results("index", report)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000, help="documents per indexing run")
    parser.add_argument("--rounds", type=int, default=1, help="passes of both paths over all documents")
    parser.add_argument("--block", type=int, default=1000, help="documents per alternating block")
    # Short documents are the harder test of the ratio: Elasticsearch's share of the work
    # shrinks and the client's per-document bookkeeping shows more.
    parser.add_argument("--max-chars", type=int, default=2000, help="cut each document's text here")
    parser.add_argument("--no-write", action="store_true", help="do not write results JSON")
    return parser


def _pages(texts: list[str], count: int, max_chars: int) -> list[dict[str, Any]]:
    """``count`` page records, each of paragraphs drawn at random from the whole pool of gold
    texts, so that each text is its own as a site's articles are (shuffling one text's
    paragraphs made every document a near-copy of a dozen others), with facets drawn at random."""
    rng = random.Random(4)
    pool = [p for text in texts for p in text.split("\n") if len(p.split()) >= 8]
    pages = []
    for n in range(count):
        source = rng.sample(pool, 12)
        content = (f"Report {n}.\n" + "\n".join(source))[:max_chars]
        pages.append({
            "url": f"https://bench.example.org/{n // 1000}/article-{n}",
            "title": f"{source[0][:80]} ({n})", "content": content,
            "description": source[-1][:200], "categories": rng.sample(CATEGORIES, 2),
            "tags": [f"tag{rng.randrange(50)}"], "authors": [f"Author {rng.randrange(30)}"],
            "published": (T0 + timedelta(days=rng.randrange(3650))).date().isoformat(),
            "language": "en", "type": "article", "kind": "article", "site_name": "Bench",
            "content_hash": uuid.UUID(int=rng.getrandbits(128)).hex, "word_count": len(content.split()),
        })
    return pages


def _indexing(client: Elasticsearch, base: Settings, pages: list[dict[str, Any]],
              settings_of: list[Settings], block: int) -> dict[str, Any]:
    """Both paths index every page, each into its own fresh index, in blocks that alternate
    between them: on a shared machine, load that comes and goes then hits both alike."""
    from worker import redis_dbs

    options = BulkOptions.from_settings(base.index)
    spec = mapping.load("pages")
    store = redis_dbs.client(base.redis.url, redis_dbs.JOBS)
    registry = Registry(store, base.redis.namespace, base.index.prefix)
    seconds = {"pagesift": 0.0, "helpers_bulk": 0.0}
    complete = True
    for round_ in range(len(settings_of) // 2):
        targets = {path: IndexNames.from_settings(settings_of[2 * round_ + slot].index)
                   for slot, path in enumerate(seconds)}
        for names in targets.values():
            lifecycle.ensure_index(client, names, spec)
        for n, start in enumerate(range(0, len(pages), block)):
            chunk = pages[start:start + block]
            for path in sorted(seconds, reverse=(n + round_) % 2 == 1):
                started = time.perf_counter()
                if path == "pagesift":
                    outcome = index_pages(client, targets[path].write_alias, chunk, options,
                                          registry=registry)
                    # Every page written: indexed, or marked a duplicate (the corpus varies a
                    # thousand gold texts, so near-copies are many).
                    complete &= outcome.complete and outcome.total == len(chunk)
                else:
                    _bare_bulk(client, targets[path].write_alias, chunk, options)
                seconds[path] += time.perf_counter() - started
        for path, names in targets.items():
            client.indices.refresh(index=names.write_alias)
            assert client.count(index=names.read_alias)["count"] == len(pages), path
    total = len(pages) * (len(settings_of) // 2)
    rate = {path: total / spent for path, spent in seconds.items()}
    return {"pagesift_docs_per_s": round(rate["pagesift"]),
            "helpers_bulk_docs_per_s": round(rate["helpers_bulk"]),
            "ratio": round(rate["pagesift"] / rate["helpers_bulk"], 3), "every_page_accounted": complete,
            "block_docs": block, "seconds": {k: round(v, 1) for k, v in seconds.items()}}


def _bare_bulk(client: Elasticsearch, index: str, pages: list[dict[str, Any]], options: BulkOptions) -> None:
    # Conversion is part of both paths: the baseline gets the same documents, minus accounting.
    actions = ({"_index": index, "_id": d.id, "_source": d.source} for d in map(from_page, pages))
    bulk(client, actions, chunk_size=options.chunk_docs, max_chunk_bytes=options.chunk_bytes)


def _index_bytes_per_doc(client: Elasticsearch, settings: Settings) -> float:
    names = IndexNames.from_settings(settings.index)
    return _bytes_per_doc(client, names.read_alias)


def _bytes_per_doc(client: Elasticsearch, index: str) -> float:
    # Merging can outlast the usual timeout; measuring before it ends would count both copies.
    client.options(request_timeout=1800).indices.forcemerge(index=index, max_num_segments=1)
    client.indices.refresh(index=index)
    stats = client.indices.stats(index=index, metric="docs,store")["_all"]["primaries"]
    return round(stats["store"]["size_in_bytes"] / stats["docs"]["count"], 1)


def _migrate(client: Elasticsearch, settings: Settings) -> dict[str, Any]:
    from worker import redis_dbs

    redis = redis_dbs.client(settings.redis.url, redis_dbs.JOBS)
    started = time.perf_counter()
    result = reindex.migrate(client, redis, settings)
    elapsed = time.perf_counter() - started
    return {"docs": result.count, "seconds": round(elapsed, 2), "docs_per_s": round(result.count / elapsed),
            "swapped": result.swapped, "refused": result.refused}


def _raw_store(client: Elasticsearch, settings: Settings, paths: list[Path]) -> dict[str, Any]:
    names = IndexNames.from_settings(settings.index)
    raw_store.ensure(client, names)
    html = [p.read_bytes() for p in paths]
    raws = (RawPage(f"https://raw.example.org/{n}", body, T0, headers={"content-type": "text/html"})
            for n, body in enumerate(html))
    outcome = raw_store.put_many(client, names, raws, BulkOptions(chunk_docs=200))
    per_page = _bytes_per_doc(client, names.raw)
    mean_html = statistics.fmean(len(b) for b in html)
    return {"pages": outcome.indexed, "html_bytes_per_page": round(mean_html),
            "stored_bytes_per_page": per_page, "stored_share_of_html": round(per_page / mean_html, 3)}


def _cleanup(client: Elasticsearch, settings_of: list[Settings]) -> None:
    for settings in settings_of:
        names = IndexNames.from_settings(settings.index)
        lenient = client.options(ignore_status=404)
        for index in lenient.indices.get(index=f"{names.prefix}-*", expand_wildcards="all").body:
            lenient.indices.delete(index=index)
        client.options(ignore_status=404).indices.delete_index_template(name=names.template)


if __name__ == "__main__":
    sys.exit(main())
