"""The plugin on the test WordPress (tests/conftest.py's `wordpress`), talking to a real
pagesift: Elasticsearch and Redis of the test services, a real Celery worker and the web app
under gunicorn on a port of its own, on a namespace and index prefix of their own.

The plugin is activated on the shared English site for each test module and deactivated after
it, with its options and queue removed and the posts, users and terms the module made deleted.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.processes import stop_group, wait_for
from tests.worker import conftest as worker_tests

TESTS = Path(__file__).resolve().parents[2]
REPO = TESTS.parent
PLUGIN = REPO / "integrations" / "wordpress" / "pagesift"
TOKEN = "wordpress-plugin-test-token-0123456789"




def get(url: str, timeout: float = 30) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except OSError as exc:  # refused, reset, timed out: nobody answered
        return 0, str(exc)


class WebApp:
    """pagesift's web app under gunicorn, stoppable and startable again on the same port."""

    def __init__(self, settings: Any, log: Path) -> None:
        from pagesift.stack.worker import settings_env

        self.settings, self.log = settings, log
        self.env = settings_env(settings)
        self.port = settings.web.port
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> None:
        from pagesift.stack.web import gunicorn_argv

        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(gunicorn_argv("127.0.0.1", self.port, 1), env=self.env, cwd=REPO,
                                         stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while get(f"{self.url}/healthz", timeout=2)[0] not in (200, 503):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"web app did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        stop_group(self.proc)

    def search(self, **params: Any) -> dict[str, Any]:
        status, body = get(f"{self.url}/api/search?{urllib.parse.urlencode(params, doseq=True)}", timeout=10)
        assert status == 200, body
        return dict(json.loads(body))


@dataclass
class Stack:
    site: Any  # the WordPress site (pagesift.stack.wordpress.WordPressSite)
    base_url: str
    web: WebApp
    settings: Any

    def php_json(self, body: str) -> Any:
        return self.site.php_json(body)

    def php(self, code: str) -> str:
        return str(self.site.php(code))

    def wait_for(self, check: Any, timeout: float = 10.0) -> float:
        """Seconds until ``check()`` is true (asked every 50 ms); AssertionError after ``timeout``."""
        return wait_for(check, timeout, "the index to show the change", interval=0.05)

    def hits(self, q: str, **filters: Any) -> list[dict[str, Any]]:
        return list(self.web.search(q=q, size=50, mode="lexical", **filters)["hits"])


# Posts, users and terms with ids above those the site had: deleted for good.
_REMOVE_ADDED = """
require_once ABSPATH . 'wp-admin/includes/user.php';
global $wpdb;
foreach ($wpdb->get_col("SELECT ID FROM $wpdb->posts WHERE ID > {0}") as $id) {{
    wp_delete_post((int) $id, true);
}}
foreach ($wpdb->get_col("SELECT ID FROM $wpdb->users WHERE ID > {1}") as $id) {{
    wp_delete_user((int) $id);
}}
foreach ($wpdb->get_results("SELECT t.term_id, x.taxonomy FROM $wpdb->terms t
         JOIN $wpdb->term_taxonomy x ON x.term_id = t.term_id WHERE t.term_id > {2}") as $term) {{
    wp_delete_term((int) $term->term_id, $term->taxonomy);
}}
return (int) $wpdb->get_var("SELECT COUNT(*) FROM $wpdb->posts WHERE ID > {0}");
"""


@pytest.fixture(scope="session")
def services(wordpress, tmp_path_factory) -> Iterator[tuple[Any, WebApp]]:  # type: ignore[no-untyped-def]
    """A worker and the web app, for the session (the modules that use them share them)."""
    from web.admin.auth import hash_token

    namespace = f"test-wp-{uuid.uuid4().hex[:8]}"
    settings = worker_tests.make_settings(
        namespace, [], admin_token_hash=hash_token(TOKEN), cors_origins=(wordpress.sites["en"].base_url,),
        web_port=worker_tests.free_port(), worker_concurrency=2,
        # The tests poll the search many times a second, all from one address.
        web_rate_limit="100000/minute", suggest_rate_limit="100000/minute")
    logs = tmp_path_factory.mktemp("wordpress-plugin")
    worker = worker_tests.Worker(settings, logs / "worker.log").start()
    web = WebApp(settings, logs / "web.log")
    try:
        web.start()
        yield settings, web
    finally:
        web.stop()
        worker.stop()
        worker_tests.cleanup(settings)


@pytest.fixture(scope="module")
def stack(wordpress, services) -> Iterator[Stack]:  # type: ignore[no-untyped-def]
    """The plugin active and configured on the English site for one test module; after it, the
    plugin deactivated and uninstalled, and what the module added (posts, pages, users, terms)
    deleted: other tests compare the site with its plan (the REST API's and sitemaps' lists)."""
    settings, web = services
    en = wordpress.sites["en"]
    before = en.site.php_json("global $wpdb; return array("
                              "(int) $wpdb->get_var(\"SELECT MAX(ID) FROM $wpdb->posts\"),"
                              "(int) $wpdb->get_var(\"SELECT MAX(ID) FROM $wpdb->users\"),"
                              "(int) $wpdb->get_var(\"SELECT MAX(term_id) FROM $wpdb->terms\"));")
    en.site.install_plugin(PLUGIN)
    en.site.php(f"update_option('pagesift_settings', array('url' => '{web.url}', 'token' => '{TOKEN}', "
                "'search' => true, 'live_size' => 6));")
    try:
        yield Stack(en.site, en.base_url, web, settings)
    finally:
        en.site.php("delete_option('pagesift_settings');")
        en.site.deactivate_plugin("pagesift/pagesift.php")
        left = en.site.php_json(_REMOVE_ADDED.format(*before))
        assert left == 0, f"{left} posts the plugin's tests made are still there"
        en.site.php(f"define('WP_UNINSTALL_PLUGIN', true); require {str(PLUGIN / 'uninstall.php')!r};")
