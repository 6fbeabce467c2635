"""Shared helpers for the cleaner's tests: fixture pages live in tests/fixtures/pages/."""

from __future__ import annotations

from pathlib import Path

import pytest

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def page_bytes() -> object:
    def read(name: str) -> bytes:
        return (PAGES / name).read_bytes()

    return read
