"""A CMS pushing its posts through the admin API, carried by a real Celery worker into real
Elasticsearch: exact facts, edits, unpublishes, batches, takedowns respected, jobs out of order."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

pytestmark = pytest.mark.integration

SITE = "https://blog.example.org"
BODY = ("<p>The city council voted on Tuesday to extend the night bus network to the northern "
        "districts, after two years of petitions from residents and shift workers.</p>"
        "<p>Service starts in March, with buses every twenty minutes until four in the morning.</p>")


def post(n: int, **facts: Any) -> dict[str, Any]:
    page = {"title": f"Night buses reach the north, part {n}", "content": BODY + f"<p>Part {n}.</p>",
            "categories": ["City", "Transport"], "tags": ["buses", "night"], "authors": ["Dana Reyes"],
            "published": "2024-02-06T08:15:00+00:00", "modified": "2024-02-07T10:00:00+00:00",
            "language": "en", "type": "post", "description": "The council extends the night buses."}
    page.update(facts)
    return page


@pytest.fixture(scope="module")
def push(admin_kit, kit, tmp_path_factory) -> Iterator[SimpleNamespace]:  # type: ignore[no-untyped-def]
    """An admin app and a real worker on a namespace and index prefix of their own, for the
    module (each test uses URLs of its own)."""
    from web import settings_of
    from web.admin import services

    namespace = f"test-push-{uuid.uuid4().hex[:8]}"
    settings = kit.settings(namespace, [])
    app = admin_kit.make_app(redis_namespace=namespace, index_prefix=namespace,
                             worker_concurrency=2)
    worker = kit.Worker(settings, tmp_path_factory.mktemp("push") / "worker.log").start()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {admin_kit.token}"}

    def send(body: dict[str, Any]) -> Any:
        response = client.post("/api/admin/pages", json=body, headers=headers)
        assert response.status_code == 202, response.get_json()
        return kit.wait_job(services.jobs(app), response.get_json()["job"]["id"], timeout=60)

    def doc(url: str) -> dict[str, Any] | None:
        es = services.es(app)
        es.indices.refresh(index=services.names(app).read_alias)
        hits = es.search(index=services.names(app).read_alias, query={"term": {"url": url}})["hits"]["hits"]
        return hits[0]["_source"] if hits else None

    try:
        yield SimpleNamespace(app=app, send=send, doc=doc, client=client, headers=headers,
                              settings=settings_of(app))
    finally:
        worker.stop()
        kit.cleanup(settings)


def test_a_pushed_post_is_indexed_with_the_facts_it_was_pushed_with(push) -> None:  # type: ignore[no-untyped-def]
    url = f"{SITE}/2024/02/night-buses/"
    job = push.send({"url": url, "action": "upsert", "page": post(1)})
    assert (job.status, job.indexed) == ("succeeded", 1)
    indexed = push.doc(url)
    assert indexed is not None
    assert indexed["title"] == "Night buses reach the north, part 1"
    assert indexed["categories"] == ["City", "Transport"] and indexed["tags"] == ["buses", "night"]
    assert indexed["authors"] == ["Dana Reyes"] and indexed["type"] == "post"
    assert indexed["published"].startswith("2024-02-06T08:15:00") and indexed["language"] == "en"
    assert "Service starts in March" in indexed["content"]
    # The title heads the kept page but is not repeated in the body text.
    assert not indexed["content"].startswith("Night buses")


def test_a_title_edit_alone_is_written_and_a_reclean_keeps_the_facts(push) -> None:  # type: ignore[no-untyped-def]
    from indexer.index import raw_store
    from indexer.index.preparing import Cleaning, prepare
    from web.admin import services

    url = f"{SITE}/2024/02/edited/"
    push.send({"url": url, "action": "upsert", "page": post(2)})
    edited = {"url": url, "action": "upsert", "page": post(2, title="Night buses: the new timetable")}
    job = push.send(edited)
    assert job.indexed == 1, "a changed title with the same body is not 'unchanged'"
    assert push.doc(url)["title"] == "Night buses: the new timetable"
    again = push.send(edited)
    assert (again.indexed, again.skipped) == (0, 1)  # nothing changed at all: unchanged
    # The raw store keeps the pushed page and its facts: a reclean makes the same document.
    kept = raw_store.get(services.es(push.app), services.names(push.app), url)
    assert kept is not None and kept.supplied is not None
    remade = prepare(kept, Cleaning.from_settings(push.settings.clean), kept.fetched_at)
    assert remade.document is not None
    assert remade.document.source["title"] == "Night buses: the new timetable"
    assert remade.document.source["categories"] == ["City", "Transport"]


def test_unpublish_removes_and_a_new_push_brings_it_back(push) -> None:  # type: ignore[no-untyped-def]
    from indexer.index import raw_store
    from web.admin import services

    url = f"{SITE}/2024/02/unpublished/"
    push.send({"url": url, "action": "upsert", "page": post(3)})
    job = push.send({"url": url, "action": "unpublish"})
    assert job.status == "succeeded"
    assert push.doc(url) is None
    # Kept raw as gone, so a reclean leaves it out too.
    kept = raw_store.get(services.es(push.app), services.names(push.app), url)
    assert kept is not None and kept.status == 410
    push.send({"url": url, "action": "upsert", "page": post(3)})
    assert push.doc(url) is not None, "an unpublish is not a takedown: publishing again brings it back"


def test_a_batch_is_one_job_and_the_latest_state_of_a_url_wins(push) -> None:  # type: ignore[no-untyped-def]
    from worker.sources import pushed

    urls = [f"{SITE}/2024/03/batch-{n}/" for n in range(5)]
    events = [{"url": u, "action": "upsert", "page": post(10 + n)} for n, u in enumerate(urls)]
    job = push.send({"events": events})
    assert (job.total, job.indexed) == (5, 5)
    # A push, then an unpublish of the same URL, staged before either job runs: whichever job
    # runs, the URL ends unpublished, and the second job finds nothing left to apply.
    from web.admin import services

    store, namespace = services.store(push.app), push.settings.redis.namespace
    pushed.stage(store, namespace, pushed.published(urls[0], post(99)))
    pushed.stage(store, namespace, pushed.Pushed(urls[0], pushed.UNPUBLISHED))
    first = push.send({"events": [{"url": urls[0], "action": "unpublish"}]})
    assert first.status == "succeeded" and push.doc(urls[0]) is None
    assert pushed.latest(store, namespace, urls[0]) is None, "an applied state is dropped"
    second = push.send({"events": [{"url": u, "action": "unpublish"} for u in (urls[1], urls[0])]})
    assert push.doc(urls[1]) is None and second.status == "succeeded"


def test_a_taken_down_url_stays_out_whatever_is_pushed(push) -> None:  # type: ignore[no-untyped-def]
    url = f"{SITE}/2024/04/retracted/"
    push.send({"url": url, "action": "upsert", "page": post(4)})
    response = push.client.post("/api/admin/pages", headers=push.headers,
                                json={"url": url, "action": "delete", "reason": "court order"})
    assert response.status_code == 200 and response.get_json()["removed"] is True
    job = push.send({"url": url, "action": "upsert", "page": post(4, title="Retracted, pushed again")})
    assert (job.indexed, job.skipped) == (0, 1)
    assert push.doc(url) is None


def test_a_moved_post_is_no_copy_of_its_old_address(push) -> None:  # type: ignore[no-untyped-def]
    old, new = f"{SITE}/2024/05/old-slug/", f"{SITE}/2024/05/new-slug/"
    # A text of its own: the module's other posts are near-duplicates of one another.
    moving = post(5, content="<p>The harbour master moved the ferry office to the old customs house, "
                             "next to the fish market, where it opens on Monday at nine.</p>")
    push.send({"url": old, "action": "upsert", "page": moving})
    job = push.send({"events": [{"url": old, "action": "unpublish"},
                                {"url": new, "action": "upsert", "page": moving}]})
    assert (job.indexed, job.skipped) == (1, 1)
    assert push.doc(old) is None
    moved = push.doc(new)
    assert moved is not None and "duplicate_of" not in moved
