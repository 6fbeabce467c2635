"""Console fixtures: apps with an operator password and an API token, signed-in clients.

The real worker and the local test site come from the pipeline's own test kit
(tests/worker/conftest.py), loaded here by path because conftest modules are not importable
under importlib mode.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

PASSWORD = "correct horse battery staple"
TOKEN = "test-admin-token-0123456789abcdef"
ORIGIN = "http://localhost"

TESTS = Path(__file__).resolve().parents[2]


def _load(name: str, path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = sys.modules.setdefault(name, importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    return module


_worker_kit = _load("pagesift_worker_kit", TESTS / "worker" / "conftest.py")
_browser_kit = _load("pagesift_browser_kit", TESTS / "web" / "browser" / "conftest.py")
# Re-exported fixtures: the pipeline's real Celery worker helper and local site server, and
# the search page's screenshot-taking page (on the `browser` of tests/web/conftest.py).
kit = _worker_kit.kit
make_site = _worker_kit.make_site
page = _browser_kit.page
open_page = _browser_kit.open_page


def credentials() -> dict[str, str]:
    from web.admin import auth

    return {"admin_password_hash": auth.hash_password(PASSWORD), "admin_token_hash": auth.hash_token(TOKEN)}


_CREDENTIALS: dict[str, str] = {}


def make_admin_app(**overrides: Any) -> Flask:
    from web import create_app

    if not _CREDENTIALS:  # scrypt is slow on purpose: hash once per session
        _CREDENTIALS.update(credentials())
    return create_app({"TESTING": True, "RATELIMIT_ENABLED": False, "SECRET_KEY": "test-secret",
                       **_CREDENTIALS, **overrides})


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def sign_in(client: FlaskClient, password: str = PASSWORD) -> Any:
    token = csrf_token(client.get("/admin/sign-in").get_data(as_text=True))
    return client.post("/admin/sign-in", data={"secret": password, "csrf_token": token},
                       headers={"Origin": ORIGIN})


@pytest.fixture
def admin_app() -> Flask:
    return make_admin_app()


@pytest.fixture
def operator(admin_app: Flask) -> FlaskClient:
    """A client signed in as the operator."""
    client = admin_app.test_client()
    assert sign_in(client).status_code == 302
    return client


@pytest.fixture(scope="session")
def admin_kit() -> Any:
    import types

    return types.SimpleNamespace(make_app=make_admin_app, sign_in=sign_in, csrf_token=csrf_token,
                                 password=PASSWORD, token=TOKEN, origin=ORIGIN)
