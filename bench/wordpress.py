"""Benchmark: a real WordPress read three ways, its sitemap crawled, its REST API, and pushed by
the plugin.

Starts the sample WordPress (Debian's WordPress on a private MariaDB, pagesift/stack/
wordpress_sample.py), then reads its English site (Twenty Twenty-Three) and its Persian site
by each route with the code the pipeline runs: the sitemap expanded (worker/expand.py) and
every listed URL fetched and cleaned; the REST API discovered, listed and read
(worker/wordpress_sync.py, one request per batch of posts as a batch task does) and each post
cleaned; the plugin's page for each post (integrations/wordpress/pagesift, its
``Pagesift_Document::page``, run inside WordPress) through the push API's checks and the pushed
page's path to the cleaner. The index and the queue are left out: they are the same for all.
The English site's post pages are also read through Twenty Twenty-Two and Twenty Twenty-One
(``theme:...``, each published post's page fetched and cleaned) for the facts each theme's
markup gives.

For each route: how many published posts were found, body shingle F1 against the posts' own
paragraphs (../shared/data/README.md's metric), the share of posts whose every fact (title,
categories, category paths, tags, author, published date, type, language) is exact, the share
whose category paths alone are (and, as the baseline, the share a reader without the hierarchy
would get right: each category as a top-level path), and the wall time.
Requests are not paced (the sample's host delay is 0): the time is the routes' own work.

    .venv/bin/python bench/wordpress.py [--posts 70] [--handbook] [--batch 5] [--themes ...]
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.common.output import write_results  # noqa: E402
from bench.common.shingles import score_page, summarise  # noqa: E402

OTHER_THEMES = ("twentytwentytwo", "twentytwentyone")
PLUGIN = REPO / "integrations" / "wordpress" / "pagesift"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=70, help="posts of the sample (both sites together)")
    parser.add_argument("--handbook", action="store_true",
                        help="the Debian handbook's prose (fetched once with apt), not WordPress's texts")
    parser.add_argument("--batch", type=int, default=5, help="posts per REST request (the ingest batch size)")
    parser.add_argument("--themes", nargs="*", default=list(OTHER_THEMES),
                        help="other themes to read the English site's post pages through")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    from indexer import config
    from pagesift.stack import wordpress_sample
    from samples.prose import load
    from samples.wordpress.text import catalog_prose

    settings = config.load()
    prose = load(settings.home) if args.handbook else catalog_prose()
    started = time.monotonic()
    sample = wordpress_sample.start(settings.home, f"bench-{uuid.uuid4().hex[:8]}", prose, posts=args.posts,
                                    ports=wordpress_sample.Ports.free())
    report: dict[str, Any] = {"posts": args.posts, "prose": prose.source, "batch": args.batch,
                              "setup_seconds": round(time.monotonic() - started, 1), "sites": {}}
    try:
        fetcher = _fetcher(settings, [s.site.port for s in sample.sites.values()])
        for language, filled in sample.sites.items():
            report["sites"][language] = {
                "crawl": _crawl(fetcher, filled, settings),
                "rest_api": _rest(fetcher, filled, args.batch),
                "push": _push(filled),
            }
        for theme in args.themes:
            server = sample.serve_theme("en", theme)
            fetcher = _fetcher(settings, [server.port])
            report["sites"]["en"][f"theme:{theme}"] = _theme(fetcher, sample.sites["en"], server.base_url)
    finally:
        sample.remove()
    _print(report)
    if not args.no_write:
        write_results("wordpress", report)
    return 0


def _fetcher(settings: Any, ports: list[int]) -> Any:
    from worker.fetch import Fetcher

    fetch = replace(settings.fetch, allowlist=tuple(f"127.0.0.1:{p}" for p in ports),
                    host_delays=tuple(f"127.0.0.1:{p}=0" for p in ports))
    import redis

    client = redis.Redis.from_url(settings.redis.url)
    return Fetcher(fetch, f"bench-wordpress-{uuid.uuid4().hex[:6]}", client)


def _crawl(fetcher: Any, filled: Any, settings: Any) -> dict[str, Any]:
    """The sitemap expanded and every URL fetched and cleaned, as a crawl does."""
    from indexer.clean import CleanError, clean
    from worker import expand
    from worker.fetch import FetchError
    from worker.sources import PageRef, Source

    started = time.monotonic()
    source = Source("url", filled.base_url + "/wp-sitemap.xml")
    refs = [r for r in expand.refs(source, fetcher, None, settings.fetch.max_bytes) if isinstance(r, PageRef)]
    pages: dict[str, Any] = {}
    outcomes: Counter[str] = Counter()
    for ref in refs:
        try:
            answer = fetcher.fetch(ref.url)
            page = clean(answer.body, url=answer.final_url, headers=answer.headers)
        except (FetchError, CleanError) as exc:
            outcomes[type(exc).__name__] += 1
            continue
        outcomes[page.kind] += 1
        if page.kind == "article":
            pages[ref.url] = page.to_dict()
    return _score(filled, pages, time.monotonic() - started, len(refs), outcomes, dated=False)


def _rest(fetcher: Any, filled: Any, batch: int) -> dict[str, Any]:
    """The REST API discovered and listed, posts read a batch a request, each cleaned."""
    from indexer.clean import clean
    from indexer.clean.metadata.model import supplied
    from worker import wordpress_sync
    from worker.fetch.errors import Gone
    from worker.sources import wordpress

    fetcher = _Counting(fetcher)
    started = time.monotonic()
    fetch = wordpress_sync.fetch_with(fetcher, filled.base_url + "/")
    site = wordpress.discover(fetch, filled.base_url + "/")
    refs = list(wordpress_sync.refs(site, fetch, {}))
    sites = _MemorySites(site)
    pages: dict[str, Any] = {}
    outcomes: Counter[str] = Counter()
    now = datetime.now(UTC)
    for start in range(0, len(refs), batch):
        chunk = refs[start:start + batch]
        posts = wordpress_sync.Posts(fetcher, sites, chunk)  # type: ignore[arg-type]
        for ref in chunk:
            try:
                raw = posts.raw(ref, now)
            except Gone as exc:
                outcomes[type(exc).__name__] += 1
                continue
            # What the pipeline's preparing does with a raw page: its stated facts trusted.
            stated = supplied(raw.supplied) if raw.supplied else None
            page = clean(raw.html, url=raw.url, headers=raw.headers, supplied=stated)
            outcomes[page.kind] += 1
            pages[ref.url] = page.to_dict()
    scored = _score(filled, pages, time.monotonic() - started, len(refs), outcomes, dated=True)
    return {**scored, "requests": dict(fetcher.requests),
            "request_seconds": {k: round(v, 2) for k, v in fetcher.seconds.items()}}


class _Counting:
    """The fetcher, counting requests and their time: the category tree's apart."""

    def __init__(self, fetcher: Any) -> None:
        self.fetcher = fetcher
        self.requests: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()

    def fetch(self, url: str, **options: Any) -> Any:
        kind = "categories" if "/wp/v2/categories" in url else "other"
        started = time.monotonic()
        try:
            return self.fetcher.fetch(url, **options)
        finally:
            self.requests[kind] += 1
            self.seconds[kind] += time.monotonic() - started


