"""Every console and admin API route refuses strangers; forms need a token and our origin."""

from __future__ import annotations

import re

import pytest
from flask import Flask

pytestmark = pytest.mark.unit

PROTECTED_PREFIXES = ("/admin", "/api/admin")
# The sign-in form itself is the one console page a stranger may open (and post to).
PUBLIC = {"admin.sign_in"}


def _url(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: f"x{m.group(1)}", rule)


def _protected_routes(app: Flask) -> list[tuple[str, str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PROTECTED_PREFIXES):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append((rule.endpoint, method, _url(rule.rule)))
    return routes


def _refused(response, method: str) -> bool:  # type: ignore[no-untyped-def]
    if response.status_code in (401, 403):
        return True
    return (method == "GET" and response.status_code == 302
            and response.location.startswith("/admin/sign-in"))


def test_the_walk_covers_the_console_and_the_api(admin_app: Flask) -> None:
    endpoints = {endpoint for endpoint, _, _ in _protected_routes(admin_app)}
    blueprints = {e.split(".")[0] for e in endpoints}
    assert blueprints == {"admin", "admin_api"}
    assert len(endpoints) >= 20


def test_every_admin_route_refuses_an_anonymous_request(admin_app: Flask, admin_kit) -> None:  # type: ignore[no-untyped-def]
    client = admin_app.test_client()
    checked = 0
    for endpoint, method, url in _protected_routes(admin_app):
        if endpoint in PUBLIC:
            continue
        # Same-origin, so that it is the missing sign-in that refuses, not the origin check.
        response = client.open(url, method=method, headers={"Origin": admin_kit.origin},
                               data={"secret": "x"})
        assert _refused(response, method), (endpoint, method, url, response.status_code)
        checked += 1
    assert checked >= 20


def test_a_wrong_password_or_token_does_not_sign_in(admin_app: Flask, admin_kit) -> None:  # type: ignore[no-untyped-def]
    client = admin_app.test_client()
    assert admin_kit.sign_in(client, "not the password").status_code == 401
    assert client.get("/admin/jobs").status_code == 302
    api = client.get("/api/admin/jobs", headers={"Authorization": "Bearer wrong-token"})
    assert api.status_code == 401
    assert api.headers["WWW-Authenticate"].startswith("Bearer")
    # The console's session is no key to the API: only the token is.
    assert admin_kit.sign_in(client).status_code == 302
    assert client.get("/api/admin/jobs").status_code == 401


def test_the_token_signs_in_too_and_next_stays_inside_the_console(admin_app: Flask, admin_kit) -> None:  # type: ignore[no-untyped-def]
    client = admin_app.test_client()
    page = client.get("/admin/sign-in?next=https://evil.example/")
    token = admin_kit.csrf_token(page.get_data(as_text=True))
    response = client.post("/admin/sign-in?next=https://evil.example/",
                           data={"secret": admin_kit.token, "csrf_token": token},
                           headers={"Origin": admin_kit.origin})
    assert response.status_code == 302
    assert response.location == "/admin/"


def test_session_cookie_is_httponly_and_samesite_strict(admin_app: Flask, admin_kit) -> None:  # type: ignore[no-untyped-def]
    response = admin_kit.sign_in(admin_app.test_client())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_in_production(admin_kit) -> None:  # type: ignore[no-untyped-def]
    app = admin_kit.make_app(production=True)
    response = admin_kit.sign_in(app.test_client())
    assert "; Secure" in response.headers["Set-Cookie"]


def test_a_post_without_a_csrf_token_is_refused(operator, admin_kit) -> None:  # type: ignore[no-untyped-def]
    response = operator.post("/admin/sign-out", headers={"Origin": admin_kit.origin})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    response = operator.post("/admin/sign-out", data={"csrf_token": "forged"},
                             headers={"Origin": admin_kit.origin})
    assert response.status_code == 400
    # Still signed in: nothing happened.
    assert operator.get("/admin/jobs").status_code != 302


def test_a_sign_in_post_without_a_csrf_token_is_refused(admin_app: Flask, admin_kit) -> None:  # type: ignore[no-untyped-def]
    client = admin_app.test_client()
    response = client.post("/admin/sign-in", data={"secret": admin_kit.password},
                           headers={"Origin": admin_kit.origin})
    assert response.status_code == 400
    assert client.get("/admin/jobs").status_code == 302


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Referer": "https://evil.example/page"},
    {},
])
def test_a_session_used_from_another_origin_cannot_act(operator, admin_kit, headers) -> None:  # type: ignore[no-untyped-def]
    # Even holding a valid CSRF token (which a page on another site could not read), a request
    # that names another origin, or none, is refused.
    token = admin_kit.csrf_token(operator.get("/admin/sign-in").get_data(as_text=True))
    response = operator.post("/admin/sign-out", data={"csrf_token": token}, headers=headers)
    assert response.status_code == 403
    assert operator.get("/admin/jobs").status_code != 302
    # The same request from our own origin works.
    response = operator.post("/admin/sign-out", data={"csrf_token": token},
                             headers={"Origin": admin_kit.origin})
    assert response.status_code == 302
    assert operator.get("/admin/jobs").status_code == 302
