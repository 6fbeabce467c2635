"""One batch of pages through the pipeline: get the bytes, clean, store raw and index, account.

Per batch: one index lookup, one Redis round trip to start the local pages, one duplicate
search, ONE bulk request carrying both the raw copies and the new documents, and one Redis
round trip for every page's final state.

Every page that enters :func:`run_batch` leaves it final in the job's ledger (indexed,
skipped with a reason, failed with a reason) or handed back through ``requeue`` to be tried
again later. Errors of the services themselves (Elasticsearch or Redis away) are raised, so
the task is retried as a whole; that is safe because a page already final is never redone and
a document's id is a hash of its URL.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import elasticsearch
import redis
from celery.exceptions import SoftTimeLimitExceeded

from indexer.clean import CleanError, Page, UnsupportedContent, clean
from indexer.index import raw_store
from indexer.index.bulk import index_each
from indexer.index.documents import Document, DocumentError, document_id, from_page
from indexer.index.duplicates import DuplicateFinder
from indexer.index.raw_store import RawPage
from worker.context import Context
from worker.dedupe import claim_originals
from worker.fetch import FetchError
from worker.fetch.errors import Gone, HostBusy, NotHtml, RobotsDisallowed, TooLarge
from worker.jobs.model import MAX_PAGE_ATTEMPTS
from worker.jobs.searchable import settle
from worker.sources import PageRef, files, warc
from worker.sources.refs import LOCAL_ORIGINS, host_of

log = logging.getLogger(__name__)

# The longest a page's fetch sleeps for its host's politeness slot. A slot further off puts the
# page off until then, its slot reserved, instead of holding the worker: a worker sleeping on
# one host (a Crawl-delay of 10 s, a Retry-After of an hour) is a worker no other host gets.
# Two seconds cover two workers on a host at the default one-second delay without a put-off.
MAX_SLOT_WAIT = 2.0
# The share of the task's soft time limit a batch may spend starting fetches: the pages left
# when it is spent go back to the queue at once, so a slow site's batch ends in time with the
# pages it did fetch kept, instead of being cut off by the limit and redone from the start.
BATCH_BUDGET_SHARE = 0.5
HTML_TYPES = ("text/html", "application/xhtml+xml", "")
# Fetch metadata worth keeping with the raw page: what the cleaner and conditional requests read.
KEPT_HEADERS = ("content-type", "content-language", "etag", "last-modified", "x-robots-tag")

Requeue = Callable[[list[PageRef], float], None]


class ServiceUnavailable(RuntimeError):
    """Elasticsearch did not answer a whole batch: the task is retried with backoff."""


# The services themselves away or busy: the batch is retried as a whole, later.
SERVICE_ERRORS: tuple[type[Exception], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    elasticsearch.ConnectionError,
    elasticsearch.ConnectionTimeout,
    ServiceUnavailable,
)


@dataclass
class Work:
    ref: PageRef
    attempt: int
    raw: RawPage | None = None
    page: Page | None = None
    document: Document | None = None
    known: dict[str, Any] = field(default_factory=dict)
    # (state, reason, stage) once final; written to the ledger with the batch's others.
    outcome: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class Skip(Exception):
    reason: str
    detail: str = ""


def backoff(attempt: int, retry_after: float | None = None) -> float:
    """Seconds before a page's next attempt: exponential with jitter, or what the site asked."""
    if retry_after:
        return min(retry_after, 3600.0)
    return min(300.0, 5.0 * 2 ** (attempt - 1)) * random.uniform(0.5, 1.5)


def run_batch(ctx: Context, job_id: str, refs: Iterable[PageRef], requeue: Requeue,
              job_started: float = 0.0) -> None:
    now = datetime.now(UTC)
    pages = list(refs)
    asked = {document_id(r.url) for r in pages if _absolute(r.url)}
    known = _indexed(ctx, sorted(asked))
    later = PutOff(time.monotonic() + ctx.settings.task_soft_time_limit * BATCH_BUDGET_SHARE)
    started: list[Work] = []
    try:
        fetched: list[Work] = []
        for ref, attempt in _started(ctx, job_id, pages, later):
            work = Work(ref, attempt, known=known.get(document_id(ref.url), {}) if _absolute(ref.url) else {})
            started.append(work)
            if _fetch(ctx, work, now, later):
                fetched.append(work)
        ctx.jobs.set_stage(job_id, (w.ref.url for w in fetched), "clean")
        cleaned = [w for w in fetched if _clean(ctx, w)]
        to_send = _index(ctx, job_id, cleaned, now, job_started, (known, asked))
        _write(ctx, fetched, to_send)
    except SERVICE_ERRORS:
        # Not the pages' fault: the tries started here are not counted against them.
        _release(ctx, job_id, [w for w in started if not w.outcome])
        raise
    finally:
        # Outcomes reached before an error are kept; any not written (kill -9) are redone on
        # redelivery, which is safe: the same page again gives the same document.
        ctx.jobs.finish_pages(job_id, [(w.ref.url, *w.outcome) for w in started if w.outcome])
    job = ctx.jobs.get(job_id) if started else None
    if job is not None and job.finished_status:
        settle(ctx.jobs, ctx.es, ctx.names.write_alias, job)
    later.send(ctx, job_id, requeue)