def _push(filled: Any) -> dict[str, Any]:
    """The plugin's page of every published post, checked as the push API checks it and cleaned
    as a pushed page is (its facts stated)."""
    from indexer.clean import clean
    from indexer.clean.metadata.model import supplied
    from web.admin_api.body import parse_page
    from worker.sources import pushed

    filled.site.install_plugin(PLUGIN)
    started = time.monotonic()
    ids = sorted(filled.post_id(p.key) for p in filled.content.posts if p.searchable)
    made = filled.site.php_json(
        f"$out = array(); foreach (array({', '.join(map(str, ids))}) as $id) {{"
        " $post = get_post($id); $out[Pagesift_Document::url($post)] = Pagesift_Document::page($post); }"
        " return $out;")
    pages: dict[str, Any] = {}
    outcomes: Counter[str] = Counter()
    for url, page in made.items():
        state = pushed.published(url, parse_page(page))
        cleaned = clean(state.html.encode("utf-8"), url=url, supplied=supplied(state.supplied))
        outcomes[cleaned.kind] += 1
        pages[url] = cleaned.to_dict()
    return _score(filled, pages, time.monotonic() - started, len(ids), outcomes, dated=True)


def _theme(fetcher: Any, filled: Any, base_url: str) -> dict[str, Any]:
    """Each published post's page as another theme renders it, fetched and cleaned."""
    from indexer.clean import clean

    started = time.monotonic()
    pages: dict[str, Any] = {}
    outcomes: Counter[str] = Counter()
    for post in (p for p in filled.content.posts if p.searchable):
        url = filled.link(post.key)
        answer = fetcher.fetch(url.replace(filled.base_url, base_url))
        page = clean(answer.body, url=answer.final_url, headers=answer.headers)
        outcomes[page.kind] += 1
        pages[url] = page.to_dict()
    return _score(filled, pages, time.monotonic() - started, len(pages), outcomes, dated=False)


