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
from collections.abc import Callable
from dataclasses import dataclass
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


RULES_TEMPLATE = """\
# Per-site extraction rules (TOML), made by `pagesift demo` so the console's rules editor can
# save. The sample site needs none; uncomment to try one, then restart the workers and reclean.
# Format: indexer/clean/rules.py; docs/console.md (Rules).
#
# [sites."127.0.0.1"]
# drop = [".sharedaddy", "#comments"]    # removed before extraction
# title = "h1.entry-title"                # beats every metadata source
"""
SETTINGS_HEADER = """\
The demo's settings, written by `pagesift demo` (`make demo`); every pagesift command whose
home this is reads them, so `pagesift down` then `pagesift up` gives the same demo. The
environment beats a value here. Lines you add are kept when the demo runs again."""


@dataclass(frozen=True)
class Secrets:
    """The console password and the admin API token the demo made (None: configured by you)."""

    password: str | None
    token: str | None


def run(args: argparse.Namespace) -> int:
    from indexer import config
    from pagesift.cli import main

    site = f"127.0.0.1:{args.site_port}"
    secrets_made = write_demo_settings(config.load().home, site)
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
    # The sample site holds a few broken pages on purpose: the job finishes with those
    # failures (exit 3); only a job that could not run stops the demo.
    status = main(["ingest", f"http://{site}/sitemap.xml", "--wait"])
    if status == 2:
        print("pagesift demo: the ingest job could not run (see above)", file=sys.stderr)
        return 1
    _print_tour(config.load(), secrets_made)
    return 0


def demo_settings(home: Path, site: str) -> dict[str, str]:
    """What the demo needs besides the defaults: the fetcher may reach the local sample site,
    at full speed (the SSRF guard and the politeness delay stay on for every other host), the
    search page may show its plain-http thumbnails, and the rules editor has a file."""
    return {"PAGESIFT_FETCH_ALLOWLIST": site, "PAGESIFT_FETCH_HOST_DELAYS": f"{site}=0",
            "PAGESIFT_WEB_IMAGE_SOURCES": f"http://{site}",
            "PAGESIFT_RULES_FILE": str(home / "rules.toml")}


def write_demo_settings(home: Path, site: str) -> Secrets:
    """The demo's settings into ``<home>/pagesift.env``, which every command reads (so a
    later `pagesift up` has them too), with a rules file, a console password and an admin
    API token unless you configured your own in the environment."""
    from indexer.config import HOME_SETTINGS_FILE, read_env_file, update_env_file

    path = home / HOME_SETTINGS_FILE
    values = demo_settings(home, site)
    rules = Path(values["PAGESIFT_RULES_FILE"])
    if not rules.exists():
        rules.parent.mkdir(parents=True, exist_ok=True)
        rules.write_text(RULES_TEMPLATE, encoding="utf-8")
    kept = read_env_file(path)
    password = token = None
    if not os.environ.get("PAGESIFT_ADMIN_PASSWORD_HASH"):
        password = _secret(home / "demo-admin-password", lambda: secrets.token_urlsafe(12))
        values["PAGESIFT_ADMIN_PASSWORD_HASH"] = _password_hash(password, kept)
    if not os.environ.get("PAGESIFT_ADMIN_TOKEN_HASH"):
        from web.admin import auth

        token = _secret(home / "demo-admin-token", lambda: auth.new_token()[0])
        values["PAGESIFT_ADMIN_TOKEN_HASH"] = auth.hash_token(token)
    update_env_file(path, values, SETTINGS_HEADER)
    return Secrets(password, token)


def _secret(path: Path, make: Callable[[], str]) -> str:
    """A secret kept in an owner-only file of the home, made the first time."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(make() + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def _password_hash(password: str, kept: dict[str, str]) -> str:
    """The kept hash while it still matches the password: a new salt would change the hash,
    which signs every console session out."""
    from werkzeug.security import check_password_hash, generate_password_hash

    known = kept.get("PAGESIFT_ADMIN_PASSWORD_HASH", "")
    return known if known and check_password_hash(known, password) else generate_password_hash(password)


def _print_tour(settings: Any, made: Secrets) -> None:
    base = f"http://{settings.web.host}:{settings.web.port}/"
    print(f"\nThe search page is up: {base}\nTry:")
    for what, query in QUERIES:
        print(f"  {what:<30} {base}{query}")
    print(f"JSON API: {base}api/search?q=kernel   autocomplete: {base}api/suggest?q=fire")
    console = f"{base}admin/"
    if made.password:
        print(f"Operator console: {console} (password: {made.password}, "
              f"kept in {settings.home}/demo-admin-password)")
    else:
        print(f"Operator console: {console}")
    if made.token:
        print(f"Admin API token: {made.token} (kept in {settings.home}/demo-admin-token), e.g.\n"
              f"  curl -H 'Authorization: Bearer {made.token}' {base}api/admin/jobs")
    cli = _cli()
    print(f"The demo's settings: {settings.home}/pagesift.env (read again by `{cli} up`)")
    print(f"Stop everything with: {cli} down && {cli} sample serve --stop")


def _cli() -> str:
    """How to type this command here: `pagesift` when it is on PATH, else the path it was run
    by (.venv/bin/pagesift after `make demo`), so the printed commands work as they are."""
    import shutil

    if shutil.which("pagesift"):
        return "pagesift"
    ran = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    return os.path.relpath(ran) if ran is not None and ran.name == "pagesift" else "pagesift"
