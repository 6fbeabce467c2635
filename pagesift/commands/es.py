"""`pagesift es fetch|start|stop|status`: the embedded Elasticsearch node."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("es", help="the embedded Elasticsearch node")
    actions = parser.add_subparsers(dest="es_action", metavar="ACTION", required=True)
    for name, helptext in (("fetch", "download the distribution (Maven) and build the plugin"),
                           ("start", "start the node in the background and wait for it"),
                           ("stop", "stop the node"),
                           ("status", "show whether the node is up")):
        action = actions.add_parser(name, help=helptext)
        action.add_argument("--port", type=int, help="HTTP port (default PAGESIFT_ES_PORT, 9200)")
        if name == "start":
            action.add_argument("--heap", help="JVM heap, e.g. 1g (default PAGESIFT_ES_HEAP)")
        action.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from indexer import config
    from pagesift.stack import elasticsearch as es
    from pagesift.stack.process import ServiceError

    settings = config.load(es_port=args.port, es_heap=getattr(args, "heap", None))
    node = es.EmbeddedNode.from_settings(settings)
    try:
        return _ACTIONS[args.es_action](node)
    except ServiceError as exc:
        print(f"pagesift es {args.es_action}: {exc}", file=sys.stderr)
        return 1


def _fetch(node: Any) -> int:
    from pagesift.stack import elasticsearch as es

    print(es.fetch(node))
    return 0


def _start(node: Any) -> int:
    from pagesift.stack import elasticsearch as es

    pid = es.start(node)
    print(f"Elasticsearch {es.es_version()} is up at {node.url} (pid {pid})")
    return 0


def _stop(node: Any) -> int:
    from pagesift.stack import elasticsearch as es

    print("stopped" if es.stop(node) else "was not running")
    return 0


def _status(node: Any) -> int:
    from pagesift.stack import elasticsearch as es

    state = es.health(node.url) if node.pid() else None
    if state is None:
        print(f"down ({node.url})")
        return 3
    print(f"up at {node.url}, pid {node.pid()}, cluster {state.get('cluster_name')} {state.get('status')}")
    return 0


_ACTIONS = {"fetch": _fetch, "start": _start, "stop": _stop, "status": _status}
