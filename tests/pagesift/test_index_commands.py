from __future__ import annotations

import pytest

from pagesift.cli import build_parser

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("flag", ["--reclean", "--migrate", "--rollback"])
def test_reindex_takes_exactly_one_mode(flag: str) -> None:
    args = build_parser().parse_args(["reindex", flag, "--wait"])
    assert args.mode == flag.removeprefix("--") and args.wait


def test_reindex_refuses_two_modes_or_none(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["reindex"], ["reindex", "--reclean", "--migrate"]):
        with pytest.raises(SystemExit) as stopped:
            build_parser().parse_args(argv)
        assert stopped.value.code == 2
    assert "--reclean" in capsys.readouterr().err


@pytest.mark.parametrize("action", ["init", "status"])
def test_index_actions_are_registered(action: str) -> None:
    assert callable(build_parser().parse_args(["index", action]).func)
