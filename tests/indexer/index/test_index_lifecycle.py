from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from indexer.index import lifecycle
from indexer.index.mapping import IndexSpec
from indexer.index.names import IndexNames

pytestmark = pytest.mark.integration


def _search(es, index: str, field: str, text: str) -> int:  # type: ignore[no-untyped-def]
    answer = es.search(index=index, query={"match": {field: text}})
    return int(answer["hits"]["total"]["value"])


def test_template_applies_to_new_versioned_indices(es, names: IndexNames, spec: IndexSpec) -> None:
    first = lifecycle.ensure_index(es, names, spec)
    assert first.startswith(f"{names.prefix}-v{spec.version}-")
    mapping = es.indices.get_mapping(index=names.read_alias)[first]["mappings"]
    assert mapping["properties"]["title"]["fields"]["fa"]["analyzer"] == "persian"
    assert mapping["dynamic"] == "strict"
    assert lifecycle.alias_indices(es, names.write_alias) == [first]
    # A second call finds the index instead of making another.
    assert lifecycle.ensure_index(es, names, spec) == first


def test_processes_starting_together_share_one_first_index(es, names: IndexNames, spec: IndexSpec) -> None:
    # Workers, web and CLI all call ensure_index at start; several may find no index at once.
    with ThreadPoolExecutor(max_workers=6) as pool:
        created = list(pool.map(lambda _: lifecycle.ensure_index(es, names, spec), range(6)))
    assert len(set(created)) == 1
    assert lifecycle.alias_indices(es, names.read_alias) == [created[0]]
    assert [c.name for c in lifecycle.concrete_indices(es, names)] == [created[0]]


def test_persian_yeh_finds_arabic_yeh_and_back(es, names: IndexNames, spec: IndexSpec) -> None:
    index = lifecycle.ensure_index(es, names, spec)
    es.index(index=index, id="arabic", document={"content": "كتاب علي"}, refresh=True)
    es.index(index=index, id="persian", document={"content": "دفتر مهدی"}, refresh=True)
    assert _search(es, names.read_alias, "content.fa", "علی") == 1    # Persian ی, text has ي
    assert _search(es, names.read_alias, "content.fa", "مهدي") == 1   # Arabic ي, text has ی
    assert _search(es, names.read_alias, "content.fa", "کتاب") == 1   # Persian keheh, text has ك


def test_exact_subfield_does_not_stem(es, names: IndexNames, spec: IndexSpec) -> None:
    index = lifecycle.ensure_index(es, names, spec)
    es.index(index=index, id="1", document={"title": "Running shoes"}, refresh=True)
    assert _search(es, names.read_alias, "title", "run") == 1
    assert _search(es, names.read_alias, "title.exact", "run") == 0
    assert _search(es, names.read_alias, "title.exact", "running") == 1


def test_title_suggest_matches_prefixes(es, names: IndexNames, spec: IndexSpec) -> None:
    index = lifecycle.ensure_index(es, names, spec)
    es.index(index=index, id="1", document={"title": "Elections in Tehran"}, refresh=True)
    assert _search(es, names.read_alias, "title.suggest", "elec teh") == 1
    assert _search(es, names.read_alias, "title.suggest", "tehx") == 0


def test_swap_moves_both_aliases_and_prune_keeps_the_newest(es, names: IndexNames, spec: IndexSpec) -> None:
    first = lifecycle.ensure_index(es, names, spec)
    built = [lifecycle.create_index(es, names, spec, building=True) for _ in range(3)]
    for index in built:
        lifecycle.finish_build(es, index, spec)
        assert lifecycle.swap(es, names, index)
    assert lifecycle.current_index(es, names) == built[-1]
    assert lifecycle.alias_indices(es, names.write_alias) == [built[-1]]
    assert lifecycle.previous_index(es, names) == built[-2]
    settings = es.indices.get_settings(index=built[-1])[built[-1]]["settings"]["index"]
    assert settings["refresh_interval"] == spec.settings["refresh_interval"]
    assert lifecycle.prune(es, names, keep=1) == [first, built[0]]
    assert [c.name for c in lifecycle.concrete_indices(es, names)] == built[1:]


def test_status_describes_aliases_indices_and_raw_store(es, names: IndexNames, spec: IndexSpec) -> None:
    from indexer.index import raw_store
    from indexer.index.status import describe

    assert describe(es, names)["read"] == []
    first = lifecycle.ensure_index(es, names, spec)
    raw_store.ensure(es, names)
    es.index(index=names.write_alias, id="1", document={"title": "x"}, refresh=True)
    state = describe(es, names)
    assert (state["read"], state["write"], state["previous"]) == ([first], [first], None)
    assert [(i["name"], i["docs"], i["version"]) for i in state["indices"]] == [(first, 1, spec.version)]
    assert state["raw"]["name"] == names.raw and state["raw"]["docs"] == 0
