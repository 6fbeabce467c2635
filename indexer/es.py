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
    return Elasticsearch(hosts(settings.es_url), **options)  # type: ignore[arg-type]


def hosts(es_url: str) -> list[str]:
    """``PAGESIFT_ES_URL`` may list several nodes of one cluster, comma-separated: the client
    spreads requests over them and, when one is down, retries the request on another."""
    return [url.strip() for url in es_url.split(",") if url.strip()]
