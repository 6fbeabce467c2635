"""Template, concrete indices and aliases: create, swap atomically, roll back, prune.

Readers only ever see the read alias and writers the write alias, so moving both in one
``update_aliases`` call is the whole of a zero-downtime switch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from elasticsearch import ApiError, Elasticsearch

from indexer.index.mapping import IndexSpec
from indexer.index.names import Concrete, IndexNames

# Above the default templates' priorities so ours wins, whatever else matches the pattern.
TEMPLATE_PRIORITY = 200

# What a build changes for speed and restores before anyone reads the index.
_BUILD_SETTINGS: dict[str, Any] = {
    "refresh_interval": "-1",
    "auto_expand_replicas": False,
    "number_of_replicas": 0,
}
_SETTING_DEFAULTS: dict[str, Any] = {
    "refresh_interval": "1s",
    "auto_expand_replicas": False,
    "number_of_replicas": 1,
}


def install_template(client: Elasticsearch, names: IndexNames, spec: IndexSpec) -> None:
    """Put (or replace) the index template; it only affects indices created afterwards."""
    body = spec.body()
    client.indices.put_index_template(
        name=names.template,
        index_patterns=[names.pattern],
        priority=TEMPLATE_PRIORITY,
        version=spec.version,
        template=body,
        meta={"managed_by": "pagesift", "mapping_version": spec.version},
    )


def create_index(client: Elasticsearch, names: IndexNames, spec: IndexSpec, *, building: bool) -> str:
    """A new concrete index for ``spec``'s version; ``building`` ones start without replicas
    or refresh (see :func:`finish_build`)."""
    name = names.concrete(spec.version)
    settings = dict(_BUILD_SETTINGS) if building else {}
    aliases: dict[str, Any] = {names.building_alias: {}} if building else {}
    client.indices.create(index=name, settings=settings, aliases=aliases)
    return name


def finish_build(client: Elasticsearch, index: str, spec: IndexSpec, *, wait: str = "60s") -> None:
    """Restore the spec's refresh and replicas, refresh, and wait for the copies to be ready."""
    restored = {key: spec.settings.get(key, default) for key, default in _SETTING_DEFAULTS.items()}
    client.indices.put_settings(index=index, settings=restored)
    client.indices.refresh(index=index)
    client.cluster.health(index=index, wait_for_status="green", timeout=wait)


def alias_indices(client: Elasticsearch, alias: str) -> list[str]:
    """The indices an alias points at (none if the alias does not exist)."""
    answer = client.options(ignore_status=404).indices.get_alias(name=alias)
    return sorted(name for name in answer.body if name not in {"error", "status"})


def current_index(client: Elasticsearch, names: IndexNames) -> str | None:
    held = alias_indices(client, names.read_alias)
    return held[0] if held else None


def ensure_index(client: Elasticsearch, names: IndexNames, spec: IndexSpec) -> str:
    """Install the template; create the first index with both aliases unless one exists."""
    install_template(client, names, spec)
    existing = current_index(client, names)
    if existing is not None:
        add_fields(client, existing, spec)
        return existing
    name = names.concrete(spec.version)
    try:
        client.indices.create(index=name, aliases=_alias_bodies(names))
    except ApiError:
        # Two processes starting at once both found no index: Elasticsearch creates the first
        # and refuses the second (the write alias may have one write index), atomically.
        # The loser uses the winner's index.
        existing = current_index(client, names)
        if existing is None:
            raise
        return existing
    return name


def add_fields(client: Elasticsearch, index: str, spec: IndexSpec) -> None:
    """Give an index made from an older mapping the fields added since: the mapping is strict,
    so a writer of the new fields would be refused until a rebuild. Only additions apply in
    place; a changed field or analyzer still needs ``pagesift reindex --migrate``."""
    held = client.indices.get_mapping(index=index)[index]["mappings"].get("properties", {})
    missing = {name: body for name, body in spec.mappings["properties"].items() if name not in held}
    if missing:
        client.indices.put_mapping(index=index, properties=missing)


def _alias_bodies(names: IndexNames) -> dict[str, Any]:
    return {names.read_alias: {}, names.write_alias: {"is_write_index": True}}


# Where an index records the index it replaced when it went live (``_meta`` of its mapping, so
# the record lives with the index and every process reads the same one). Following it from the
# live index gives the way back: creation order does not, since after a rollback the index
# rolled away from is newer than the live one and must never become the way back.
_META_KEY = "pagesift"
_REPLACED = "replaced"


def swap(client: Elasticsearch, names: IndexNames, target: str) -> list[str]:
    """Put ``target`` live in place of the current index, which becomes its way back (see
    :func:`previous_index`); returns the indices the aliases left."""
    _record_replaced(client, target, current_index(client, names))
    return _point_aliases(client, names, target)