class PutOff:
    """The batch's pages to try again later, grouped by when: transient failures (backoff),
    pages of a host whose next slot is further off than a task sleeps (the first of them with
    the slot reserved, the others of that host after it, untried), and the pages not started
    once the batch's time budget is spent."""

    def __init__(self, budget_ends: float) -> None:
        self._budget_ends = budget_ends
        self._groups: dict[float, list[PageRef]] = {}
        self._busy: dict[str, float] = {}
        self._ledger: list[tuple[str, float, bool]] = []

    def admits(self, ref: PageRef) -> bool:
        """Whether to start ``ref`` now; if not, it is put off with its host or the budget."""
        if ref.origin in LOCAL_ORIGINS:
            return True
        host = host_of(ref.url)
        if host in self._busy:
            self.add(ref, self._busy[host], started=False)
            return False
        if time.monotonic() > self._budget_ends:
            self.add(ref, 0.0, started=False)
            return False
        return True

    def busy(self, ref: PageRef, exc: HostBusy) -> None:
        wait = exc.retry_after or 0.0
        self._busy[host_of(ref.url)] = round(wait, 1)
        self.add(PageRef(**{**ref.to_dict(), "slot": exc.slot}), wait, started=True, counted=False)

    def add(self, ref: PageRef, delay: float, *, started: bool, counted: bool = True) -> None:
        delay = round(max(delay, 0.0), 1)
        self._groups.setdefault(delay, []).append(ref)
        self._ledger.append((ref.url, time.time() + delay, started and not counted))

    def send(self, ctx: Context, job_id: str, requeue: Requeue) -> None:
        """Into the ledger first (queued, due at their time, so the reconciler leaves them be),
        then onto the queue."""
        ctx.jobs.defer_pages(job_id, self._ledger)
        for delay, again in self._groups.items():
            requeue(again, delay)


def _release(ctx: Context, job_id: str, unfinished: list[Work]) -> None:
    try:
        ctx.jobs.defer_pages(job_id, [(w.ref.url, time.time(), True) for w in unfinished])
    except SERVICE_ERRORS:
        log.warning("job %s: could not release %d pages; they count one attempt", job_id, len(unfinished))


def _started(ctx: Context, job_id: str, pages: list[PageRef],
             later: PutOff) -> Iterator[tuple[PageRef, int]]:
    """Each page to work on now, with its attempt number. Local pages are started together;
    fetched ones one at a time, right before their fetch, so a cancel takes effect at the next.
    A page whose tries keep dying unfinished fails here, with the stage they reached."""
    local = [r.url for r in pages if r.origin in LOCAL_ORIGINS]
    attempts = dict(zip(local, ctx.jobs.start_pages(job_id, local, "fetch"), strict=True))
    for ref in pages:
        if not later.admits(ref):
            continue
        attempt = attempts[ref.url] if ref.url in attempts else ctx.jobs.start_page(job_id, ref.url, "fetch")
        if attempt < 0:
            _give_up(ctx, job_id, ref.url, -attempt)
        elif attempt:
            yield ref, attempt


def _give_up(ctx: Context, job_id: str, url: str, attempts: int) -> None:
    record = ctx.jobs.record(job_id, url)
    stage = record.stage if record is not None else "fetch"
    ctx.jobs.finish_page(job_id, url, "failed",
                         f"attempts: {attempts} tries never finished, the last in its {stage} stage "
                         "(the page stalls or kills its worker)", stage)


def _absolute(url: str) -> bool:
    try:
        document_id(url)
    except DocumentError:
        return False
    return True


def _indexed(ctx: Context, ids: list[str]) -> dict[str, dict[str, Any]]:
    """content_hash and ingested_at of the documents with these ids already in the index."""
    if not ids:
        return {}
    answer = ctx.es.options(ignore_status=404).mget(
        index=ctx.names.read_alias, ids=ids, source=["content_hash", "ingested_at"])
    return {d["_id"]: d.get("_source", {}) for d in answer.body.get("docs", []) if d.get("found")}


