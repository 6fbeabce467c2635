"""`pagesift sample build | serve | corpus`: the demo site and the benchmark corpus."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_PORT = 8070  # samples.site.DEFAULT_PORT, repeated so `--help` imports nothing heavy
# The sample WordPress: the English site, the Persian site on the next port, its MariaDB.
WORDPRESS_PORT = 8075
WORDPRESS_DB_PORT = 8077
WORDPRESS_NAME = "sample"


def register(subparsers: Any) -> None:
    sample = subparsers.add_parser("sample", help="build and serve the demo site; write the benchmark corpus")
    actions = sample.add_subparsers(dest="sample_command", metavar="ACTION", required=True)

    build = actions.add_parser("build", help="write the static sample site (prose from debian-handbook)")
    build.add_argument("--out", type=Path, help="output directory (default: <home>/samples/site)")
    build.add_argument("--articles", type=int, default=520, help="number of posts (default 520)")
    build.add_argument("--seed", type=int, default=1)
    build.add_argument("--base-url", default=f"http://127.0.0.1:{DEFAULT_PORT}",
                       help="absolute URL the site is served at (sitemap, canonical links)")
    build.set_defaults(func=run_build)

    serve = actions.add_parser("serve", help="serve the sample site on 127.0.0.1")
    serve.add_argument("--dir", type=Path, help="site directory (default: <home>/samples/site)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    mode = serve.add_mutually_exclusive_group()
    mode.add_argument("--background", action="store_true", help="run detached, with a pid file")
    mode.add_argument("--stop", action="store_true", help="stop the background server")
    serve.set_defaults(func=run_serve)

    wordpress = actions.add_parser(
        "wordpress", help="start a real WordPress (Debian's) filled with sample posts, English and Persian")
    wordpress.add_argument("--posts", type=int, default=520, help="number of posts (default 520)")
    wordpress.add_argument("--seed", type=int, default=1)
    wordpress.add_argument("--port", type=int, default=WORDPRESS_PORT,
                           help="the English site's port; the Persian site's is the next "
                                f"(default {WORDPRESS_PORT})")
    wordpress.add_argument("--db-port", type=int, default=WORDPRESS_DB_PORT,
                           help=f"the private MariaDB's port (default {WORDPRESS_DB_PORT})")
    wordpress.add_argument("--theme", action="append", default=[], metavar="THEME",
                           help="also serve the English site through THEME (e.g. twentytwentyone), on the "
                                "ports after the Persian site's; repeatable")
    wp_mode = wordpress.add_mutually_exclusive_group()
    wp_mode.add_argument("--stop", action="store_true", help="stop its servers and database (data kept)")
    wp_mode.add_argument("--remove", action="store_true", help="stop it and delete its sites and database")
    wordpress.set_defaults(func=run_wordpress)

    corpus = actions.add_parser("corpus", help="write the benchmark corpus as JSON Lines")
    corpus.add_argument("--out", type=Path, required=True)
    corpus.add_argument("--docs", type=int, default=100_000)
    corpus.add_argument("--seed", type=int, default=1)
    corpus.set_defaults(func=run_corpus)


def _home() -> Path:
    from indexer import config

    return config.load().home


def _prose() -> Any:
    from samples import prose

    try:
        return prose.load(_home())
    except prose.ProseUnavailable as exc:
        print(f"pagesift sample: {exc}", file=sys.stderr)
        return None


def run_build(args: argparse.Namespace) -> int:
    from samples import site

    if args.articles < 1:
        print("pagesift sample build: --articles must be at least 1", file=sys.stderr)
        return 2
    started = time.monotonic()
    text = _prose()
    if text is None:
        return 1
    out = args.out or site.site_dir(_home())
    report = site.build(out, text.sections, articles=args.articles, seed=args.seed,
                        base_url=args.base_url, source=text.source)
    print(f"site: {out} ({report.files} files, {report.written} written, {report.removed} removed) "
          f"in {time.monotonic() - started:.1f}s")
    for facet, counts in report.facets().items():
        print(f"  {facet:<9} {len(counts):>3} values: "
              + ", ".join(f"{value} ({n})" for value, n in counts.most_common(4)))
    return 0


def run_serve(args: argparse.Namespace) -> int:
    from pagesift.stack import sample_site
    from pagesift.stack.process import ServiceError
    from samples import serve, site

    home = _home()
    directory = args.dir or site.site_dir(home)
    if args.stop:
        stopped = sample_site.stop(home, args.port)
        print("sample site server " + ("stopped" if stopped else "was not running"))
        return 0
    built_for = site.read_manifest(directory).get("base_url")
    if built_for and built_for != f"http://127.0.0.1:{args.port}":
        print(f"warning: the site was built for {built_for}; its sitemap and canonical links point there",
              file=sys.stderr)
    try:
        if args.background:
            pid = sample_site.start(home, directory, args.port)
            print(f"sample site: http://127.0.0.1:{args.port}/ (pid {pid}, "
                  f"log {sample_site.log_path(home, args.port)})")
        else:
            serve.serve_forever(directory, args.port)
    except (FileNotFoundError, ServiceError, OSError) as exc:
        print(f"pagesift sample serve: {exc}", file=sys.stderr)
        return 1
    return 0


def run_wordpress(args: argparse.Namespace) -> int:
    from pagesift.stack import wordpress_sample
    from pagesift.stack.process import ServiceError

    home = _home()
    ports = wordpress_sample.Ports(args.db_port, {"en": args.port, "fa": args.port + 1})
    if args.stop or args.remove:
        sample = wordpress_sample.existing(home, WORDPRESS_NAME, ports)
        sample.remove() if args.remove else sample.stop()
        print("sample WordPress " + ("removed" if args.remove else "stopped"))
        return 0
    if args.posts < 1:
        print("pagesift sample wordpress: --posts must be at least 1", file=sys.stderr)
        return 2
    started = time.monotonic()
    text = _wordpress_prose()
    try:
        sample = wordpress_sample.start(home, WORDPRESS_NAME, text, posts=args.posts, seed=args.seed,
                                        ports=ports, progress=print)
        themed = [sample.serve_theme("en", theme, args.port + 2 + i) for i, theme in enumerate(args.theme)]
    except (ServiceError, OSError) as exc:
        print(f"pagesift sample wordpress: {exc}", file=sys.stderr)
        return 1
    print(f"sample WordPress up in {time.monotonic() - started:.1f}s "
          "(stop: pagesift sample wordpress --stop)")
    for language, filled in sample.sites.items():
        shown = sum(post.searchable for post in filled.content.posts)
        print(f"  {language}: {filled.base_url}/  ({shown} published posts and pages, "
              f"{len(filled.content.posts) - shown} unpublished; sitemap {filled.base_url}/wp-sitemap.xml)")
    for server in themed:
        print(f"  en through {server.theme}: {server.base_url}/")
    print(f"  try: pagesift ingest {sample.sites['en'].base_url}/wp-sitemap.xml --wait")
    return 0


def _wordpress_prose() -> Any:
    """The Debian handbook, as the static sample uses; WordPress's own help texts without it."""
    from samples.wordpress.text import catalog_prose

    text = _prose()
    if text is None:
        print("pagesift sample wordpress: using WordPress's help texts instead", file=sys.stderr)
        return catalog_prose()
    return text


def run_corpus(args: argparse.Namespace) -> int:
    from samples import corpus

    started = time.monotonic()
    text = _prose()
    if text is None:
        return 1
    written = corpus.write_file(args.out, corpus.documents(text.sections, args.docs, seed=args.seed))
    print(f"corpus: {written} documents in {args.out} ({time.monotonic() - started:.1f}s)")
    return 0
