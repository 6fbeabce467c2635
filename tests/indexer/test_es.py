"""The one place that builds the Elasticsearch client: several nodes of one cluster."""

from __future__ import annotations

from indexer import config
from indexer.es import hosts, make_client


def test_several_nodes_comma_separated_become_one_client_over_all() -> None:
    assert hosts("http://127.0.0.1:9200") == ["http://127.0.0.1:9200"]
    assert hosts(" http://a:9200, http://b:9200 ,,http://c:9200") == [
        "http://a:9200", "http://b:9200", "http://c:9200"]
    client = make_client(config.load(es_url="http://a:9200,http://b:9201").es)
    nodes = sorted(f"{n.config.host}:{n.config.port}" for n in client.transport.node_pool.all())
    assert nodes == ["a:9200", "b:9201"]
