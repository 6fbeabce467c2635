"""`pagesift admin`: the hashes it prints are the ones the console and the API accept."""

from __future__ import annotations

import io
import re

import pytest

from indexer import config
from pagesift.cli import main
from web.admin import auth

pytestmark = pytest.mark.unit


def test_hash_password_signs_in(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO("a long operator password\n"))
    assert main(["admin", "hash-password", "--stdin"]) == 0
    digest = capsys.readouterr().out.strip()
    settings = config.load(env={}, admin_password_hash=digest)
    assert auth.password_ok(settings, "a long operator password")
    assert not auth.password_ok(settings, "a long operator passwor")


def test_short_password_is_refused(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["admin", "hash-password", "--stdin"]) == 2
    assert capsys.readouterr().out == ""


def test_new_token_matches_its_hash(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["admin", "new-token"]) == 0
    out = capsys.readouterr().out
    token = re.search(r"token: (\S+)", out).group(1)  # type: ignore[union-attr]
    digest = re.search(r"PAGESIFT_ADMIN_TOKEN_HASH=(\S+)", out).group(1)  # type: ignore[union-attr]
    settings = config.load(env={}, admin_token_hash=digest)
    assert auth.token_ok(settings, token) and not auth.token_ok(settings, token + "x")
    assert len(token) >= 40