def _finish(work: Work, state: str, reason: str = "", stage: str = "") -> None:
    work.outcome = (state, reason, stage)


# Fetch -------------------------------------------------------------------------------------
def _fetch(ctx: Context, work: Work, now: datetime, later: PutOff) -> bool:
    """Put the page's bytes on ``work.raw``; False when the page was finished or put off."""
    try:
        work.raw = _raw(ctx, work, now)
        return True
    except Skip as skip:
        if skip.reason == "gone":
            _mark_gone(ctx, work.ref.url, now)
        _finish(work, "skipped", f"{skip.reason}: {skip.detail}" if skip.detail else skip.reason,
                "fetch")
    except HostBusy as exc:
        later.busy(work.ref, exc)
    except FetchError as exc:
        if exc.transient and work.attempt < MAX_PAGE_ATTEMPTS:
            later.add(work.ref, backoff(work.attempt, exc.retry_after), started=True)
        else:
            _finish(work, "failed", str(exc), "fetch")
    except OSError as exc:
        _finish(work, "failed", f"io_error: {exc}", "fetch")
    return False


def _raw(ctx: Context, work: Work, now: datetime) -> RawPage:
    ref, cap = work.ref, ctx.settings.fetch_max_bytes
    if ref.origin == "file":
        html = files.read_bytes(Path(ref.path or ""), cap + 1)
        if len(html) > cap:
            raise TooLarge(f"{ref.path}: larger than {cap} bytes")
        return RawPage(ref.url, html, now)
    if ref.origin == "warc":
        _url, headers, html, status = warc.read(Path(ref.path or ""), int(ref.offset or 0), cap)
        return _checked(ref.url, status, headers, html, now, cap)
    return _http(ctx, work, now)


def _checked(url: str, status: int, headers: dict[str, str], html: bytes, now: datetime, cap: int) -> RawPage:
    if status in (404, 410):
        raise Skip("gone", str(status))
    if not 200 <= status < 300:
        raise FetchError(f"archived answer {status}")
    if len(html) > cap:
        raise TooLarge(f"larger than {cap} bytes")
    if headers.get("content-type", "").split(";")[0].strip().lower() not in HTML_TYPES:
        raise Skip("not_html", headers.get("content-type", ""))
    return RawPage(url, html, now, status, {k: v for k, v in headers.items() if k in KEPT_HEADERS})


def _http(ctx: Context, work: Work, now: datetime) -> RawPage:
    ref = work.ref
    prior = raw_store.get(ctx.es, ctx.names, ref.url) if work.known else None
    if prior is not None and prior.status == 200 and _not_after(ref.lastmod, prior.fetched_at):
        raise Skip("unchanged", "sitemap lastmod")
    validators = prior.headers if prior is not None and prior.status == 200 else {}
    try:
        answer = ctx.fetcher.fetch(ref.url, etag=validators.get("etag"),
                                   last_modified=validators.get("last-modified"),
                                   max_wait=MAX_SLOT_WAIT, slot=ref.slot)
    except Gone as exc:
        raise Skip("gone", str(exc)) from exc
    except RobotsDisallowed as exc:
        raise Skip("robots", str(exc)) from exc
    except NotHtml as exc:
        raise Skip("not_html", str(exc)) from exc
    if answer.not_modified:
        raise Skip("unchanged", "304")
    headers = {k: v for k, v in answer.headers.items() if k in KEPT_HEADERS}
    return RawPage(ref.url, answer.body, now, answer.status, headers)


def _not_after(lastmod: str | None, fetched_at: datetime) -> bool:
    if not lastmod:
        return False
    try:
        moment = datetime.fromisoformat(lastmod.replace("Z", "+00:00"))
    except ValueError:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment <= fetched_at


def _mark_gone(ctx: Context, url: str, now: datetime) -> None:
    """Out of the read index; kept in the raw store with the status that says it is gone."""
    if not _absolute(url):
        return
    ctx.es.options(ignore_status=404).delete(index=ctx.names.write_alias, id=document_id(url))
    prior = raw_store.get(ctx.es, ctx.names, url)
    if prior is not None and prior.status == 200:
        raw_store.put(ctx.es, ctx.names, RawPage(prior.url, prior.html, now, 410, prior.headers))


