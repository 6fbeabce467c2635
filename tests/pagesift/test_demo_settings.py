"""The demo's settings live in its home: `pagesift down` then `up` finds them again."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer import config
from pagesift.commands import demo

pytestmark = pytest.mark.unit

SITE = "127.0.0.1:8070"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home of its own, as the process environment names it (no admin secrets set)."""
    for name in ("PAGESIFT_ADMIN_PASSWORD_HASH", "PAGESIFT_ADMIN_TOKEN_HASH", "PAGESIFT_FETCH_ALLOWLIST",
                 "PAGESIFT_FETCH_HOST_DELAYS", "PAGESIFT_WEB_IMAGE_SOURCES", "PAGESIFT_RULES_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PAGESIFT_HOME", str(tmp_path))
    return tmp_path


def test_a_later_load_has_the_demo_settings(home: Path) -> None:
    from werkzeug.security import check_password_hash

    from web.admin import auth

    made = demo.write_demo_settings(home, SITE)
    assert made.password and made.token
    # What `pagesift up` (and the web and worker it starts) will load, with nothing exported.
    settings = config.load()
    assert settings.fetch.allowlist == (SITE,) and settings.fetch.host_delays == (f"{SITE}=0",)
    assert settings.web.image_sources == (f"http://{SITE}",)
    assert check_password_hash(settings.admin.password_hash, made.password)
    assert auth.token_ok(settings, made.token)
    assert Path(settings.clean.rules_file) == home / "rules.toml"
    from indexer.clean.rules import load as load_rules

    assert load_rules(settings.clean.rules_file).sites == (), \
        "the demo's rules file loads and changes nothing"
    assert (home / "pagesift.env").stat().st_mode & 0o077 == 0, "it holds hashes: owner only"


def test_running_the_demo_again_keeps_its_secrets_and_your_lines(home: Path) -> None:
    first = demo.write_demo_settings(home, SITE)
    before = config.load().admin.password_hash
    with (home / "pagesift.env").open("a") as out:
        out.write("PAGESIFT_WEB_WORKERS=3\n")
    (home / "rules.toml").write_text('[sites."127.0.0.1"]\ndrop = [".ad"]\n')
    again = demo.write_demo_settings(home, "127.0.0.1:8071")
    settings = config.load()
    assert again == first and settings.admin.password_hash == before, "sessions stay signed in"
    assert settings.web.workers == 3 and settings.fetch.allowlist == ("127.0.0.1:8071",)
    assert "drop" in (home / "rules.toml").read_text(), "an edited rules file is kept"


def test_your_own_secrets_are_not_replaced(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGESIFT_ADMIN_PASSWORD_HASH", "scrypt:mine")
    made = demo.write_demo_settings(home, SITE)
    assert made.password is None and made.token
    assert config.load().admin.password_hash == "scrypt:mine"


def test_the_environment_beats_the_home_file(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAGESIFT_WEB_WORKERS", raising=False)
    values = {"PAGESIFT_WEB_WORKERS": "5", "PAGESIFT_HOME": "/elsewhere"}
    config.update_env_file(home / "pagesift.env", values)
    assert config.load().web.workers == 5
    assert config.load().home == home, "the file cannot move its own home"
    monkeypatch.setenv("PAGESIFT_WEB_WORKERS", "6")
    assert config.load().web.workers == 6
    assert config.load(env={"PAGESIFT_HOME": str(home)}).web.workers == 2


def test_a_bad_line_names_the_file(home: Path) -> None:
    (home / "pagesift.env").write_text("# fine\nPAGESIFT_WEB_PORT 80\n")
    with pytest.raises(config.ConfigError, match=r"pagesift\.env:2"):
        config.load()


def test_the_tour_prints_the_password_and_the_token(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    made = demo.write_demo_settings(home, SITE)
    demo._print_tour(config.load(), made)
    out = capsys.readouterr().out
    assert f"password: {made.password}" in out and f"Admin API token: {made.token}" in out
    assert f"Bearer {made.token}" in out and str(home / "pagesift.env") in out
