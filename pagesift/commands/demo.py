"""`pagesift demo`: the whole product on the sample site, through the real pipeline.

It is a script of the other commands: start the stack, build and serve the sample site on its
own port, ingest its sitemap through the fetcher and the workers, then print where to look.
Run again, it skips unchanged pages and changes nothing.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path
from typing import Any

DEFAULT_SITE_PORT = 8070

QUERIES = (
    ("a word, stemmed", "?q=firewalls"),
    ("a phrase, exact matches only", "?q=%22package+management%22&exact=1"),
    ("a typo: did you mean", "?q=firewal+configuraton"),
    ("title only, newest first", "?q=debian&in=title&sort=newest"),
    ("a category and a year", "?category=Human+Rights&year=2020"),
    ("Persian, right to left", "?language=fa"),
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("demo", help="start the stack and ingest the sample site (make demo)")
    parser.add_argument("--site-port", type=int, default=DEFAULT_SITE_PORT,
                        help=f"port of the sample site (default {DEFAULT_SITE_PORT})")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from indexer import config
    from pagesift.cli import main

    site = f"127.0.0.1:{args.site_port}"
    password = _admit_demo_settings(config.load().home, site)
    # Web and worker read their settings when they start: restart them so the demo's apply.
    main(["down", "--only", "web", "--only", "worker"])
    steps = (
        ["up"],
        ["sample", "build", "--base-url", f"http://{site}"],
        ["sample", "serve", "--background", "--port", str(args.site_port)],
    )
    for step in steps:
        if main(step) != 0:
            print(f"pagesift demo: `pagesift {' '.join(step)}` failed (see above)", file=sys.stderr)
            return 1
    # The sample site holds a few broken pages on purpose: their failures are the expected ones.
    status = main(["ingest", f"http://{site}/sitemap.xml", "--wait"])
    if status == 2:
        print("pagesift demo: the ingest job could not run (see above)", file=sys.stderr)
        return 1
    _print_tour(config.load(), password)
    return 0


def _admit_demo_settings(home: Path, site: str) -> str | None:
    """Let the fetcher reach the local sample site at full speed (the SSRF guard stays on for
    every other address) and give the console a password unless one is configured."""
    os.environ.setdefault("PAGESIFT_FETCH_ALLOWLIST", site)
    os.environ.setdefault("PAGESIFT_FETCH_HOST_DELAYS", f"{site}=0")
    os.environ.setdefault("PAGESIFT_WEB_IMAGE_SOURCES", f"http://{site}")
    if os.environ.get("PAGESIFT_ADMIN_PASSWORD_HASH"):
        return None
    from werkzeug.security import generate_password_hash

    secret_file = home / "demo-admin-password"
    if not secret_file.exists():
        home.mkdir(parents=True, exist_ok=True)
        secret_file.write_text(secrets.token_urlsafe(12) + "\n")
        secret_file.chmod(0o600)
    password = secret_file.read_text().strip()
    os.environ["PAGESIFT_ADMIN_PASSWORD_HASH"] = generate_password_hash(password)
    return password


def _print_tour(settings: Any, password: str | None) -> None:
    base = f"http://{settings.web_host}:{settings.web_port}/"
    print(f"\nThe search page is up: {base}\nTry:")
    for what, query in QUERIES:
        print(f"  {what:<30} {base}{query}")
    print(f"JSON API: {base}api/search?q=kernel   autocomplete: {base}api/suggest?q=fire")
    console = f"{base}admin/"
    if password:
        print(f"Operator console: {console} (password: {password}, "
              f"kept in {settings.home}/demo-admin-password)")
    else:
        print(f"Operator console: {console}")
    print("Stop everything with: pagesift down && pagesift sample serve --stop")
