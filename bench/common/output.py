"""Where every benchmark writes its figures: ``bench/results/<name>.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parents[1] / "results"


def path(name: str) -> Path:
    return RESULTS_DIR / f"{name}.json"


def write_results(name: str, report: dict[str, Any]) -> Path:
    target = path(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(report, indent=2) + "\n")
    return target
