"""The plugin's PHP: every file parses, and its units pass inside the real WordPress."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.integrations.wordpress.conftest import PLUGIN, Stack

PHP_TESTS = Path(__file__).resolve().parent / "php"


@pytest.mark.unit
@pytest.mark.parametrize("path", sorted(PLUGIN.rglob("*.php")), ids=lambda p: str(p.relative_to(PLUGIN)))
def test_every_file_parses(path: Path) -> None:
    done = subprocess.run(["php", "-l", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.unit
def test_the_plugin_header_says_gpl() -> None:
    header = (PLUGIN / "pagesift.php").read_text(encoding="utf-8")[:2000]
    assert "License:           GPL-2.0-or-later" in header and "Plugin Name:" in header


@pytest.mark.integration
@pytest.mark.parametrize("script", sorted(PHP_TESTS.glob("test-*.php")), ids=lambda p: p.name)
def test_php_units_inside_wordpress(stack: Stack, script: Path) -> None:
    runner = (PHP_TESTS / "runner.php").read_text(encoding="utf-8").removeprefix("<?php")
    tests = script.read_text(encoding="utf-8").removeprefix("<?php")
    out = stack.php(f"{runner}\n{tests}\npagesift_run_tests();")
    summary = out.strip().splitlines()[-1]
    assert summary.endswith(" 0 failed"), out
    assert not summary.startswith("0 passed"), out
