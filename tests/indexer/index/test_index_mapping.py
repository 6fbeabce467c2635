from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from indexer.index import mapping

pytestmark = pytest.mark.unit

# The fields the issue asks for, with the type each must have.
EXPECTED_TYPES = {
    "url": "keyword", "site": "keyword", "site_name": "keyword", "image": "keyword",
    "title": "text", "content": "text", "description": "text",
    "categories": "keyword", "category_paths": "keyword", "tags": "keyword", "authors": "keyword",
    "type": "keyword",
    "language": "keyword", "kind": "keyword",
    "published": "date", "modified": "date", "ingested_at": "date",
    "word_count": "integer", "content_hash": "keyword", "duplicate_of": "keyword",
    "near_keys": "keyword", "near_signature": "keyword",
    # Mapping version 3: the vector the hybrid search's semantic side queries.
    "embedding": "dense_vector",
}


def _properties() -> dict[str, Any]:
    return mapping.load("pages").mappings["properties"]


def test_every_field_has_its_type() -> None:
    properties = _properties()
    assert {name: spec["type"] for name, spec in properties.items()} == EXPECTED_TYPES


@pytest.mark.parametrize("field", ["title", "content", "description"])
def test_text_fields_are_english_with_exact_and_persian_subfields(field: str) -> None:
    spec = _properties()[field]
    assert spec["analyzer"] == "english"
    assert spec["fields"]["exact"]["analyzer"] == "standard"
    assert spec["fields"]["fa"]["analyzer"] == "persian"


def test_title_sorts_and_autocompletes() -> None:
    subfields = _properties()["title"]["fields"]
    assert subfields["keyword"]["type"] == "keyword"
    assert subfields["suggest"]["analyzer"] == "autocomplete"
    assert subfields["suggest"]["search_analyzer"] == "standard"


def test_content_keeps_offsets_for_highlighting() -> None:
    content = _properties()["content"]
    assert content["index_options"] == "offsets"
    matched = [sub for key, sub in content["fields"].items() if key != "shingle"]
    assert all(sub["index_options"] == "offsets" for sub in matched)


def test_analyzers_used_by_the_mapping_are_defined() -> None:
    spec = mapping.load("pages")
    custom = set(spec.settings["analysis"]["analyzer"])
    builtin = {"english", "standard", "persian"}
    used = set()
    for field in _properties().values():
        for sub in [field, *field.get("fields", {}).values()]:
            used.update(sub[k] for k in ("analyzer", "search_analyzer") if k in sub)
    assert used <= custom | builtin


def test_raw_store_keeps_html_unindexed_and_compressed() -> None:
    raw = mapping.load("raw")
    assert raw.settings["codec"] == "best_compression"
    assert raw.mappings["properties"]["html"]["type"] == "binary"
    assert raw.mappings["properties"]["headers"]["enabled"] is False


def test_body_is_a_copy() -> None:
    spec = mapping.load("pages")
    spec.body()["mappings"]["properties"].clear()
    assert spec.body()["mappings"]["properties"]


def test_a_file_without_version_is_refused(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text(json.dumps({"settings": {}, "mappings": {}}))
    with pytest.raises(mapping.MappingError, match="version"):
        mapping.load("broken", tmp_path)
