"""The benchmark corpus (`pagesift sample corpus`, :mod:`samples.corpus`) put into an index
under its own prefix, and optionally into the raw store as article HTML, so a ``reclean``
has pages to clean. Documents go in through pagesift's indexing path; nothing is cleaned."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from elasticsearch import Elasticsearch

from indexer import config
from indexer.config import Settings
from indexer.index import lifecycle, mapping, raw_store
from indexer.index.bulk import BulkOptions, BulkReport, index_documents
from indexer.index.indexing import index_pages
from indexer.index.names import IndexNames
from indexer.index.raw_store import RawPage

# Searches that find something in the corpus's prose (the Debian handbook), and everyday news
# words for other corpora (bench/search_corpus.py's), with phrases, exclusions and Persian.
QUERIES = ("debian", "package", "network configuration", "kernel", "apt", "security updates", "installation",
           "server", "mail", "firewall", '"package manager"', "backup -tape", "printer", "user accounts",
           "bootloader", "ssh", "dns", "web server", "samba", "virtualization", "شبکه", "سرور",
           "government", "health care", "market", "water", "school", "energy -oil", "police", "music",
           "election", "climate change", '"prime minister"', "شورای شهر")


def documents(settings: Settings, count: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    from samples import corpus, prose

    # The prose is parsed once per home; the default home's copy serves the test home too.
    for home in (settings.home, config.load(env={}).home):
        if (prose.cache_dir(home) / f"{prose.PACKAGE}.json").exists():
            return corpus.documents(prose.load(home).sections, count, seed=seed)
    return corpus.documents(prose.load(settings.home).sections, count, seed=seed)


def article_html(doc: dict[str, Any]) -> bytes:
    """A plain article page carrying the document's fields where the cleaner looks for them."""
    e = html.escape
    meta = "".join(f'<meta property="article:section" content="{e(c)}">' for c in doc["categories"])
    meta += "".join(f'<meta property="article:tag" content="{e(t)}">' for t in doc["tags"])
    body = "".join(f"<p>{e(p)}</p>" for p in doc["content"].split("\n\n"))
    return (f'<!DOCTYPE html><html lang="{doc["language"]}"><head><meta charset="utf-8">'
            f'<title>{e(doc["title"])}</title><link rel="canonical" href="{e(doc["url"])}">'
            f'<meta property="og:type" content="article">'
            f'<meta name="author" content="{e(doc["authors"][0])}">'
            f'<meta property="article:published_time" content="{doc["published"]}">{meta}</head>'
            f'<body><article><h1 class="entry-title">{e(doc["title"])}</h1>'
            f'<div class="entry-content">{body}</div></article></body></html>').encode()


def load(es: Elasticsearch, settings: Settings, count: int, *, raw: bool = False) -> BulkReport:
    """Index ``count`` corpus documents (and their pages into the raw store when ``raw``),
    unless the index holds that many already; the index is refreshed at the end."""
    names = IndexNames.from_settings(settings.index)
    options = BulkOptions.from_settings(settings.index)
    current = lifecycle.current_index(es, names)
    if current and es.count(index=current)["count"] == count and (not raw or _raw_count(es, names) == count):
        return BulkReport()
    index = lifecycle.ensure_index(es, names, mapping.load())
    es.indices.put_settings(index=index, settings={"refresh_interval": "-1"})
    now = datetime.now(UTC)
    # With the raw store too, the documents are read twice: kept in memory once.
    docs = list(documents(settings, count)) if raw else None
    source = docs if docs is not None else documents(settings, count)
    report = index_pages(es, names.write_alias, source, options, ingested_at=now).bulk
    if docs is not None:
        raw_store.ensure(es, names)
        pages = (raw_store.to_document(RawPage(d["url"], article_html(d), now, 200,
                                               {"content-type": "text/html; charset=utf-8"}))
                 for d in docs)
        report.merge(index_documents(es, names.raw, pages, options))
    es.indices.put_settings(index=index, settings={"refresh_interval": None})
    es.indices.refresh(index=f"{names.read_alias},{names.raw}" if raw else names.read_alias)
    return report


def _raw_count(es: Elasticsearch, names: IndexNames) -> int:
    answer = es.options(ignore_status=404).count(index=names.raw)
    return int(answer.body.get("count", 0))


def drop(es: Elasticsearch, settings: Settings) -> None:
    """Delete everything under the prefix (indices of the read alias, raw store, template)."""
    names = IndexNames.from_settings(settings.index)
    found = es.options(ignore_status=404).indices.get(index=f"{settings.index.prefix}*",
                                                      expand_wildcards="all")
    for name in found.body:
        if name not in {"error", "status"}:
            es.options(ignore_status=404).indices.delete(index=name)
    es.options(ignore_status=404).indices.delete_index_template(name=names.template)