def swap_back(client: Elasticsearch, names: IndexNames, target: str) -> list[str]:
    """Put the way back live again (a rollback): ``target`` keeps the record of what it had
    replaced, and the index left is out of the line, pruned by the next rebuild."""
    return _point_aliases(client, names, target)


def _record_replaced(client: Elasticsearch, target: str, replaced: str | None) -> None:
    # Written before the aliases move: a crash in between leaves a record on an index that
    # never went live (it keeps its building alias), never a live index without one.
    held = client.indices.get_mapping(index=target)[target]["mappings"].get("_meta", {})
    meta = {**held, _META_KEY: {**held.get(_META_KEY, {}), _REPLACED: replaced}}
    client.indices.put_mapping(index=target, meta=meta)


def _point_aliases(client: Elasticsearch, names: IndexNames, target: str) -> list[str]:
    """Point the read and write aliases at ``target`` in one atomic call; returns the
    indices they left."""
    actions: list[dict[str, Any]] = []
    left: set[str] = set()
    for alias in (names.read_alias, names.write_alias):
        for index in alias_indices(client, alias):
            if index != target:
                actions.append({"remove": {"index": index, "alias": alias}})
                left.add(index)
    if target in alias_indices(client, names.building_alias):
        actions.append({"remove": {"index": target, "alias": names.building_alias}})
    actions.append({"add": {"index": target, "alias": names.read_alias}})
    actions.append({"add": {"index": target, "alias": names.write_alias, "is_write_index": True}})
    client.indices.update_aliases(actions=actions)
    return sorted(left)


def concrete_indices(client: Elasticsearch, names: IndexNames) -> list[Concrete]:
    """Our versioned indices, oldest first."""
    return [held.concrete for held in _held(client, names)]


def previous_index(client: Elasticsearch, names: IndexNames) -> str | None:
    """Where a rollback goes: the index that was live before the current one went live, if it
    is still there. An index rolled away from, or a build that never went live, never is."""
    line = _line(_held(client, names), current_index(client, names))
    return line[0] if line else None


def prune(client: Elasticsearch, names: IndexNames, keep: int) -> list[str]:
    """Delete every index but the live one, the ``keep`` nearest on its way back, and builds
    newer than it (running, or abandoned by a crash: only a reindex holding the lock may
    remove its own build). Indices rolled away from and abandoned older builds are garbage."""
    held = _held(client, names)
    current = current_index(client, names)
    by_name = {h.concrete.name: h for h in held}
    if current not in by_name:
        return []
    created = by_name[current].concrete.created
    kept = {current, *_line(held, current)[:max(keep, 0)]}
    doomed = [h.concrete.name for h in held
              if h.concrete.name not in kept and not (h.building and h.concrete.created > created)]
    for name in doomed:
        client.indices.delete(index=name)
    return sorted(doomed)


@dataclass(frozen=True)
class _Held:
    """One of our concrete indices as the cluster holds it."""

    concrete: Concrete
    building: bool
    # The index it replaced when it went live; ``_UNRECORDED`` for an index that went live
    # before the record existed (its way back is then read from creation order).
    replaced: str | None


_UNRECORDED = "\0unrecorded"


def _held(client: Elasticsearch, names: IndexNames) -> list[_Held]:
    """Our versioned indices with their aliases and records, oldest first."""
    answer = client.options(ignore_status=404).indices.get(index=names.pattern, expand_wildcards="all")
    held = []
    for name, body in answer.body.items():
        concrete = names.parse(name)
        if concrete is None:
            continue
        record = (body.get("mappings", {}).get("_meta") or {}).get(_META_KEY, {})
        held.append(_Held(concrete, names.building_alias in body.get("aliases", {}),
                          record.get(_REPLACED) if _REPLACED in record else _UNRECORDED))
    return sorted(held, key=lambda h: h.concrete.created)


def _line(held: list[_Held], current: str | None) -> list[str]:
    """The way back from ``current``: the index it replaced, the one that one replaced, ...
    as long as they are still there."""
    by_name = {h.concrete.name: h for h in held}
    line: list[str] = []
    at = by_name.get(current or "")
    while at is not None:
        before = at.replaced if at.replaced != _UNRECORDED else _created_before(held, at)
        at = by_name.get(before or "")
        if at is None or at.building or at.concrete.name in line or at.concrete.name == current:
            break
        line.append(at.concrete.name)
    return line


def _created_before(held: list[_Held], index: _Held) -> str | None:
    """The way back of an index live before records were kept: the newest index created
    before it that was live once (as pagesift read it then)."""
    older = [h.concrete.name for h in held if h.concrete.created < index.concrete.created and not h.building]
    return older[-1] if older else None


def delete_index(client: Elasticsearch, index: str) -> None:
    client.options(ignore_status=404).indices.delete(index=index)
