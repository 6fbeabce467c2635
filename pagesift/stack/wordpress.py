"""A real WordPress on this machine: Debian's ``wordpress`` package, served by ``php -S``.

A site is a directory of its own under the home: a copy of WordPress's core (hard links to a
copy kept per WordPress version, so a new site costs milliseconds), a ``wp-config.php`` naming
its database on a private MariaDB (:mod:`pagesift.stack.mariadb`), and a ``wp-content`` whose
themes and translations are links to Debian's and whose plugins and uploads are its own.
Nothing under /etc or /usr is written, and every server listens on 127.0.0.1.

``php -S`` serves the tree with a router for pretty permalinks (``router.php``); each server
names the port the site answers on and the theme it shows, so the same posts can be read
through a block theme and a classic theme side by side. :meth:`WordPressSite.php` runs PHP
inside WordPress (its own API: ``wp_insert_post``, ``activate_plugin``, ...), which is how the
site is installed, filled and changed; there is no wp-cli in Debian.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pagesift.stack import mariadb
from pagesift.stack.process import Managed, PidFile, ServiceError, made_once, start_managed, stop_managed

CORE = Path("/usr/share/wordpress")
ASSETS = Path(__file__).resolve().parent / "wordpress_php"
INSTALL_HINT = ("apt-get install -y wordpress wordpress-l10n wordpress-theme-twentytwentythree "
                "php-cli php-mysql php-xml php-mbstring php-intl mariadb-server")
START_TIMEOUT = 20.0
# Requests served in parallel by one `php -S` (it forks this many workers): a crawl with a
# few concurrent fetches must not queue behind one slow render.
SERVER_WORKERS = 4
# What WordPress keeps per site; the rest of Debian's wp-content is shared through links.
_OWN_CONTENT = ("plugins", "mu-plugins", "uploads", "upgrade")
_SALTS = ("AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
          "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT")
_RESULT_MARK = "\n@@pagesift-result@@"


def free_port() -> int:
    """A port nothing listens on now (the kernel's choice), for a server started right after."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def php_binary() -> str:
    found = shutil.which("php")
    if found is None:
        raise ServiceError(f"php is not installed: {INSTALL_HINT}")
    return found


def wordpress_version(core: Path = CORE) -> str:
    try:
        text = (core / "wp-includes" / "version.php").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ServiceError(f"WordPress is not installed at {core}: {INSTALL_HINT}") from exc
    marker = "$wp_version = '"
    start = text.index(marker) + len(marker)
    return text[start:text.index("'", start)]


def _core_copy(home: Path) -> Path:
    """WordPress's core files (not wp-content, not Debian's wp-config.php, which reads /etc),
    copied once per version: sites link to this copy, never to the system's files."""
    def copy(directory: Path) -> None:
        for entry in CORE.iterdir():
            if entry.name in {"wp-content", "wp-config.php"}:
                continue
            if entry.is_dir():
                shutil.copytree(entry, directory / entry.name)
            else:
                shutil.copy2(entry, directory / entry.name)

    return made_once(home / "cache" / "wordpress" / f"core-{wordpress_version()}", copy)


def _link_tree(source: Path, destination: Path) -> None:
    """Hard links where the file system allows them (instant, no space), copies elsewhere."""
    def link(src: str, dst: str) -> object:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
        return dst

    shutil.copytree(source, destination, copy_function=link, dirs_exist_ok=True)


@dataclass(frozen=True)
class WordPressSite:
    """One WordPress: its tree under ``directory``, its database ``database`` on ``db``; ``port``
    is where its main server answers (its ``home_url``)."""

    home: Path
    directory: Path
    db: mariadb.LocalMariaDB
    database: str
    port: int

    def __post_init__(self) -> None:
        # The name goes into SQL and PHP as it is: letters, digits and underscores only.
        if not re.fullmatch(r"[A-Za-z0-9_]+", self.database):
            raise ValueError(f"not a database name pagesift makes: {self.database!r}")

    @property
    def base_url(self) -> str:
        return self.url_on(self.port)

    @staticmethod
    def url_on(port: int) -> str:
        return f"http://127.0.0.1:{port}"

    @property
    def plugins_dir(self) -> Path:
        return self.directory / "wp-content" / "plugins"

    def exists(self) -> bool:
        return (self.directory / "wp-config.php").is_file()

    # --- making the site -------------------------------------------------------------------

    def create(self) -> None:
        """The site's tree and an empty database (idempotent: an existing site is kept)."""
        if not self.exists():
            _link_tree(_core_copy(self.home), self.directory)
            self._content()
            self._config()
        self.db.sql(f"CREATE DATABASE IF NOT EXISTS `{self.database}` "
                    "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")

    def _content(self) -> None:
        content = self.directory / "wp-content"
        for name in _OWN_CONTENT:
            (content / name).mkdir(parents=True, exist_ok=True)
        shutil.copy2(ASSETS / "mu-plugins" / "pagesift-local-site.php", content / "mu-plugins")
        # Translations are read-only: Debian's directory serves every site.
        languages = content / "languages"
        if not languages.exists():
            languages.symlink_to(CORE / "wp-content" / "languages")
        (content / "themes").mkdir(exist_ok=True)
        for theme in sorted((CORE / "wp-content" / "themes").iterdir()):
            if theme.is_dir() and not (content / "themes" / theme.name).exists():
                (content / "themes" / theme.name).symlink_to(theme)
        shutil.copy2(ASSETS / "router.php", self.directory / "router.php")

    def _config(self) -> None:
        salts = "\n".join(f"define('{name}', '{secrets.token_hex(32)}');" for name in _SALTS)
        text = (ASSETS / "wp-config.php.in").read_text(encoding="utf-8")
        for key, value in {"@DB_NAME@": self.database, "@DB_HOST@": self.db.host,
                           "@PORT@": str(self.port),
                           "@SALTS@": salts}.items():
            text = text.replace(key, value)
        (self.directory / "wp-config.php").write_text(text, encoding="utf-8")

    def installed(self) -> bool:
        found = self.db.sql("SELECT COUNT(*) FROM information_schema.tables WHERE "  # noqa: S608 (checked name)
                            f"table_schema = '{self.database}' AND table_name = 'wp_options'")
        return found.strip() == "1"

    def install(self, title: str, *, locale: str = "", admin_password: str | None = None,
                theme: str = "twentytwentythree") -> str:
        """``wp_install``: tables, options, the admin user; pretty permalinks; ``theme``.
        WordPress's own first post, page and comment are removed, so a site holds only what its
        caller puts in. Returns the admin's password."""
        password = admin_password or secrets.token_urlsafe(16)
        script = (ASSETS / "install.php").read_text(encoding="utf-8")
        self.php(script, before_load="define('WP_INSTALLING', true);",
                 env={"PAGESIFT_WP_INSTALL": json.dumps({
                     "title": title, "locale": locale, "password": password, "theme": theme})})
        return password

    # --- running code inside WordPress -----------------------------------------------------

    def php(self, code: str, *, before_load: str = "", env: Mapping[str, str] | None = None,
            timeout: float = 300) -> str:
        """Run PHP statements (no ``<?php`` tag) after ``wp-load.php``: WordPress's whole API,
        as the site's main server sees it. Returns what they printed; a PHP error raises."""
        load = self.directory / "wp-load.php"
        script = (
            "<?php\n"
            f"$_SERVER['HTTP_HOST'] = '127.0.0.1:{self.port}';\n"
            "$_SERVER['SERVER_NAME'] = '127.0.0.1';\n"
            "$_SERVER['REQUEST_URI'] = '/';\n"
            "$_SERVER['REQUEST_METHOD'] = 'GET';\n"
            f"{before_load}\n"
            f"require_once {_php_string(str(load))};\n"
            f"{code}\n"
        )
        done = subprocess.run(
            [php_binary(), "-d", "display_errors=stderr", "-d", "log_errors=0", "-d", "memory_limit=512M"],
            input=script, capture_output=True, text=True, timeout=timeout, check=False,
            cwd=self.directory, env={**os.environ, "PAGESIFT_WP_PORT": str(self.port), **(env or {})})
        if done.returncode != 0 or "PHP Fatal error" in done.stderr:
            raise ServiceError(f"PHP in WordPress failed (exit {done.returncode}):\n"
                               f"{done.stderr[-3000:]}{done.stdout[-2000:]}")
        return done.stdout

    def php_json(self, body: str, **kwargs: Any) -> Any:
        """Run ``body`` as a PHP function's body; its return value, through JSON.
        ``site.php_json("return get_option('blogname');")``."""
        code = (f"$pagesift_result = (function () {{\n{body}\n}})();\n"
                f"echo {_php_string(_RESULT_MARK)} . wp_json_encode($pagesift_result);\n")
        out = self.php(code, **kwargs)
        if _RESULT_MARK not in out:
            raise ServiceError(f"PHP in WordPress printed no result:\n{out[-2000:]}")
        return json.loads(out.rsplit(_RESULT_MARK, 1)[1])

    def install_plugin(self, source: Path, *, activate: bool = True) -> str:
        """Link a plugin's directory (a directory of the repository) into wp-content/plugins and
        activate it with ``activate_plugin``. Returns the plugin's file as WordPress names it
        (``dir/main.php``). Linked, not copied: an edit of the source shows on the next request."""
        source = source.resolve()
        target = self.plugins_dir / source.name
        if target.is_symlink() or target.exists():
            if target.resolve() != source:
                raise ServiceError(f"another plugin is installed as {target}")
        else:
            target.symlink_to(source, target_is_directory=True)
        name = _php_string(source.name)
        found = self.php_json(
            "require_once ABSPATH . 'wp-admin/includes/plugin.php';\n"
            f"$mine = array_filter(array_keys(get_plugins()), fn($f) => strpos($f, {name} . '/') === 0);\n"
            "if (!$mine) { return array('error' => 'no plugin header found'); }\n"
            "$file = reset($mine);\n"
            f"$done = {'activate_plugin($file)' if activate else 'null'};\n"
            "$error = is_wp_error($done) ? $done->get_error_message() : null;\n"
            "return array('file' => $file, 'error' => $error);")
        if found.get("error"):
            raise ServiceError(f"plugin {source.name}: {found['error']}")
        return str(found["file"])

    def deactivate_plugin(self, name: str) -> None:
        """``deactivate_plugins``: the plugin's deactivation hook runs, its files stay."""
        self.php("require_once ABSPATH . 'wp-admin/includes/plugin.php';\n"
                 f"deactivate_plugins({_php_string(name)});")

    def install_theme(self, source: Path) -> str:
        """Link a theme's directory into wp-content/themes; its name (serve it with ``theme=``)."""
        target = self.directory / "wp-content" / "themes" / source.name
        if not (target.is_symlink() or target.exists()):
            target.symlink_to(source.resolve(), target_is_directory=True)
        return source.name

    def remove(self) -> None:
        """Drop the database and delete the tree (its servers must be stopped first)."""
        self.db.sql(f"DROP DATABASE IF EXISTS `{self.database}`")
        shutil.rmtree(self.directory, ignore_errors=True)


def _php_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass(frozen=True)
class WordPressServer:
    """``php -S`` serving ``site`` on ``port`` through ``theme`` (empty: the site's own)."""

    site: WordPressSite
    port: int
    theme: str = ""

    @property
    def base_url(self) -> str:
        return self.site.url_on(self.port)

    @property
    def log_path(self) -> Path:
        return self.site.home / "logs" / f"wordpress-{self.port}.log"

    @property
    def managed(self) -> Managed:
        return Managed("WordPress (php -S)", PidFile(_run_dir(self.site) / f"php-{self.port}.pid"),
                       self.log_path, self.port)

    def pid(self) -> int | None:
        return self.managed.pidfile.read()


def _run_dir(site: WordPressSite) -> Path:
    """Pid files of the site's servers, kept with the site so that they can be found from it."""
    return site.directory / "run"


def running_servers(site: WordPressSite) -> list[WordPressServer]:
    """The servers of ``site`` whose pid files name a live process (their themes unknown)."""
    found = []
    for pidfile in sorted(_run_dir(site).glob("php-*.pid")):
        server = WordPressServer(site, int(pidfile.stem.split("-", 1)[1]))
        if server.pid() is not None:
            found.append(server)
    return found


def server_argv(server: WordPressServer) -> list[str]:
    # OPcache: the workers share compiled scripts, a page renders in about half the time.
    return [php_binary(), "-d", "opcache.enable_cli=1", "-d", "display_errors=0", "-d", "log_errors=1",
            "-d", f"error_log={server.log_path}", "-d", "memory_limit=256M",
            "-S", f"127.0.0.1:{server.port}", "-t", str(server.site.directory),
            str(server.site.directory / "router.php")]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (a loopback URL we built)
            return bool(response.status < 500)
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except OSError:
        return False


def serve(site: WordPressSite, port: int | None = None, theme: str = "") -> WordPressServer:
    """Start (or find) a server for ``site``: on its own port by default, or on another one
    showing ``theme``."""
    server = WordPressServer(site, port or site.port, theme)
    env = {**os.environ, "PHP_CLI_SERVER_WORKERS": str(SERVER_WORKERS),
           "PAGESIFT_WP_PORT": str(server.port), "PAGESIFT_WP_THEME": theme}
    start_managed(server.managed, lambda: server_argv(server),
                  lambda: answers(server.base_url + "/wp-json/"), START_TIMEOUT, env=env, interval=0.1)
    return server


def stop(server: WordPressServer) -> bool:
    return stop_managed(server.managed, timeout=10)