class _MemorySites:
    def __init__(self, site: Any) -> None:
        self.site = site

    def get(self, api: str) -> Any:
        return self.site

    def put(self, site: Any) -> None:
        self.site = site


def _score(filled: Any, pages: dict[str, Any], seconds: float, listed: int, outcomes: Counter[str],
           *, dated: bool) -> dict[str, Any]:
    from indexer import category_paths
    from samples.wordpress.expected import expected_paths, markup_paths, mismatches

    expected = {filled.link(p.key): p for p in filled.content.posts if p.searchable}
    found = [url for url in expected if url in pages]
    wrong: Counter[str] = Counter()
    exact = flat_exact = by_rule = 0
    nested = sum(any(len(filled.content.category_path(c)) > 1 for c in expected[url].categories)
                 for url in found)
    for url in found:
        fields = mismatches(pages[url], expected[url], filled.content, dated=dated)
        wrong.update(fields.keys())
        exact += not fields
        found_paths = sorted(pages[url].get("category_paths") or [])
        by_rule += found_paths == markup_paths(expected[url], filled.content)
        flat = sorted(category_paths.expand((c,) for c in pages[url].get("categories") or []))
        flat_exact += flat == expected_paths(expected[url], filled.content)
    body = summarise([score_page(pages[url]["content"], "\n\n".join(expected[url].paragraphs))
                      for url in found])
    return {"listed": listed, "published": len(expected), "found": len(found),
            "extra_articles": sorted(set(pages) - set(expected)), "outcomes": dict(outcomes),
            "body_f1": round(body.f1, 4), "body_precision": round(body.precision, 4),
            "body_recall": round(body.recall, 4), "facts_exact": round(exact / max(len(found), 1), 4),
            "posts_in_nested_categories": nested,
            "paths_exact": round(1 - wrong["category_paths"] / max(len(found), 1), 4),
            "paths_exact_flat_baseline": round(flat_exact / max(len(found), 1), 4),
            # What a theme's page can say: ancestors it never links named by their slugs.
            "paths_as_markup_can_say": round(by_rule / max(len(found), 1), 4),
            "wrong_fields": dict(wrong), "seconds": round(seconds, 2),
            "pages_per_second": round(len(found) / seconds, 1) if seconds else None}


def _print(report: dict[str, Any]) -> None:
    print(f"sample: {report['posts']} posts ({report['prose']}), set up in {report['setup_seconds']} s")
    print(f"{'site':<5}{'route':<24}{'found':>12}{'body F1':>9}{'P':>7}{'R':>7}{'facts exact':>13}"
          f"{'paths exact (flat)':>20}{'time s':>8}  wrong fields / outcomes")
    for language, routes in report["sites"].items():
        for route, r in routes.items():
            paths = f"{r['paths_exact']:.1%} ({r['paths_exact_flat_baseline']:.1%})"
            print(f"{language:<5}{route:<24}{r['found']:>5}/{r['published']:<6}{r['body_f1']:>9.4f}"
                  f"{r['body_precision']:>7.3f}{r['body_recall']:>7.3f}{r['facts_exact']:>13.1%}"
                  f"{paths:>20}{r['seconds']:>8.1f}  {r['wrong_fields'] or '-'} {r['outcomes']}")


if __name__ == "__main__":
    sys.exit(main())
