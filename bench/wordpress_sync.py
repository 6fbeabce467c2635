"""Push or fetch: how the WordPress plugin should tell pagesift about a post, measured.

The same real stack as the plugin's tests (Debian's WordPress with the sample posts, a Celery
worker, the web app under gunicorn, the test Elasticsearch and Redis), two routes:

- push: the plugin sends the post itself (title, rendered body, terms, author, dates,
  language, link); pagesift stages it and ingests it without a fetch;
- fetch: the plugin sends only the address (`{"url", "action": "upsert"}`) and pagesift fetches
  the page from the site and cleans it like any crawled page (best case: the site on pagesift's
  fetch allowlist, no politeness delay).

Measured: save-to-searchable latency (a post saved through WordPress's PHP API, in its own
process as an editor's save request is, until /api/search finds it), exactness of the indexed
metadata against WordPress's own values for every published post of the sample (title,
categories, tags, author, published and modified dates), the body's token F1 against the
post's rendered text, and whether the route works when pagesift cannot reach the site (its
fetch guard refusing the site's address, as for a site on a private network).

    .venv/bin/python bench/wordpress_sync.py [--saves 30]

Results: bench/results/wordpress_sync.json (the fetch route is the baseline of each ratio).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.common.output import write_results  # noqa: E402
from indexer import config  # noqa: E402
from indexer.config import Settings  # noqa: E402

PLUGIN = REPO / "integrations" / "wordpress" / "pagesift"
TOKEN = "bench-wordpress-sync-token-0123456789"
FIELDS = ("title", "categories", "tags", "authors", "published", "modified")


def http(url: str, body: dict[str, Any] | None = None, timeout: float = 30) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={
        "Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except OSError:
        return 0, None


class Stack:
    """A worker and the web app on a namespace of their own."""

    def __init__(self, settings: Settings, logs: Path) -> None:
        self.settings, self.logs = settings, logs
        self.procs: list[subprocess.Popen[bytes]] = []
        self.url = f"http://127.0.0.1:{settings.web.port}"

    def start(self) -> None:
        from pagesift.stack.web import gunicorn_argv
        from pagesift.stack.worker import ping, settings_env, worker_argv

        env = settings_env(self.settings)
        node = f"{self.settings.redis.namespace}@bench"
        for argv, log in ((worker_argv(self.settings, node, loglevel="WARNING"), "worker.log"),
                          (gunicorn_argv("127.0.0.1", self.settings.web.port, 1), "web.log")):
            with (self.logs / log).open("ab") as out:
                self.procs.append(subprocess.Popen(argv, env=env, cwd=REPO, stdout=out,
                                                   stderr=subprocess.STDOUT, start_new_session=True))
        deadline = time.monotonic() + 90
        while not (ping(self.settings, node, 1.0) and http(f"{self.url}/healthz")[0] in (200, 503)):
            if time.monotonic() > deadline:
                raise RuntimeError("the stack did not start; see " + str(self.logs))
            time.sleep(0.5)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(60)
        self.procs = []

    def hits(self, q: str) -> list[dict[str, Any]]:
        query = urllib.parse.urlencode({"q": q, "size": 50, "mode": "lexical"})
        return list((http(f"{self.url}/api/search?{query}")[1] or {}).get("hits", []))

    def indexed(self) -> dict[str, dict[str, Any]]:
        from elasticsearch.helpers import scan

        from indexer.es import make_client

        es = make_client(self.settings.es)
        es.indices.refresh(index=self.settings.index.prefix)
        return {h["_source"]["url"]: h["_source"] for h in scan(es, index=self.settings.index.prefix)}

    def clear(self) -> None:
        """Every document out of the index and the raw store (the embedded node has no
        delete-by-query: a scan and a bulk delete)."""
        from elasticsearch.helpers import bulk, scan

        from indexer.es import make_client

        es = make_client(self.settings.es)
        for index in (self.settings.index.prefix, f"{self.settings.index.prefix}-raw"):
            if not es.indices.exists(index=index):
                continue
            ids = [(h["_index"], h["_id"]) for h in scan(es, index=index, _source=False)]
            bulk(es, ({"_op_type": "delete", "_index": i, "_id": d} for i, d in ids), raise_on_error=False)
            es.indices.refresh(index=index)


def settings_for(namespace: str, site_port: int, *, reachable: bool) -> Settings:
    from web.admin.auth import hash_token

    host = f"127.0.0.1:{site_port}"
    allow = {"fetch_allowlist": (host,), "fetch_host_delays": (f"{host}=0",)}
    return config.load(redis_namespace=namespace, index_prefix=namespace, admin_token_hash=hash_token(TOKEN),
                       web_port=_free_port(), worker_concurrency=2, web_rate_limit="100000/minute",
                       **(allow if reachable else {}))


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _word() -> str:
    return "".join(chr(97 + b % 26) for b in uuid.uuid4().bytes[:12])


def truth(site: Any) -> dict[str, dict[str, Any]]:
    """Every published post and page as WordPress itself knows it."""
    return dict(site.php_json("""
        $out = array();
        $posts = get_posts(array('post_type' => array('post', 'page'), 'post_status' => 'publish',
                                 'numberposts' => -1, 'has_password' => false));
        foreach ($posts as $post) {
            $names = fn($tax) => is_object_in_taxonomy($post->post_type, $tax)
                ? array_map(fn($t) => html_entity_decode($t->name, ENT_QUOTES | ENT_HTML5, 'UTF-8'),
                            get_the_terms($post, $tax) ?: array()) : array();
            setup_postdata($GLOBALS['post'] = $post);
            $out[get_permalink($post)] = array(
                'title' => html_entity_decode(wp_strip_all_tags(get_the_title($post)),
                                              ENT_QUOTES | ENT_HTML5, 'UTF-8'),
                'categories' => $names('category'), 'tags' => $names('post_tag'),
                'authors' => array(get_the_author_meta('display_name', $post->post_author)),
                'published' => get_post_time('c', true, $post),
                'modified' => get_post_modified_time('c', true, $post),
                'text' => wp_strip_all_tags(apply_filters('the_content', $post->post_content)));
        }
        return $out;"""))


def _same(field: str, want: Any, got: Any) -> bool:
    if field in ("categories", "tags", "authors"):
        return sorted(want or []) == sorted(got or [])
    if field in ("published", "modified"):
        return bool(got) and str(got)[:19] == str(want)[:19]
    return bool(got) and str(want).strip() == str(got).strip()


def _f1(reference: str, candidate: str) -> float:
    want, got = Counter(re.findall(r"\w+", reference.lower())), Counter(re.findall(r"\w+", candidate.lower()))
    overlap = sum((want & got).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def exactness(known: dict[str, dict[str, Any]], indexed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    found = [url for url in known if url in indexed]
    share = {field: round(sum(_same(field, known[u][field], indexed[u].get(field)) for u in found)
                          / max(len(known), 1), 3) for field in FIELDS}
    f1 = [_f1(known[u]["text"], indexed[u].get("content", "")) for u in found]
    return {"posts": len(known), "indexed": len(found), "exact": share,
            "body_f1_mean": round(statistics.fmean(f1), 3) if f1 else 0.0}


def wait_job(stack: Stack, job_id: str, timeout: float = 300) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _, job = http(f"{stack.url}/api/admin/jobs/{job_id}")
        if job and job.get("status") in ("succeeded", "partial", "failed", "cancelled"):
            return dict(job)
        time.sleep(0.3)
    raise RuntimeError(f"job {job_id} not finished")


def save(site: Any, title: str, body: str) -> dict[str, Any]:
    out = site.php(f"""
        $started = microtime(true);
        $id = wp_insert_post(array('post_title' => {json.dumps(title)}, 'post_content' => {json.dumps(body)},
                                   'post_status' => 'publish'));
        $saved = array('returned' => microtime(true), 'url' => get_permalink($id));
        echo 'SAVED ' . wp_json_encode($saved) . "\\n";""")
    return dict(json.loads(out.split("SAVED ", 1)[1].splitlines()[0]))


def latencies(stack: Stack, site: Any, route: str, saves: int) -> list[float]:
    """Save to searchable, seconds, for ``saves`` new posts by ``route``."""
    measured = []
    for n in range(saves):
        key = _word()
        body = f"<p>The harbour {key} opens a new quay for ferries.</p>"
        saved = save(site, f"Harbour notice {n} {key}", body)
        if route == "fetch":
            # What a fetch-only plugin sends at the end of the save request.
            http(f"{stack.url}/api/admin/pages", {"url": saved["url"], "action": "upsert"})
        deadline = time.monotonic() + 60
        while not any(h["url"] == saved["url"] for h in stack.hits(key)):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{route}: {saved['url']} not searchable within 60 s")
            time.sleep(0.02)
        measured.append(time.time() - saved["returned"])
    return sorted(measured)


def summary(values: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(values), 3),
            "p95": round(values[min(len(values) - 1, round(0.95 * (len(values) - 1)))], 3),
            "max": round(values[-1], 3), "mean": round(statistics.fmean(values), 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--saves", type=int, default=30)
    args = parser.parse_args(argv)

    from pagesift.stack import wordpress_sample
    from samples.wordpress.text import catalog_prose

    base = config.load()
    sample = wordpress_sample.start(base.home, f"bench-sync-{uuid.uuid4().hex[:6]}", catalog_prose(),
                                    posts=70, ports=wordpress_sample.Ports.free())
    en = sample.sites["en"]
    site = en.site
    logs = base.home / "logs" / "bench-wordpress-sync"
    logs.mkdir(parents=True, exist_ok=True)
    namespace = f"bench-wp-{uuid.uuid4().hex[:6]}"
    stack = Stack(settings_for(namespace, site.port, reachable=True), logs)
    report: dict[str, Any] = {"saves": args.saves}
    try:
        stack.start()
        site.install_plugin(PLUGIN)
        known = truth(site)

        # Push: the plugin's full sync, then its saves.
        site.php(f"update_option('pagesift_settings', array('url' => '{stack.url}', 'token' => '{TOKEN}'));")
        started, after, jobs = time.monotonic(), 0, []
        while True:
            step = site.php_json(f"return Pagesift_Sync::full_sync_step({after});")
            if step["error"]:
                raise RuntimeError(step["error"])
            jobs += [step["job"]] if step["job"] else []
            after = step["next"]
            if step["done"]:
                break
        for job in jobs:
            wait_job(stack, job)
        report["push_sync_s"] = round(time.monotonic() - started, 2)
        report["push"] = exactness(known, stack.indexed())
        report["push_latency"] = summary(latencies(stack, site, "push", args.saves))
        print(json.dumps(report), flush=True)

        # Fetch: the same posts by address only, the plugin silent (it would push otherwise).
        site.php("delete_option('pagesift_settings');")
        stack.clear()
        started = time.monotonic()
        urls = list(known)
        for start in range(0, len(urls), 100):
            _, answer = http(f"{stack.url}/api/admin/pages",
                             {"events": [{"url": u, "action": "upsert"} for u in urls[start:start + 100]]})
            wait_job(stack, answer["job"]["id"])
        report["fetch_sync_s"] = round(time.monotonic() - started, 2)
        report["fetch"] = exactness(known, stack.indexed())
        report["fetch_latency"] = summary(latencies(stack, site, "fetch", args.saves))
        print(json.dumps(report), flush=True)
        stack.stop()

        # A site pagesift cannot reach (its fetch guard refuses the address): each route once more.
        stack = Stack(settings_for(namespace, site.port, reachable=False), logs)
        stack.start()
        stack.clear()
        sample_urls = urls[:20]
        _, answer = http(f"{stack.url}/api/admin/pages",
                         {"events": [{"url": u, "action": "upsert"} for u in sample_urls]})
        fetched = wait_job(stack, answer["job"]["id"])
        site.php(f"update_option('pagesift_settings', array('url' => '{stack.url}', 'token' => '{TOKEN}'));")
        step = site.php_json("return Pagesift_Sync::full_sync_step(0, 20);")
        pushed = wait_job(stack, step["job"])
        report["unreachable"] = {"fetch_indexed": fetched["indexed"], "fetch_failed": fetched["failed"],
                                 "push_indexed": pushed["indexed"], "pages": len(sample_urls)}
        report["ratios"] = {"latency_p50_push_over_fetch": round(
            report["push_latency"]["p50"] / report["fetch_latency"]["p50"], 3)}
    finally:
        stack.stop()
        try:
            site.php("delete_option('pagesift_settings');")
        finally:
            sample.remove()
    print(json.dumps(report, indent=2))
    write_results("wordpress_sync", report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
