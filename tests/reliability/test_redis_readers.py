"""Redis stopped while readers search and editors save, against gunicorn (one worker of four
threads, so a few hanging requests would starve it) on a private redis-server:

- readers: eight clients loop over every reader path (the page, the API, autocomplete, related
  articles as a page, as JSON and embedded) before, during and after the outage;
- an editor signed in before the outage saves a synonym rule during it (curation lives in
  Elasticsearch), and a sign-in during it is refused at once (the sign-in limit fails closed).

Pass: no reader request fails or takes over 3 s; the editor's save goes through; once Redis is
back, a past-query suggestion is offered again.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from bench.common import corpus_index
from bench.common.web import NO_RATE_LIMIT, gunicorn
from indexer import config
from indexer.es import make_client
from pagesift.stack import redis as stack_redis
from tests.reliability.conftest import env_seconds, private_redis

pytestmark = pytest.mark.reliability

OUTAGE = env_seconds("REDIS_OUTAGE", 30)
DOCS = 300
READERS = 8
WITHIN_S = 3.0
PASSWORD = "reliability horse battery staple"
UA = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}


@pytest.fixture
def served(settings, tmp_path) -> Iterator[tuple[str, Any]]:  # type: ignore[no-untyped-def]
    from web.admin import auth

    name = f"rel-redis-{uuid.uuid4().hex[:8]}"
    with private_redis(tmp_path) as server:
        own = config.load(index_prefix=name, redis_namespace=name, redis_url=server.url,
                          admin_password_hash=auth.hash_password(PASSWORD), secret_key="reliability",
                          search_mode="lexical", searchlog_flush_seconds=0.2, searchlog_suggest_min_count=1,
                          # On, so its storage is one more reader path on Redis, but out of reach of
                          # eight clients sharing one address.
                          web_rate_limit=NO_RATE_LIMIT, suggest_rate_limit=NO_RATE_LIMIT)
        es = make_client(own.es, timeout=120)
        corpus_index.load(es, own, DOCS)
        try:
            with gunicorn(own, tmp_path / "web.log", workers=1) as base:
                yield base, server
        finally:
            corpus_index.drop(es, own)
            es.close()


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, "no CSRF token"
    return found.group(1)


def _sign_in(base: str) -> tuple[requests.Session, int]:
    session = requests.Session()
    token = _csrf(session.get(f"{base}/admin/sign-in", timeout=10).text)
    answer = session.post(f"{base}/admin/sign-in", data={"secret": PASSWORD, "csrf_token": token},
                          headers={"Origin": base}, timeout=10, allow_redirects=False)
    return session, answer.status_code


def _save_synonym(session: requests.Session, base: str, rule: str) -> int:
    form = session.get(f"{base}/admin/curation/synonyms/new", timeout=10).text
    answer = session.post(f"{base}/admin/curation/synonyms/new", timeout=30, allow_redirects=False,
                          headers={"Origin": base},
                          data={"csrf_token": _csrf(form), "rule": rule, "note": "", "action": "save"})
    return answer.status_code


def _reader_paths(base: str) -> list[str]:
    hits = requests.get(f"{base}/api/search?q=debian&size=3", timeout=10, headers=UA).json()["hits"]
    article = hits[0]["url"]
    return ["/?q=debian+package", "/api/search?q=network+configuration", "/api/suggest?q=deb",
            f"/api/related?url={article}", f"/related?url={article}", f"/embed/related?url={article}"]


def test_redis_stopped_while_readers_search_and_editors_save(served, figures) -> None:  # type: ignore[no-untyped-def]
    base, server = served
    paths = _reader_paths(base)
    requests.get(f"{base}/?q=debian+package", timeout=10, headers=UA)  # a past query to suggest
    editor, status = _sign_in(base)
    assert status in (302, 303), status
    results: list[tuple[str, float, int, str]] = []  # phase, seconds, status, path
    phase = ["before"]
    stop = threading.Event()

    def read(n: int) -> None:
        client = requests.Session()
        i = n
        while not stop.is_set():
            path = paths[i % len(paths)]
            i += 1
            started = time.monotonic()
            try:
                code = client.get(f"{base}{path}", timeout=30, headers=UA).status_code
            except requests.RequestException:
                code = 0
            results.append((phase[0], time.monotonic() - started, code, path))

    readers = [threading.Thread(target=read, args=(n,)) for n in range(READERS)]
    for reader in readers:
        reader.start()
    try:
        time.sleep(3)
        stack_redis.stop(server)
        phase[0] = "during"
        time.sleep(1)
        saved = _save_synonym(editor, base, f"debian, deb{uuid.uuid4().hex[:4]}")
        _, refused = _sign_in(base)
        time.sleep(max(OUTAGE - 1, 1))
        stack_redis.start(server)
        phase[0] = "after"
        time.sleep(6)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    suggested = requests.get(f"{base}/api/suggest?q=debian+p", timeout=10, headers=UA).json()["suggestions"]

    by_phase = {name: [r for r in results if r[0] == name] for name in ("before", "during", "after")}
    figures.update({
        name: {"requests": len(rows), "failed": sum(r[2] != 200 for r in rows),
               "slowest_s": round(max((r[1] for r in rows), default=0.0), 2),
               "p50_ms": round(1000 * sorted(r[1] for r in rows)[len(rows) // 2]) if rows else None}
        for name, rows in by_phase.items()})
    figures.update(outage_s=OUTAGE, editor_save=saved, sign_in_during_outage=refused,
                   past_query_after=[s["title"] for s in suggested if s["url"] is None])
    failed = [(r[0], r[3], r[2], round(r[1], 2)) for r in results if r[2] != 200 or r[1] > WITHIN_S]
    assert by_phase["during"], "no reader request ran during the outage"
    assert failed == []
    assert saved in (302, 303), f"the editor's save answered {saved}"
    assert refused not in (302, 303), "a sign-in went through with its limit uncounted"
    assert "debian package" in figures["past_query_after"]