# Clean, index, store -----------------------------------------------------------------------
def _clean(ctx: Context, work: Work) -> bool:
    assert work.raw is not None
    try:
        work.page = clean(work.raw.html, url=work.ref.url, headers=work.raw.headers, rules=ctx.rules,
                          max_bytes=ctx.settings.clean_max_bytes, time_budget=ctx.settings.clean_time_budget)
    except UnsupportedContent as exc:
        _finish(work, "skipped", f"not_html: {exc.message}", "clean")
        return False
    except CleanError as exc:
        _finish(work, "failed", str(exc), "clean")
        return False
    except SoftTimeLimitExceeded:
        raise  # the task's own time limit: the batch is put off, not this page failed
    except Exception as exc:
        # A bug in the cleaner or a library under it must fail this page alone, with its
        # reason, instead of crashing the batch again on every redelivery.
        log.exception("cleaning %s crashed", work.ref.url)
        _finish(work, "failed", f"internal: {type(exc).__name__}: {exc}", "clean")
        return False
    if not work.page.url:
        work.page.url = work.ref.url
    return True


def _index(ctx: Context, job_id: str, batch: list[Work], now: datetime, job_started: float,
           looked_up: tuple[dict[str, dict[str, Any]], set[str]]) -> list[Work]:
    """Documents for the cleaned pages; the ones to send, after the others are finished."""
    ctx.jobs.set_stage(job_id, (w.ref.url for w in batch), "index")
    for work in batch:
        assert work.page is not None
        try:
            work.document = from_page(work.page, ingested_at=now)
        except DocumentError as exc:
            _finish(work, "failed", f"invalid_page: {exc}", "index")
    ready = [w for w in batch if w.document is not None]
    # The batch's first lookup answered for the ids of its URLs; only canonical URLs that
    # differ from them are asked again.
    known, asked = looked_up
    known = {**known, **_indexed(ctx, [w.document.id for w in ready
                                       if w.document is not None and w.document.id not in asked])}
    to_send: list[Work] = []
    for work in ready:
        assert work.document is not None and work.page is not None
        existing = known.get(work.document.id)
        skip = _skip_reason(work.page)
        if skip:
            if existing is not None:
                ctx.es.options(ignore_status=404).delete(index=ctx.names.write_alias, id=work.document.id)
            _finish(work, "skipped", skip, "index")
        elif existing is not None and existing.get("content_hash") == work.page.content_hash:
            # Indexed already by this very job (a redelivered batch) counts as indexed.
            if _epoch(existing.get("ingested_at")) >= job_started > 0:
                _finish(work, "indexed", "", "index")
            else:
                _finish(work, "skipped", "unchanged", "index")
        else:
            to_send.append(work)
    return to_send


def _skip_reason(page: Page) -> str:
    if page.noindex:
        return "noindex"
    if page.kind == "listing":
        return "listing"
    return ""


def _epoch(value: Any) -> float:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def _write(ctx: Context, fetched: list[Work], to_send: list[Work]) -> None:
    """Every fetched page into the raw store and the new documents into the index, in one bulk
    request: a page whose raw copy was refused is failed at the store, whatever it reached."""
    stored = [w for w in fetched if w.raw is not None and _absolute(w.ref.url)]
    documents = [w.document for w in to_send if w.document is not None]
    if documents:
        DuplicateFinder(ctx.es, ctx.names.read_alias).mark(documents)
        claim_originals(ctx.redis, ctx.settings.redis_namespace, ctx.names.prefix, documents)
    if not stored and not documents:
        return
    targets = [(ctx.names.raw, raw_store.to_document(w.raw)) for w in stored if w.raw is not None]
    targets += [(ctx.names.write_alias, d) for d in documents]
    report = index_each(ctx.es, targets, ctx.bulk)
    if report.aborted:
        raise ServiceUnavailable(report.aborted)
    busy = [f for f in report.failures if f.status == 429]
    if busy:
        # Still refused after the bulk path's own retries (a flood-stage block lasts as long as
        # the disk stays full): the batch waits it out as a task retry, its pages unfinished.
        for work in fetched:
            work.outcome = None
        raise ServiceUnavailable(f"{busy[0].error_type}: {busy[0].reason}")
    refused = {(f.index == ctx.names.raw, f.id): f for f in report.failures}
    for work in to_send:
        assert work.document is not None
        failure = refused.get((False, work.document.id))
        if failure is not None:
            _finish(work, "failed", f"{failure.error_type}: {failure.reason}", "index")
        elif work.document.source.get("duplicate_of"):
            original = work.document.source["duplicate_of"]
            _finish(work, "skipped", f"duplicate: of {original}", "index")
        else:
            _finish(work, "indexed", "", "index")
    for work in stored:
        failure = refused.get((True, document_id(work.ref.url)))
        if failure is not None:
            _finish(work, "failed", f"{failure.error_type}: {failure.reason}", "store")
