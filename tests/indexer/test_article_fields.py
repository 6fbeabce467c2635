"""The declaration in indexer/article_fields.py against what it cannot derive: the cleaner's
dataclasses and the pages mapping."""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from indexer import article_fields as af
from indexer.clean.metadata.model import Facts
from indexer.clean.page import Page
from indexer.index import mapping


def _types(cls: type) -> dict[str, type]:
    """Each field's type with None dropped and generics reduced to their class (list[str] → list)."""
    out: dict[str, type] = {}
    for name, hint in typing.get_type_hints(cls).items():
        if isinstance(hint, types.UnionType):
            hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
        out[name] = typing.get_origin(hint) or hint
    return out


def _declared(names: set[str]) -> dict[str, type]:
    return {field.name: field.kind.python for field in af.FIELDS if field.name in names}


def test_page_has_exactly_the_fields_the_cleaner_is_declared_to_produce() -> None:
    on_page = {field.name for field in af.FIELDS if field.origin is not af.Origin.DOCUMENT}
    assert {field.name for field in dataclasses.fields(Page)} == on_page
    assert _types(Page) == _declared(on_page)


def test_facts_has_exactly_the_fields_metadata_is_declared_to_say() -> None:
    said = {field.name for field in af.FIELDS if field.metadata}
    assert {field.name for field in dataclasses.fields(Facts)} == said
    assert _types(Facts) == _declared(said)


def _properties() -> dict[str, Any]:
    return dict(mapping.load("pages").mappings["properties"])


def test_every_stored_field_has_a_mapping_property_of_its_kind() -> None:
    properties = _properties()
    stored = [field for field in af.FIELDS if field.stored]
    assert {f.name: properties.get(f.name, {}).get("type") for f in stored} == {
        f.name: f.kind.mapping for f in stored}


def test_every_mapping_property_is_declared_or_internal() -> None:
    declared = {field.name for field in af.FIELDS if field.stored}
    assert set(_properties()) == declared | set(af.INTERNAL_FIELDS)
    assert not declared & set(af.INTERNAL_FIELDS)


def test_fields_never_stored_have_no_mapping_type_and_reach_no_reader() -> None:
    for field in af.FIELDS:
        assert (field.kind.mapping is None) == (not field.stored), field.name
        if not field.stored:
            assert not (field.returned or field.hit or field.facet), field.name


def test_names_and_places_are_unique() -> None:
    facets = [field.facet for field in af.FIELDS if field.facet]
    previews = [field.preview for field in af.FIELDS if field.preview is not None]
    for values in ([f.name for f in af.FIELDS], [f.name for f in facets], [f.order for f in facets],
                   [f.sidebar for f in facets], previews):
        assert len(values) == len(set(values)), values


def test_a_hit_shows_only_returned_fields() -> None:
    assert {field.name for field in af.hit_fields()} <= set(af.returned())
