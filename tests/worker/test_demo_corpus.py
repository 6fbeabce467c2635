"""The demo's site through the real pipeline: the near-duplicate detector hides only the
copies the demo makes on purpose, and the job reads as it should.

Needs the Debian handbook's cached prose (`pagesift sample build` fetches it once into
``<home>/samples/cache``); skipped without it, since fetching it needs apt and a mirror.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from indexer import config
from samples import prose, serve, site
from worker import submit
from worker.app import create_celery
from worker.context import job_store

pytestmark = pytest.mark.integration


def _book() -> prose.Prose:
    for home in (config.load().home, config.PROJECT_ROOT / ".pagesift"):
        cached = prose.cache_dir(home) / f"{prose.PACKAGE}.json"
        if cached.exists():
            return prose.Prose.from_json(cached.read_text(encoding="utf-8"))
    pytest.skip("the Debian handbook's prose is not cached: run `pagesift sample build` once")


@pytest.fixture(scope="module")
def demo(kit, es, redis_client, tmp_path_factory) -> Iterator[SimpleNamespace]:  # type: ignore[no-untyped-def]
    book = _book()
    port = kit.free_port()
    out = tmp_path_factory.mktemp("demo-site")
    report = site.build(out, book.sections, base_url=f"http://127.0.0.1:{port}")
    server = serve.make_server(out, port, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings = kit.settings(f"test-{uuid.uuid4().hex[:10]}", [port], ingest_batch_size=20)
    worker = kit.Worker(settings, tmp_path_factory.mktemp("worker") / "worker.log").start()
    try:
        store = job_store(settings)
        job = submit.ingest(create_celery(settings), store.records, [f"http://127.0.0.1:{port}/sitemap.xml"])
        yield SimpleNamespace(job=kit.wait_job(store, job.id, 600), store=store, plan=report.plan,
                              base=f"http://127.0.0.1:{port}", settings=settings)
    finally:
        worker.stop()
        server.shutdown()
        server.server_close()
        kit.cleanup(settings)


def test_only_the_planned_copies_are_near_duplicates(demo, es) -> None:  # type: ignore[no-untyped-def]
    from indexer.index.names import IndexNames

    alias = IndexNames.from_settings(demo.settings.index).read_alias
    hits = es.search(index=alias, query={"exists": {"field": "duplicate_of"}}, size=1000,
                     source=["url", "duplicate_of"])["hits"]["hits"]
    hidden = sorted(h["_source"]["url"].removeprefix(demo.base) for h in hits)
    planned = sorted(d.path for d in demo.plan.duplicates if not d.amp)
    assert hidden == planned, (hidden, planned)
    skipped = Counter(p.reason.split(":")[0] for p in demo.store.ledger.pages(demo.job.id, "skipped"))
    assert skipped["duplicate"] <= len(demo.plan.duplicates), skipped


def test_the_demo_job_reads_by_its_outcomes(demo) -> None:  # type: ignore[no-untyped-def]
    from worker.jobs.model import final_status

    job = demo.job
    failures = demo.store.ledger.pages(job.id, "failed")
    print("demo job:", job.total, "pages,", job.indexed, "indexed,", job.skipped, "skipped,", job.failed,
          "failed:", [(f.url, f.stage, f.reason) for f in failures],
          Counter(p.reason.split(":")[0] for p in demo.store.ledger.pages(job.id, "skipped")))
    # Only the broken pages the demo makes on purpose may fail, and they never fail the job.
    assert {f.url.removeprefix(demo.base) for f in failures} <= set(demo.plan.broken), failures
    assert job.status == final_status(job.indexed, job.skipped, job.failed) != "failed", job
    assert job.indexed > 500 and job.total == job.done
