"""The index definitions in ``mappings/``: settings, mappings and a version number.

Bumping ``version`` in ``mappings/pages.json`` is how a mapping change is announced: new
concrete indices carry it in their name, and ``pagesift reindex --migrate`` moves to it.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from indexer.config import PROJECT_ROOT

MAPPINGS_DIR = PROJECT_ROOT / "mappings"


@dataclass(frozen=True)
class IndexSpec:
    version: int
    settings: dict[str, Any]
    mappings: dict[str, Any]

    def body(self) -> dict[str, Any]:
        """Fresh copies, so a caller that edits them cannot change the cached spec."""
        return {"settings": copy.deepcopy(self.settings), "mappings": copy.deepcopy(self.mappings)}


class MappingError(ValueError):
    """A file in ``mappings/`` is missing a part or is not valid JSON."""


def load(name: str = "pages", directory: Path | None = None) -> IndexSpec:
    return _load(str(directory or MAPPINGS_DIR), name)


@cache
def _load(directory: str, name: str) -> IndexSpec:
    path = Path(directory) / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise MappingError(f"{path}: {exc}") from exc
    missing = {"version", "settings", "mappings"} - set(data)
    if missing:
        raise MappingError(f"{path}: missing {', '.join(sorted(missing))}")
    if not isinstance(data["version"], int) or data["version"] < 1:
        raise MappingError(f"{path}: version must be a positive integer")
    return IndexSpec(data["version"], data["settings"], data["mappings"])
