"""/metrics: request counts and latencies per endpoint, and the pipeline read from the job store."""

from __future__ import annotations

import socket
import urllib.request
import uuid
from collections.abc import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.integration


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(text: str, name: str, **labels: str) -> float:
    return samples(text)[(name, tuple(sorted(labels.items())))]


@pytest.fixture
def metrics_app(admin_kit, redis_client, kit) -> Iterator[object]:  # type: ignore[no-untyped-def]
    namespace = f"test-{uuid.uuid4().hex[:10]}"
    app = admin_kit.make_app(redis_namespace=namespace, index_prefix=namespace)
    yield app
    from web import settings_of

    kit.cleanup(settings_of(app))


def test_requests_and_jobs_are_counted(metrics_app, es) -> None:  # type: ignore[no-untyped-def]
    from web.admin import services

    client = metrics_app.test_client()
    for _ in range(3):
        client.get("/healthz")
    client.get("/no/such/page")
    store = services.jobs(metrics_app)
    done = store.records.create("ingest", {"sources": []})
    store.records.mark_running(done.id)
    store.ledger.add_pages(done.id, [{"url": "https://a.example/1"}, {"url": "https://a.example/2"}])
    store.ledger.expansion_done(done.id)
    store.ledger.start_page(done.id, "https://a.example/1", "fetch")
    store.ledger.finish_page(done.id, "https://a.example/1", "indexed")
    store.ledger.start_page(done.id, "https://a.example/2", "fetch")
    store.ledger.finish_page(done.id, "https://a.example/2", "failed", "clean: empty document", "clean")
    store.records.create("reindex", {"mode": "reclean"})

    text = client.get("/metrics").get_data(as_text=True)
    requests = "pagesift_http_requests_total"
    assert value(text, requests, endpoint="api.healthz", method="GET", status="200") == 3
    # An unknown path is counted under one label, not under its own URL.
    assert value(text, requests, endpoint="unmatched", method="GET", status="404") == 1
    assert value(text, "pagesift_http_request_duration_seconds_count", endpoint="api.healthz",
                 method="GET") == 3
    assert value(text, "pagesift_job_pages", type="ingest", outcome="indexed") == 1
    assert value(text, "pagesift_job_pages", type="ingest", outcome="failed") == 1
    assert value(text, "pagesift_jobs", type="ingest", status="partial") == 1
    assert value(text, "pagesift_jobs", type="ingest", status="failed") == 0
    assert value(text, "pagesift_jobs", type="reindex", status="queued") == 1
    assert value(text, "pagesift_job_duration_seconds_count", type="ingest") == 1
    assert value(text, "pagesift_queue_depth") == 0
    assert value(text, "pagesift_job_store_up") == 1


def test_made_up_methods_share_one_series(metrics_app) -> None:  # type: ignore[no-untyped-def]
    client = metrics_app.test_client()
    for method in ("FOOA", "QWERTY", "X" * 40, "PROPFIND"):
        client.open("/healthz", method=method)
    client.open("/healthz", method="DELETE")
    text = client.get("/metrics").get_data(as_text=True)
    methods = {dict(labels)["method"] for name, labels in samples(text)
               if name == "pagesift_http_requests_total"}
    assert methods == {"other", "DELETE"}
    assert sum(count for (name, labels), count in samples(text).items()
               if name == "pagesift_http_requests_total" and dict(labels)["method"] == "other") == 4


def test_metrics_need_the_admin_token_in_production(admin_kit) -> None:  # type: ignore[no-untyped-def]
    app = admin_kit.make_app(production=True)
    client = app.test_client()
    assert client.get("/metrics").status_code == 401
    response = client.get("/metrics", headers={"Authorization": "Bearer " + admin_kit.token})
    assert response.status_code == 200
    assert "pagesift_http_requests_total" in response.get_data(as_text=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_gunicorn_workers_add_up_their_counts(tmp_path, es, redis_client) -> None:  # type: ignore[no-untyped-def]
    from pagesift.stack import web

    server = web.WebServer(tmp_path, "127.0.0.1", _free_port(), workers=2)
    web.start(server)
    try:
        def healthz_count() -> float:
            with urllib.request.urlopen(f"{server.url}metrics", timeout=10) as response:
                text = response.read().decode()
            return value(text, "pagesift_http_requests_total", endpoint="api.healthz", method="GET",
                         status="200")

        before = healthz_count()  # start-up health checks are counted too
        hits = 12
        for _ in range(hits):
            with urllib.request.urlopen(f"{server.url}healthz", timeout=5) as response:
                response.read()
        # Whichever worker answers the scrape, it reports every worker's requests.
        assert [healthz_count() for _ in range(3)] == [before + hits] * 3
    finally:
        web.stop(server)
