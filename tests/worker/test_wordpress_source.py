"""A real WordPress through the whole pipeline (real Celery worker, Redis, Elasticsearch):
read through its REST API, synced after edits, and crawled through its own sitemap."""

from __future__ import annotations

import json
import subprocess
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from samples.wordpress.expected import mismatches
from worker.context import job_store

pytestmark = pytest.mark.integration


@pytest.fixture
def stack(kit, wordpress, es, redis_client, tmp_path) -> Iterator[Callable[[], SimpleNamespace]]:  # type: ignore[no-untyped-def]
    """A worker on an index of its own, allowed to fetch the test WordPress at full speed."""
    ports = [s.site.port for s in wordpress.sites.values()]
    started: list[SimpleNamespace] = []

    def make() -> SimpleNamespace:
        settings = kit.settings(f"test-{uuid.uuid4().hex[:10]}", ports)
        worker = kit.Worker(settings, tmp_path / f"worker-{len(started)}.log").start()
        started.append(SimpleNamespace(settings=settings, worker=worker, store=job_store(settings)))
        return started[-1]

    yield make
    for one in started:
        one.worker.stop()
        kit.cleanup(one.settings)


def _ingest(kit, stack: SimpleNamespace, *args: str) -> Any:  # type: ignore[no-untyped-def]
    done = subprocess.run([kit.python, "-m", "pagesift.cli", "ingest", *args, "--wait"],
                          env=kit.env_for(stack.settings), capture_output=True, text=True, timeout=600,
                          cwd=kit.repo)
    assert done.returncode == 0, done.stdout + done.stderr
    return stack.store.records.get(done.stdout.splitlines()[0])


def _documents(es, stack: SimpleNamespace, base: str) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    alias = stack.settings.index.prefix
    es.indices.refresh(index=alias)
    hits = es.search(index=alias, query={"prefix": {"url": base + "/"}}, size=1000)["hits"]["hits"]
    return {h["_source"]["url"]: h["_source"] for h in hits}


def _expected(site) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {site.link(p.key): p for p in site.content.posts if p.searchable}


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_rest_api_gives_every_published_post_once_with_exact_facts(kit, wordpress, stack, es, language):
    site, one = wordpress.sites[language], stack()
    job = _ingest(kit, one, site.base_url + "/")  # a site root: its API is found and used
    pages = one.store.ledger.pages(job.id)
    assert all(p.url.startswith(site.base_url) for p in pages)
    assert {p.state for p in pages} <= {"indexed", "skipped"}
    # The password-protected post is listed by the API and skipped for what it is.
    assert Counter(p.reason.split(":")[0] for p in pages if p.state == "skipped") == Counter(
        {"protected": sum(bool(p.password) for p in site.content.posts)})
    found = _documents(es, one, site.base_url)
    expected = _expected(site)
    assert sorted(found) == sorted(expected)
    wrong = {post.key: m for url, post in expected.items()
             if (m := mismatches(found[url], post, site.content))}
    assert wrong == {}
    assert all(found[url]["content"].startswith(post.paragraphs[0][:40]) for url, post in expected.items())


def test_a_sync_takes_an_edit_a_new_post_and_an_unpublished_one(kit, wordpress, stack, es):
    site, one = wordpress.sites["en"], stack()
    made = site.site.php_json("""
        $ids = array();
        foreach (array('Harbour lights', 'Quarry closure') as $title) {
            $text = str_repeat($title . ' was discussed by the council at length. ', 12);
            $ids[] = wp_insert_post(array('post_title' => $title, 'post_status' => 'publish',
                                          'post_content' => "<p>$text</p>"));
        }
        return $ids;""")
    try:
        first = _ingest(kit, one, site.base_url + "/")
        edited, unpublished = made
        changed = site.site.php_json(f"""
            $text = str_repeat('Edited: the harbour lights stay on all night. ', 12);
            wp_update_post(array('ID' => {edited}, 'post_content' => "<p>$text</p>"));
            wp_update_post(array('ID' => {unpublished}, 'post_status' => 'draft'));
            $new = wp_insert_post(array('post_title' => 'Ferry strike', 'post_status' => 'publish',
                'post_content' => '<p>' . str_repeat('The ferry crews stopped work at noon. ', 12) . '</p>'));
            return array('new' => $new, 'links' => array_map('get_permalink', array({edited}, $new)),
                         'gone' => home_url('/?p={unpublished}'));""")
        made.append(changed["new"])
        second = _ingest(kit, one, site.base_url + "/")
        pages = {p.url: p for p in one.store.ledger.pages(second.id)}
        edited_link, new_link = changed["links"]
        assert pages[edited_link].state == "indexed" and pages[new_link].state == "indexed"
        gone = [p for p in pages.values() if p.reason.startswith("gone")]
        assert len(gone) == 1 and "/quarry-closure/" in gone[0].url
        # Only what changed is asked again, not the site's 58 posts.
        assert second.total <= 6 < first.total
        found = _documents(es, one, site.base_url)
        assert found[edited_link]["content"].startswith("Edited: the harbour lights")
        assert new_link in found and gone[0].url not in found
    finally:
        site.site.php(f"foreach ({json.dumps(made)} as $id) {{ wp_delete_post($id, true); }}")


def test_the_sitemap_crawl_accounts_for_every_url(kit, wordpress, stack, es):
    site, one = wordpress.sites["en"], stack()
    job = _ingest(kit, one, site.base_url + "/wp-sitemap.xml")
    pages = one.store.ledger.pages(job.id)
    reasons = Counter(p.reason.split(":")[0] if p.state == "skipped" else p.state for p in pages)
    expected = _expected(site)
    # Published posts and pages indexed, the protected one skipped as such; the home page and
    # the term, format and author archives skipped as listings; nothing gone, nothing failed.
    assert reasons == Counter({"indexed": len(expected), "protected": 1,
                               "listing": reasons["listing"]}), reasons
    listings = [p.url for p in pages if p.reason == "listing"]
    # WordPress lists its home page (the latest posts) first in the pages' sitemap.
    archives = ("/category/", "/tag/", "/type/", "/author/")
    odd = [url for url in listings if url != site.base_url + "/" and not any(a in url for a in archives)]
    assert odd == []
    found = _documents(es, one, site.base_url)
    assert sorted(found) == sorted(expected)
    wrong = {post.key: m for url, post in expected.items()
             if (m := mismatches(found[url], post, site.content, dated=False, markup=True))}
    assert wrong == {}
