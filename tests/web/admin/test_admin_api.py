"""The token API and the CMS webhook against the real Redis and Elasticsearch.

No worker runs here: these tests check what the API records and queues; the browser test
watches a real worker carry a job through.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from indexer.config import replaced

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def shared_index(es) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """One index and raw store for the module: creating them is most of a test's time."""
    from indexer.index import lifecycle, mapping, raw_store
    from indexer.index.names import IndexNames

    names = IndexNames(f"test-{uuid.uuid4().hex[:10]}")
    lifecycle.ensure_index(es, names, mapping.load())
    raw_store.ensure(es, names)
    yield names.prefix
    for name in [c.name for c in lifecycle.concrete_indices(es, names)] + [names.raw]:
        es.options(ignore_status=404).indices.delete(index=name)
    es.options(ignore_status=404).indices.delete_index_template(name=names.template)


@pytest.fixture
def api(admin_kit, kit, shared_index, redis_client) -> Iterator[SimpleNamespace]:  # type: ignore[no-untyped-def]
    from indexer.index.names import IndexNames
    from web import settings_of

    # A fresh Redis namespace per test: its own jobs, queue and takedown log.
    namespace = f"test-{uuid.uuid4().hex[:10]}"
    app = admin_kit.make_app(redis_namespace=namespace, index_prefix=shared_index)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {admin_kit.token}"}
    try:
        yield SimpleNamespace(app=app, client=client, headers=headers, names=IndexNames(shared_index),
                              post=lambda url, body: client.post(url, json=body, headers=headers),
                              get=lambda url: client.get(url, headers=headers))
    finally:
        # The namespace's Redis keys; the shared index stays for the module's other tests.
        kit.cleanup(replaced(settings_of(app), index_prefix=namespace))


def test_ingest_job_is_created_queued_listed_and_shown(api) -> None:  # type: ignore[no-untyped-def]
    from web.admin import status

    response = api.post("/api/admin/jobs", {"type": "ingest", "sources": ["https://news.example/sitemap.xml"]})
    assert response.status_code == 202
    job = response.get_json()
    assert job["status"] == "queued" and job["type"] == "ingest"
    assert response.headers["Location"] == f"/api/admin/jobs/{job['id']}"
    assert job["params"]["sources"] == [{"kind": "url", "location": "https://news.example/sitemap.xml"}]
    # Really on the broker's queue, for a worker to take.
    assert status.queue_length(api.app) == 1
    listed = api.get("/api/admin/jobs").get_json()["jobs"]
    assert [j["id"] for j in listed] == [job["id"]]
    shown = api.get(f"/api/admin/jobs/{job['id']}").get_json()
    assert shown["failures"] == [] and shown["progress"]["percent"] == 0


def test_failures_retry_and_cancel(api) -> None:  # type: ignore[no-untyped-def]
    from web.admin import services, status

    store = services.jobs(api.app)
    job = store.records.create("ingest", {"sources": []})
    store.records.mark_running(job.id)
    urls = ["https://news.example/a", "https://news.example/b"]
    store.ledger.add_pages(job.id, [{"url": u} for u in urls])
    store.ledger.expansion_done(job.id)
    for url in urls:
        store.ledger.start_page(job.id, url, "fetch")
    store.ledger.finish_page(job.id, urls[0], "indexed")
    store.ledger.finish_page(job.id, urls[1], "failed", "fetch: HTTP 500", "fetch")

    shown = api.get(f"/api/admin/jobs/{job.id}").get_json()
    assert shown["status"] == "partial" and shown["progress"]["percent"] == 100
    assert shown["status_label"] == "finished with 1 failure"
    assert [(r["number"], r["status"], r["total"]) for r in shown["runs"]] == [(1, "partial", 2)]
    assert shown["failures"] == [{"url": urls[1], "stage": "fetch", "reason": "fetch: HTTP 500",
                                  "attempts": 1}]

    assert api.post(f"/api/admin/jobs/{job.id}/retry", {}).get_json() == {"id": job.id, "retried": 1}
    assert status.queue_length(api.app) == 1
    again = api.get(f"/api/admin/jobs/{job.id}").get_json()
    assert again["status"] == "running" and again["failed"] == 0
    runs = [(r["number"], r["status"], r["total"]) for r in again["runs"]]
    assert runs == [(1, "partial", 2), (2, "running", 1)], "the retry is a run of its own"

    assert api.post(f"/api/admin/jobs/{job.id}/cancel", {}).get_json() == {"id": job.id, "cancelled": True}
    assert api.get(f"/api/admin/jobs/{job.id}").get_json()["status"] == "cancelled"
    assert api.post(f"/api/admin/jobs/{job.id}/cancel", {}).get_json()["cancelled"] is False


