"""The one place that builds the Elasticsearch client."""

from __future__ import annotations

from elasticsearch import Elasticsearch

from indexer.config import ElasticsearchSettings


def make_client(es: ElasticsearchSettings, *, timeout: float | None = None,
                retries: int = 3) -> Elasticsearch:
    """A client for ``es.url``; credentials and CA only when configured."""
    options: dict[str, object] = {
        "request_timeout": timeout if timeout is not None else es.timeout,
        "max_retries": retries,
        "retry_on_timeout": True,
    }
    if es.username:
        options["basic_auth"] = (es.username, es.password)
    if es.ca_certs:
        options["ca_certs"] = es.ca_certs
    return Elasticsearch(hosts(es.url), **options)  # type: ignore[arg-type]


def hosts(es_url: str) -> list[str]:
    """``PAGESIFT_ES_URL`` may list several nodes of one cluster, comma-separated: the client
    spreads requests over them and, when one is down, retries the request on another."""
    return [url.strip() for url in es_url.split(",") if url.strip()]
