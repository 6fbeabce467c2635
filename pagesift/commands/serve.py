"""`pagesift serve`: the search app in the foreground, under gunicorn (or Flask's dev server)."""

from __future__ import annotations

import argparse
import os
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve", help="run the search page and API (gunicorn; the development server with --debug)")
    parser.add_argument("--host", help="address to bind (default PAGESIFT_WEB_HOST, 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default PAGESIFT_WEB_PORT, 8000)")
    parser.add_argument("--debug", action="store_true",
                        help="Flask's development server with the debugger and reloader: never in production")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from indexer import config
    from pagesift.stack.web import gunicorn_argv

    settings = config.load(web_host=args.host, web_port=args.port)
    if args.debug:
        if settings.production:
            print("pagesift serve: --debug is refused in production mode")
            return 2
        from web import create_app

        create_app().run(host=settings.web.host, port=settings.web.port, debug=True)
        return 0
    argv = gunicorn_argv(settings.web.host, settings.web.port, settings.web.workers, settings.web.access_log)
    # exec: signals from the terminal or a supervisor reach gunicorn itself.
    os.execv(argv[0], argv)  # noqa: S606 (a fixed argv of our own, no shell)
    return 0  # not reached
