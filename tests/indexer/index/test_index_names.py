from __future__ import annotations

from datetime import UTC, datetime

import pytest

from indexer.index.names import IndexNames

pytestmark = pytest.mark.unit


def test_every_name_derives_from_the_prefix() -> None:
    names = IndexNames("pages")
    assert names.read_alias == "pages"
    assert names.write_alias == "pages-write"
    assert names.pattern == "pages-v*"
    assert names.raw == "pages-raw"
    assert names.template == "pages-template"


def test_raw_store_and_aliases_stay_outside_the_template_pattern() -> None:
    names = IndexNames("pages")
    stem = names.pattern.rstrip("*")
    for other in (names.raw, names.write_alias, names.read_alias):
        assert not other.startswith(stem)


def test_concrete_names_round_trip() -> None:
    names = IndexNames("pages")
    when = datetime(2026, 11, 28, 9, 30, 1, 123456, tzinfo=UTC)
    name = names.concrete(3, when)
    assert name == "pages-v3-20261128093001123456"
    parsed = names.parse(name)
    assert parsed is not None
    assert (parsed.version, parsed.created) == (3, when)


@pytest.mark.parametrize("other", ["pages", "pages-raw", "pages-v3-2026", "other-v3-20261128093001123456",
                                   "pages-v3-20261128093001123456-copy"])
def test_names_that_are_not_ours_do_not_parse(other: str) -> None:
    assert IndexNames("pages").parse(other) is None


@pytest.mark.parametrize("prefix", ["", "Pages", "pages*", "-pages", "a b", "x/y"])
def test_unusable_prefixes_are_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        IndexNames(prefix)
