"""The app's one Elasticsearch client, built on first use and kept on the app."""

from __future__ import annotations

import threading

from elasticsearch import Elasticsearch
from flask import Flask, current_app

from indexer.es import make_client

_EXTENSION = "pagesift_es"
_lock = threading.Lock()


def client(app: Flask | None = None) -> Elasticsearch:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    es: Elasticsearch | None = app.extensions.get(_EXTENSION)
    if es is None:
        with _lock:
            es = app.extensions.get(_EXTENSION)
            if es is None:
                from web import settings_of

                settings = settings_of(app)
                # The client waits a little longer than the search's own budget, so that a slow
                # search comes back as ES's partial answer rather than as a client timeout.
                es = make_client(settings.es, timeout=settings.web.search_timeout + 1.0, retries=1)
                app.extensions[_EXTENSION] = es
    return es
