"""`pagesift index init|status`: create the template, first index, aliases and raw store;
show where the aliases point."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("index", help="the Elasticsearch index: create it, show its state")
    actions = parser.add_subparsers(dest="index_action", metavar="ACTION", required=True)
    actions.add_parser("init", help="install the template; create the first index, aliases and raw store "
                                    "unless they exist").set_defaults(func=run_init)
    status = actions.add_parser("status", help="which concrete index the aliases point at, with counts")
    status.add_argument("--json", action="store_true", help="print JSON instead of text")
    status.set_defaults(func=run_status)


def run_init(args: argparse.Namespace) -> int:
    from indexer import config
    from indexer.es import make_client
    from indexer.index import lifecycle, mapping, raw_store
    from indexer.index.names import IndexNames

    settings = config.load()
    client = make_client(settings.es)
    names = IndexNames.from_settings(settings.index)
    current = lifecycle.ensure_index(client, names, mapping.load("pages"))
    raw_store.ensure(client, names)
    print(f"{names.read_alias} -> {current}; raw store {names.raw}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    from indexer import config
    from indexer.es import make_client
    from indexer.index.names import IndexNames
    from indexer.index.status import describe

    settings = config.load()
    state = describe(make_client(settings.es), IndexNames.from_settings(settings.index))
    if args.json:
        print(json.dumps(state, indent=2))
        return 0
    print(_text(state))
    return 0 if state["read"] else 3


def _text(state: dict[str, Any]) -> str:
    lines = [f"read alias  {state['read_alias']} -> {', '.join(state['read']) or '(none)'}",
             f"write alias {state['write_alias']} -> {', '.join(state['write']) or '(none)'}",
             f"mapping version in mappings/pages.json: {state['mapping_version']}",
             f"rollback target: {state['previous'] or '(none)'}"]
    for index in state["indices"]:
        live = " (live)" if index["name"] in state["read"] else ""
        lines.append(f"  {index['name']}{live}: {index['docs']} docs, {index['bytes']} bytes")
    raw = state["raw"]
    lines.append(f"raw store {raw['name']}: {raw['docs']} pages, {raw['bytes']} bytes" if raw
                 else "raw store: not created")
    return "\n".join(lines)
