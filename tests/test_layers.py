"""Layers point one way: ``indexer`` (the library) <- ``worker``, ``web`` <- ``pagesift``.

Read from the source (every import statement, also those inside functions), so a lazy import
cannot hide a dependency the wrong way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = {"indexer", "worker", "web", "samples", "pagesift", "bench"}
# What each package may import from the project, itself included.
ALLOWED = {
    "indexer": {"indexer"},
    "worker": {"indexer", "worker"},
    "web": {"indexer", "worker", "web"},
    "samples": {"indexer", "samples"},
    "pagesift": {"indexer", "worker", "web", "samples", "pagesift"},
}


def _imported(path: Path) -> set[str]:
    tops: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            tops.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            tops.add(node.module.split(".")[0])
    return tops & PROJECT


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_the_layers_below(package: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(_imported(path) - ALLOWED[package])
        for path in sorted((ROOT / package).rglob("*.py"))
        if _imported(path) - ALLOWED[package]
    }
    assert wrong == {}
