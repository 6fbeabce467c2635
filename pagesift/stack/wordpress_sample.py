"""A sample WordPress, filled: an English site and a Persian one (``fa_IR``) on one private
MariaDB, each served by ``php -S``, holding what :mod:`samples.wordpress.plan` decides.

Used by ``pagesift sample wordpress`` (people trying pagesift on a real WordPress) and by the
test suite's ``wordpress`` fixture. A filled site is kept: starting it again only starts the
servers.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pagesift.stack import mariadb
from pagesift.stack import wordpress as wp
from pagesift.stack.process import ServiceError
from samples import wordpress as sample_wordpress
from samples.prose import Prose
from samples.wordpress.plan import SiteContent, plan_wordpress

POPULATE = Path(sample_wordpress.__file__).resolve().parent / "populate.php"
LANGUAGES = ("en", "fa")
MANIFEST = "pagesift-content.json"


@dataclass(frozen=True)
class Ports:
    db: int
    sites: dict[str, int]

    @classmethod
    def free(cls) -> Ports:
        return cls(wp.free_port(), {language: wp.free_port() for language in LANGUAGES})


@dataclass
class FilledSite:
    """A site, what was planned for it and what WordPress made of it (ids, links)."""

    site: wp.WordPressSite
    content: SiteContent
    made: dict[str, Any]
    server: wp.WordPressServer | None = None

    @property
    def base_url(self) -> str:
        return self.site.base_url

    def post_id(self, key: str) -> int:
        return int(self.made["posts"][key]["id"])

    def link(self, key: str) -> str:
        return str(self.made["posts"][key]["link"])


@dataclass
class SampleWordPress:
    directory: Path
    db: mariadb.LocalMariaDB
    sites: dict[str, FilledSite] = field(default_factory=dict)
    # Servers started later for other themes (see serve_theme), stopped with the rest.
    extra_servers: list[wp.WordPressServer] = field(default_factory=list)

    def serve_theme(self, language: str, theme: str, port: int | None = None) -> wp.WordPressServer:
        """The site seen through ``theme`` on a port of its own (same posts, same database)."""
        for server in self.extra_servers:
            if server.site == self.sites[language].site and server.theme == theme:
                return server
        server = wp.serve(self.sites[language].site, port or wp.free_port(), theme)
        self.extra_servers.append(server)
        return server

    def stop(self) -> None:
        servers = [*self.extra_servers, *(s.server for s in self.sites.values() if s.server)]
        for server in servers:
            wp.stop(server)
        self.extra_servers.clear()
        mariadb.stop(self.db)

    def remove(self) -> None:
        """Stop everything and delete the sites' files and database."""
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


def existing(home: Path, name: str, ports: Ports) -> SampleWordPress:
    """The sample ``name`` as ``start`` made it, to stop or remove (nothing is started)."""
    directory = home / "wordpress" / name
    sample = SampleWordPress(directory, mariadb.LocalMariaDB(home, directory / "db", ports.db))
    for language in LANGUAGES:
        site = wp.WordPressSite(home, directory / language, sample.db, f"wp_{language}",
                                ports.sites[language])
        sample.extra_servers.extend(wp.running_servers(site))
    return sample


def start(home: Path, name: str, prose: Prose, *, posts: int, seed: int = 1, ports: Ports,
          progress: Any = None) -> SampleWordPress:
    """Start (creating and filling the first time) the sample named ``name`` under the home."""
    say = progress or (lambda message: None)
    directory = home / "wordpress" / name
    db = mariadb.LocalMariaDB(home, directory / "db", ports.db)
    sample = SampleWordPress(directory, db)
    mariadb.start(db)
    try:
        sites = {language: wp.WordPressSite(home, directory / language, db, f"wp_{language}",
                                            ports.sites[language]) for language in LANGUAGES}
        manifests = {}
        for language, site in sites.items():
            site.create()
            manifests[language] = _manifest(site, posts, seed)
        empty = [language for language, made in manifests.items() if made is None]
        if empty:
            plans = plan_wordpress(prose.sections, posts=posts, seed=seed, now=datetime.now(UTC))
            started = time.monotonic()
            # The sites fill in parallel: most of the time is PHP's, one process per site.
            with ThreadPoolExecutor(len(empty)) as pool:
                filled = pool.map(lambda lang: fill(sites[lang], plans[lang], posts=posts, seed=seed), empty)
                manifests.update(zip(empty, filled, strict=True))
            say(f"{', '.join(empty)}: {sum(len(plans[lang].posts) for lang in empty)} posts and pages "
                f"written in {time.monotonic() - started:.1f}s")
        for language, site in sites.items():
            made = manifests[language]
            assert made is not None
            content = SiteContent.from_json(json.dumps(made["content"]))
            sample.sites[language] = FilledSite(site, content, made["made"], wp.serve(site))
    except BaseException:
        sample.stop()
        raise
    return sample


def fill(site: wp.WordPressSite, content: SiteContent, *, posts: int, seed: int) -> dict[str, Any]:
    """Install the site and write ``content`` into it; the manifest kept beside it."""
    site.install(content.title, locale=content.locale)
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as handle:
        handle.write(content.to_json())
        handle.flush()
        out = site.php(POPULATE.read_text(encoding="utf-8"), env={"PAGESIFT_WP_CONTENT": handle.name})
    try:
        made = json.loads(out[out.index("{"):])
    except ValueError as exc:
        raise ServiceError(f"populating {site.base_url} printed no result:\n{out[-2000:]}") from exc
    manifest = {"posts": posts, "seed": seed, "content": json.loads(content.to_json()), "made": made}
    (site.directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return manifest


def _manifest(site: wp.WordPressSite, posts: int, seed: int) -> dict[str, Any] | None:
    """The kept manifest of a filled site; None when the site is empty. A site filled with
    another plan is an error: the caller asked for something else than what is there."""
    path = site.directory / MANIFEST
    if not path.is_file() or not site.installed():
        return None
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if (manifest["posts"], manifest["seed"]) != (posts, seed):
        raise ServiceError(f"{site.directory} holds {manifest['posts']} posts (seed {manifest['seed']}); "
                           "remove it first (pagesift sample wordpress --remove)")
    return manifest
