"""A command's own parser is built from its module alone, and knows the same command."""

from __future__ import annotations

import argparse

from pagesift.cli import build_parser


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_is_found_by_its_own_module() -> None:
    everything = _commands(build_parser())
    for name, full in everything.items():
        alone = _commands(build_parser(name))
        assert name in alone, name
        assert alone[name].format_usage() == full.format_usage()


def test_clean_builds_only_its_own_parser() -> None:
    assert list(_commands(build_parser("clean"))) == ["clean"]


def test_an_unknown_command_gets_every_command_to_choose_from() -> None:
    assert len(_commands(build_parser("nosuch"))) == len(_commands(build_parser()))