def test_reindex_job(api) -> None:  # type: ignore[no-untyped-def]
    response = api.post("/api/admin/jobs", {"type": "reindex", "mode": "reclean"})
    assert response.status_code == 202
    assert response.get_json()["type"] == "reindex" and response.get_json()["params"] == {"mode": "reclean"}


BAD_BODIES = [
    ({"type": "ingest", "sources": ["/etc/passwd"]}, "http(s) URL"),
    ({"type": "ingest", "sources": []}, "non-empty"),
    ({"type": "ingest"}, "non-empty"),
    ({"type": "reindex", "mode": "everything"}, "reclean"),
    ({"type": "delete"}, "ingest"),
    ([1, 2], "JSON object"),
]


def test_bad_bodies_are_400_and_create_nothing(api) -> None:  # type: ignore[no-untyped-def]
    for body, needle in BAD_BODIES:
        response = api.post("/api/admin/jobs", body)
        assert response.status_code == 400, body
        assert needle in response.get_json()["message"], body
    assert api.get("/api/admin/jobs").get_json()["jobs"] == []


def test_unknown_job_is_404(api) -> None:  # type: ignore[no-untyped-def]
    assert api.get("/api/admin/jobs/nosuchjob").status_code == 404
    assert api.post("/api/admin/jobs/nosuchjob/retry", {}).status_code == 404


def test_webhook_upsert_queues_a_one_page_job(api) -> None:  # type: ignore[no-untyped-def]
    url = "https://news.example/2024/new-article/"
    response = api.post("/api/admin/pages", {"url": url, "action": "upsert"})
    assert response.status_code == 202
    job = response.get_json()["job"]
    assert job["params"]["sources"] == [{"kind": "url", "location": url}]


def test_webhook_delete_takes_the_page_down_everywhere_with_its_reason(api, es) -> None:  # type: ignore[no-untyped-def]
    from indexer.index import raw_store, takedown_list
    from indexer.index.bulk import BulkOptions
    from indexer.index.indexing import index_pages
    from indexer.index.raw_store import RawPage
    from web import settings_of
    from web.admin import services

    url = "https://news.example/2024/retracted/"
    page = {"url": url, "title": "Retracted", "content": "Soon gone.", "kind": "article",
            "content_hash": uuid.uuid4().hex}
    assert not index_pages(es, api.names.write_alias, [page], BulkOptions()).failures
    raw_store.put(es, api.names, RawPage(url, b"<html>Soon gone.</html>", datetime.now(UTC)))
    es.indices.refresh(index=api.names.read_alias)
    assert es.count(index=api.names.read_alias)["count"] == 1

    response = api.post("/api/admin/pages", {"url": url, "action": "delete", "reason": "legal request"})
    assert response.status_code == 200
    assert response.get_json()["removed"] is True
    assert es.count(index=api.names.read_alias)["count"] == 0
    assert raw_store.get(es, api.names, url) is None
    log = takedown_list.recent(services.store(api.app), settings_of(api.app).redis.namespace)
    assert [(t.url, t.reason, t.by) for t in log] == [(url, "legal request", "api")]


def test_webhook_refuses_bad_events(api) -> None:  # type: ignore[no-untyped-def]
    assert api.post("/api/admin/pages", {"url": "https://a.example/", "action": "publish"}).status_code == 400
    assert api.post("/api/admin/pages", {"url": "file:///etc/passwd", "action": "upsert"}).status_code == 400


def test_openapi_document_has_the_admin_api(api) -> None:  # type: ignore[no-untyped-def]
    doc = api.client.get("/api/openapi.json").get_json()
    assert doc["components"]["securitySchemes"]["adminToken"]["scheme"] == "bearer"
    for path in ("/api/admin/jobs", "/api/admin/jobs/{job_id}", "/api/admin/jobs/{job_id}/retry",
                 "/api/admin/jobs/{job_id}/cancel", "/api/admin/pages"):
        for operation in doc["paths"][path].values():
            assert operation["security"] == [{"adminToken": []}]
