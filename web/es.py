"""The app's one Elasticsearch client, built on first use and kept on the app."""

from __future__ import annotations

from elasticsearch import Elasticsearch
from flask import Flask

from indexer.es import make_client
from web.app_state import kept

_EXTENSION = "pagesift_es"


def client(app: Flask | None = None) -> Elasticsearch:
    return kept(_EXTENSION, _build, app)


def _build(app: Flask) -> Elasticsearch:
    from web import settings_of

    settings = settings_of(app)
    # The client waits a little longer than the search's own budget, so that a slow search
    # comes back as ES's partial answer rather than as a client timeout.
    return make_client(settings.es, timeout=settings.web.search_timeout + 1.0, retries=1)
