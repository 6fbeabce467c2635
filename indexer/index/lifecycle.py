"""Template, concrete indices and aliases: create, swap atomically, roll back, prune.

Readers only ever see the read alias and writers the write alias, so moving both in one
``update_aliases`` call is the whole of a zero-downtime switch.
"""

from __future__ import annotations

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


def swap(client: Elasticsearch, names: IndexNames, target: str) -> list[str]:
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
    answer = client.options(ignore_status=404).indices.get(index=names.pattern, expand_wildcards="all")
    parsed = [names.parse(name) for name in answer.body if name not in {"error", "status"}]
    return sorted((c for c in parsed if c is not None), key=lambda c: c.created)


def previous_index(client: Elasticsearch, names: IndexNames) -> str | None:
    """The newest index created before the current one that was live once: where a rollback
    goes. A build abandoned by a crash never was, and is never a way back."""
    older, _abandoned = _older(client, names)
    return older[-1] if older else None


def prune(client: Elasticsearch, names: IndexNames, keep: int) -> list[str]:
    """Delete all but the ``keep`` newest once-live indices older than the current one, and
    the abandoned builds older than it.

    Indices newer than the current one are builds (running, or abandoned by a crash) and are
    left alone: only a reindex holding the lock may remove its own build. An abandoned build
    older than the current one is garbage, and must not count among the ``keep``: it would
    push out the good index a rollback needs.
    """
    older, abandoned = _older(client, names)
    doomed = older[: max(len(older) - keep, 0)] + abandoned
    for name in doomed:
        client.indices.delete(index=name)
    return sorted(doomed)


def _older(client: Elasticsearch, names: IndexNames) -> tuple[list[str], list[str]]:
    """Indices created before the current one, oldest first: (once live, abandoned builds)."""
    current = names.parse(current_index(client, names) or "")
    if current is None:
        return [], []
    building = set(alias_indices(client, names.building_alias))
    older = [c.name for c in concrete_indices(client, names) if c.created < current.created]
    return [n for n in older if n not in building], [n for n in older if n in building]


def delete_index(client: Elasticsearch, index: str) -> None:
    client.options(ignore_status=404).indices.delete(index=index)
