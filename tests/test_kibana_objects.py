"""deploy/kibana/searchlog.ndjson: the generator's output, every reference resolved, and only
fields the search log's mapping has (or the data view's runtime field)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import pytest

from indexer.index import mapping
from indexer.searchlog.names import SearchLogNames

pytestmark = pytest.mark.unit

KIBANA = Path(__file__).resolve().parents[1] / "deploy" / "kibana"


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("kibana_objects", KIBANA / "build_saved_objects.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _objects() -> list[dict[str, Any]]:
    return [json.loads(line) for line in (KIBANA / "searchlog.ndjson").read_text().splitlines()]


def test_the_committed_file_is_the_generators_output() -> None:
    assert (KIBANA / "searchlog.ndjson").read_text() == _generator().ndjson("pages"), \
        "regenerate: python deploy/kibana/build_saved_objects.py"


def test_the_data_view_covers_the_daily_indices_and_every_reference_resolves() -> None:
    objects = _objects()
    (view,) = [o for o in objects if o["type"] == "index-pattern"]
    assert view["attributes"]["title"] == SearchLogNames("pages").pattern
    assert view["attributes"]["timeFieldName"] == "at"
    ids = {(o["type"], o["id"]) for o in objects}
    for obj in objects:
        for ref in obj["references"]:
            assert (ref["type"], ref["id"]) in ids, (obj["id"], ref)
    (board,) = [o for o in objects if o["type"] == "dashboard"]
    panels = json.loads(board["attributes"]["panelsJSON"])
    assert {p["panelRefName"] for p in panels} == {r["name"] for r in board["references"]}
    assert len(panels) == len([o for o in objects if o["type"] == "visualization"])


def test_only_mapped_fields_are_used() -> None:
    props = mapping.load("searchlog").mappings["properties"]
    known = {*props, "query", "results.id", "results.position", "reciprocal_rank"}
    text = "\n".join(json.dumps(o) for o in _objects())
    used = set(re.findall(r'\\"field\\": \\"([a-z_.]+)\\"', text))
    used |= set(re.findall(r"\b([a-z_]+):(?:search|click|0|\\)", text))
    assert used and used <= known, used - known
