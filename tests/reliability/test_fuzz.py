"""Fuzzed and mutated HTML: every page ends as a Page or a typed CleanError (terminal), never
another exception and never past the time budget; then mutated, deeply nested and oversized
pages go through a real worker: every one is final in the ledger and the worker lives on."""

from __future__ import annotations

import random
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from indexer.clean import CleanError, clean
from tests.reliability.conftest import env_seconds, ledger, wait_job

pytestmark = pytest.mark.reliability

PAGES = int(env_seconds("FUZZ_PAGES", 10_000))
THROUGH_WORKER = 200
BUDGET = 2.0
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
SEEDS = [p.read_bytes() for p in sorted(FIXTURES.glob("*.html"))]
# Fragments that have broken parsers: unclosed and misnested tags, comments and CDATA left
# open, NULs, stray BOMs, lying charsets, bad entities, huge attributes, script and style.
NASTY = [b"<div>" * 300, b"</div>" * 50, b"<!--", b"<![CDATA[", b"\x00\x00", b"\xef\xbb\xbf", b"\xff\xfe",
         b'<meta charset="utf-16">', b'<meta http-equiv="Content-Type" content="text/html; charset=bogus">',
         b"&#x110000;&#0;&#xD800;&bogus;", b'<a href="' + b"x" * 5000 + b'">', b"<script>var a='</p>';",
         b"<style>p{}", b"<table><tr><td><table>" * 20, b"<p><b><i></p></b>", b"</html><html>",
         b'<link rel="canonical" href="javascript:alert(1)">',
         b'<script type="application/ld+json">{"@type":',
         b"<svg><foreignObject><p>", b"<noscript><p>", b"\r\r\n\t", "شهر دانش‌آموزان".encode("cp1256"),
         "<p>déjà vu</p>".encode("latin-1"), b"<title>" + b"T" * 3000]

# Pages the fuzzer once found crashing the cleaner, kept as fixed examples of every run.
FOUND = [b'<html><body><div id="nav"><a href="/">Home</a></div>\x01<p>' + b"word " * 50
         + b"</p></body></html>"]

mutation = st.tuples(st.sampled_from(["delete", "insert", "duplicate", "flip", "truncate"]),
                     st.floats(0, 1), st.floats(0, 1), st.sampled_from(NASTY), st.binary(max_size=64))


def mutate(seed: bytes, steps: list[tuple[str, float, float, bytes, bytes]]) -> bytes:
    page = bytearray(seed)
    for op, where, span, nasty, noise in steps:
        at = int(where * len(page))
        end = min(len(page), at + int(span * 2000))
        if op == "delete":
            del page[at:end]
        elif op == "insert":
            page[at:at] = nasty + noise
        elif op == "duplicate":
            page[at:at] = page[at:end] * 3
        elif op == "flip" and page:
            for i in range(at, end, 97):
                page[i] ^= 0x5A
        elif op == "truncate":
            del page[at:]
    return bytes(page)


pages = st.builds(mutate, st.sampled_from(SEEDS), st.lists(mutation, min_size=1, max_size=6))


def test_fuzzed_pages_all_end_terminal(figures) -> None:  # type: ignore[no-untyped-def]
    outcomes: Counter[str] = Counter()
    crashes: dict[str, bytes] = {}
    slowest = [0.0]

    @settings(max_examples=PAGES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(raw=pages | st.binary(max_size=4096))
    @example(raw=FOUND[0])
    def one(raw: bytes) -> None:
        started = time.monotonic()
        try:
            clean(raw, url="https://fuzz.example/page/", time_budget=BUDGET)
            outcomes["page"] += 1
        except CleanError as exc:
            outcomes[exc.kind] += 1
        except Exception as exc:  # a crash: counted, the first of each kind kept, the run goes on
            kind = f"crash {type(exc).__name__}: {str(exc)[:80]}"
            outcomes[kind] += 1
            crashes.setdefault(kind, raw[:300])
        took = time.monotonic() - started
        slowest[0] = max(slowest[0], took)
        # The budget is checked between stages, so one stage may overrun it a little.
        assert took < BUDGET * 3, f"{took:.1f}s on a {len(raw)}-byte page"

    one()
    figures.update(pages=sum(outcomes.values()), outcomes=dict(outcomes),
                   slowest_s=round(slowest[0], 2), crashes={k: repr(v) for k, v in crashes.items()})
    assert sum(outcomes.values()) >= PAGES
    assert not crashes, f"{sum(outcomes[k] for k in crashes)} pages crashed the cleaner: {crashes}"


def test_mutated_deep_and_oversized_pages_through_a_worker(pipeline, es, figures) -> None:  # type: ignore[no-untyped-def]
    # A page whose batch crashes is re-enqueued by the reconciler (beat's part, sent here).
    ns = pipeline(THROUGH_WORKER, reconcile_after=10)
    rng = random.Random(7)
    for number, url in enumerate(ns.urls):
        path = url[len(ns.site.base):]
        body = ns.site.routes[path]({})[2]
        head, _, rest = body.partition(b"</head>")
        # The head is left alone, so each page keeps its own canonical URL.
        steps = [(rng.choice(["delete", "insert", "duplicate", "flip", "truncate"]), rng.random(),
                  rng.random(), rng.choice(NASTY), rng.randbytes(16)) for _ in range(rng.randint(1, 5))]
        ns.site.html(path, head + b"</head>" + mutate(rest, steps) if number % 10 else body)
    extremes = {"/deep/": b"<html><body>" + b"<div>" * 100_000 + b"deep" + b"</div>" * 100_000 + b"</body>",
                "/huge/": b"<html><body>" + b"<p>word</p>" * 1_000_000 + b"</body></html>",
                "/binary/": bytes(range(256)) * 100,
                "/control-char/": FOUND[0]}
    for path, body in extremes.items():
        ns.site.html(path, body)
    listing = ns.listing
    listing.write_text(listing.read_text() + "".join(ns.site.url(p) + "\n" for p in extremes))
    ns.worker()
    job = wait_job(ns, ns.ingest(), 240, reconcile_every=10)
    check = ledger(ns, es, [job.id])
    reasons = Counter(p.reason.split(":")[0] for p in ns.store.ledger.pages(job.id) if p.state != "indexed")
    figures.update(total=job.total, indexed=job.indexed, skipped=job.skipped, failed=job.failed,
                   reasons=dict(reasons), ledger=check.summary())
    from pagesift.stack.worker import ping

    assert ping(ns.settings, ns.workers[0].node, timeout=5), "the worker died"
    assert job.total == THROUGH_WORKER + len(extremes)
    assert check.ok, str(check)
