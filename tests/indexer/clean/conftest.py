"""Shared helpers for the cleaner's tests: fixture pages live in tests/fixtures/pages/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"


@pytest.fixture
def page_bytes() -> Callable[[str], bytes]:
    """Read a fixture page by file name."""

    def read(name: str) -> bytes:
        return (PAGES / name).read_bytes()

    return read
