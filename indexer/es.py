"""The one place that builds the Elasticsearch client."""

from __future__ import annotations

from elasticsearch import Elasticsearch

from indexer.config import Settings


def make_client(settings: Settings, *, timeout: float | None = None, retries: int = 3) -> Elasticsearch:
    """A client for ``settings.es_url``; credentials and CA only when configured."""
    options: dict[str, object] = {
        "request_timeout": timeout if timeout is not None else settings.es_timeout,
        "max_retries": retries,
        "retry_on_timeout": True,
    }
    if settings.es_username:
        options["basic_auth"] = (settings.es_username, settings.es_password)
    if settings.es_ca_certs:
        options["ca_certs"] = settings.es_ca_certs
    return Elasticsearch(settings.es_url, **options)  # type: ignore[arg-type]
