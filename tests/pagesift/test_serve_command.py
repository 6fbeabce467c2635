"""`pagesift serve`: registered, runs gunicorn on the configured address, refuses --debug in production."""

from __future__ import annotations

import pytest

from pagesift.cli import build_parser, main
from pagesift.stack.web import APP, gunicorn_argv

pytestmark = pytest.mark.unit


def test_serve_is_a_command_with_its_options() -> None:
    args = build_parser().parse_args(["serve", "--host", "0.0.0.0", "--port", "8123", "--debug"])
    assert (args.host, args.port, args.debug) == ("0.0.0.0", 8123, True)


def test_gunicorn_serves_the_app_factory_on_the_address() -> None:
    argv = gunicorn_argv("127.0.0.1", 8123, 3)
    assert argv[1:3] == ["-m", "gunicorn"] and argv[-1] == APP == "web:create_app()"
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"
    assert argv[argv.index("--workers") + 1] == "3"


def test_debug_server_is_refused_in_production(monkeypatch, capsys) -> None:
    monkeypatch.setenv("PAGESIFT_PRODUCTION", "1")
    assert main(["serve", "--debug"]) == 2
    assert "refused" in capsys.readouterr().out
