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
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import elasticsearch
import redis
from celery.exceptions import SoftTimeLimitExceeded

from indexer.clean import accepts_type
from indexer.index import outcomes, raw_store
from indexer.index.documents import COPIED_FIELDS, DocumentError, document_id
from indexer.index.duplicates import Claims, DuplicateFinder
from indexer.index.indexing import Indexer
from indexer.index.preparing import Prepared, prepare
from indexer.index.raw_store import RawPage
from worker import wordpress_sync
from worker.context import Context
from worker.fetch import FetchError
from worker.fetch.errors import Gone, HostBusy, NotHtml, RobotsDisallowed, TooLarge
from worker.jobs.model import MAX_PAGE_ATTEMPTS
from worker.jobs.searchable import settle
from worker.sources import PageRef, files, pushed, warc
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
    # Once fetched: the page on its way through the one path to the index.
    item: Prepared | None = None
    known: dict[str, Any] = field(default_factory=dict)
    # (state, reason, stage) once final; written to the ledger with the batch's others.
    outcome: tuple[str, str, str] | None = None
    # A pushed page's state as this try read it: dropped once it has applied.
    staged: pushed.Pushed | None = None


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
    listed = ctx.registry.blocked(asked)
    later = PutOff(time.monotonic() + ctx.settings.worker.task_soft_time_limit * BATCH_BUDGET_SHARE)
    posts = wordpress_sync.Posts(ctx.fetcher, wordpress_sync.Sites(ctx.redis, ctx.settings.redis.namespace),
                                 pages)
    started: list[Work] = []
    try:
        fetched: list[Work] = []
        for ref, attempt in _started(ctx, job_id, pages, later):
            doc_id = document_id(ref.url) if _absolute(ref.url) else ""
            work = Work(ref, attempt, known=known.get(doc_id, {}))
            started.append(work)
            if doc_id in listed:
                _finish(work, outcomes.SKIPPED, outcomes.TAKEN_DOWN.reason, "fetch")
            elif _fetch(ctx, work, now, later, posts):
                fetched.append(work)
        ctx.jobs.ledger.set_stage(job_id, (w.ref.url for w in fetched), "clean")
        for work in fetched:
            _prepare(ctx, work, now)
        ctx.jobs.ledger.set_stage(job_id, (w.ref.url for w in fetched), "index")
        _write(ctx, fetched, _index(ctx, fetched, job_started, (known, asked)))
    except SERVICE_ERRORS:
        # Not the pages' fault: the tries started here are not counted against them.
        _release(ctx, job_id, [w for w in started if not w.outcome])
        raise
    finally:
        # Outcomes reached before an error are kept; any not written (kill -9) are redone on
        # redelivery, which is safe: the same page again gives the same document.
        ctx.jobs.ledger.finish_pages(job_id, [(w.ref.url, *w.outcome) for w in started if w.outcome])
        _drop_applied(ctx, started)
    job = ctx.jobs.records.get(job_id) if started else None
    if job is not None and job.finished_status:
        settle(ctx.jobs.records, ctx.es, ctx.names.write_alias, job)
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
        ctx.jobs.ledger.defer_pages(job_id, self._ledger)
        for delay, again in self._groups.items():
            requeue(again, delay)


def _drop_applied(ctx: Context, started: list[Work]) -> None:
    """Pushed states that reached a final outcome other than failed are done with; a failed
    page keeps its state for a retry."""
    for work in started:
        if work.staged is not None and work.outcome is not None and work.outcome[0] != outcomes.FAILED:
            pushed.applied(ctx.redis, ctx.settings.redis.namespace, work.staged)


def _release(ctx: Context, job_id: str, unfinished: list[Work]) -> None:
    try:
        ctx.jobs.ledger.defer_pages(job_id, [(w.ref.url, time.time(), True) for w in unfinished])
    except SERVICE_ERRORS:
        log.warning("job %s: could not release %d pages; they count one attempt", job_id, len(unfinished))


def _started(ctx: Context, job_id: str, pages: list[PageRef],
             later: PutOff) -> Iterator[tuple[PageRef, int]]:
    """Each page to work on now, with its attempt number. Local pages are started together;
    fetched ones one at a time, right before their fetch, so a cancel takes effect at the next.
    A page whose tries keep dying unfinished fails here, with the stage they reached."""
    ledger = ctx.jobs.ledger
    local = [r.url for r in pages if r.origin in LOCAL_ORIGINS]
    attempts = dict(zip(local, ledger.start_pages(job_id, local, "fetch"), strict=True))
    for ref in pages:
        if not later.admits(ref):
            continue
        attempt = attempts[ref.url] if ref.url in attempts else ledger.start_page(job_id, ref.url, "fetch")
        if attempt < 0:
            _give_up(ctx, job_id, ref.url, -attempt)
        elif attempt:
            yield ref, attempt


def _give_up(ctx: Context, job_id: str, url: str, attempts: int) -> None:
    ledger = ctx.jobs.ledger
    record = ledger.record(job_id, url)
    stage = record.stage if record is not None else "fetch"
    ledger.finish_page(job_id, url, "failed",
                       f"attempts: {attempts} tries never finished, the last in its {stage} stage "
                       "(the page stalls or kills its worker)", stage)


def _absolute(url: str) -> bool:
    try:
        document_id(url)
    except DocumentError:
        return False
    return True


# What the index holds of a page, to tell an unchanged one: every field the document copies
# from the page but the body itself, which content_hash stands for.
_COMPARED = tuple(name for name in COPIED_FIELDS if name != "content")


def _indexed(ctx: Context, ids: list[str]) -> dict[str, dict[str, Any]]:
    """ingested_at and the compared fields of the documents with these ids already indexed."""
    if not ids:
        return {}
    answer = ctx.es.options(ignore_status=404).mget(
        index=ctx.names.read_alias, ids=ids, source=[*_COMPARED, "ingested_at"])
    return {d["_id"]: d.get("_source", {}) for d in answer.body.get("docs", []) if d.get("found")}


def _finish(work: Work, state: str, reason: str = "", stage: str = "") -> None:
    work.outcome = (state, reason, stage)


# Fetch -------------------------------------------------------------------------------------
def _fetch(ctx: Context, work: Work, now: datetime, later: PutOff, posts: wordpress_sync.Posts) -> bool:
    """Put the page's bytes on ``work.raw``; False when the page was finished or put off."""
    try:
        work.raw = _raw(ctx, work, now, posts)
        return True
    except Skip as skip:
        if skip.reason in _LEAVING:
            _gone(ctx, work, now, _LEAVING[skip.reason](skip.detail))
            return True
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


def _raw(ctx: Context, work: Work, now: datetime, posts: wordpress_sync.Posts) -> RawPage:
    ref, cap = work.ref, ctx.settings.fetch.max_bytes
    if ref.origin == wordpress_sync.ORIGIN:
        try:
            return posts.raw(ref, now, max_wait=MAX_SLOT_WAIT, slot=ref.slot)
        except wordpress_sync.Protected as exc:
            raise Skip("protected", str(exc)) from exc
        except Gone as exc:
            raise Skip("gone", str(exc)) from exc
    if ref.origin == "file":
        html = files.read_bytes(Path(ref.path or ""), cap + 1)
        if len(html) > cap:
            raise TooLarge(f"{ref.path}: larger than {cap} bytes")
        return RawPage(ref.url, html, now)
    if ref.origin == "warc":
        _url, headers, html, status = warc.read(Path(ref.path or ""), int(ref.offset or 0), cap)
        return _checked(ref.url, status, headers, html, now, cap)
    if ref.origin == "pushed":
        return _pushed(ctx, work, now)
    return _http(ctx, work, now)


def _pushed(ctx: Context, work: Work, now: datetime) -> RawPage:
    """The URL's latest pushed state: its page, or gone when it was unpublished. None staged
    means a job of the same URL already applied the latest one."""
    work.staged = pushed.latest(ctx.redis, ctx.settings.redis.namespace, work.ref.url)
    if work.staged is None:
        raise Skip("unchanged", "its latest pushed state was already applied")
    if work.staged.state == pushed.UNPUBLISHED:
        raise Skip("gone", "unpublished by its publisher")
    body = work.staged.html.encode("utf-8")
    if len(body) > ctx.settings.fetch.max_bytes:
        raise TooLarge(f"pushed page larger than {ctx.settings.fetch.max_bytes} bytes")
    return RawPage(work.ref.url, body, now, 200, {"content-type": "text/html; charset=utf-8"},
                   supplied=work.staged.supplied)


def _checked(url: str, status: int, headers: dict[str, str], html: bytes, now: datetime, cap: int) -> RawPage:
    if status in (404, 410):
        raise Skip("gone", str(status))
    if not 200 <= status < 300:
        raise FetchError(f"archived answer {status}")
    if len(html) > cap:
        raise TooLarge(f"larger than {cap} bytes")
    if not accepts_type(headers.get("content-type", "")):
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
    final = answer.final_url if answer.final_url != ref.url else None
    return RawPage(ref.url, answer.body, now, answer.status, headers, final_url=final)


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


# Skips that take the page out of the index: gone, or no longer readable without a password.
_LEAVING = {"gone": outcomes.gone, "protected": outcomes.protected}


def _gone(ctx: Context, work: Work, now: datetime, outcome: outcomes.Outcome) -> None:
    """Out of the index (by every id it was known by); its raw copy, if one was kept, kept
    with the status that says it is gone, so a reclean leaves it out too."""
    prior = raw_store.get(ctx.es, ctx.names, work.ref.url) if _absolute(work.ref.url) else None
    if prior is not None and prior.status == 200:
        work.raw = replace(prior, fetched_at=now, status=410, stored_at=None)
    else:
        # Never kept, or kept as gone already: nothing to store again (no bytes), but the ids
        # it was indexed under still leave the index.
        work.raw = RawPage(work.ref.url, b"", now, 410, canonical=prior.canonical if prior else None)
    work.item = Prepared(work.raw, outcome)


# Clean, index, store -----------------------------------------------------------------------
def _prepare(ctx: Context, work: Work, now: datetime) -> None:
    """The page cleaned and judged by the one path reclean takes too. The task's own time
    limit is not the page's fault: it reaches the task, which puts the batch off."""
    if work.item is None:
        assert work.raw is not None
        work.item = prepare(work.raw, ctx.cleaning, now, passthrough=(SoftTimeLimitExceeded,))


def _index(ctx: Context, batch: list[Work], job_started: float,
           looked_up: tuple[dict[str, dict[str, Any]], set[str]]) -> dict[str, dict[str, Any]]:
    """Settle what live ingestion alone knows: a page already indexed with the same text is
    unchanged (or indexed, when this very job wrote it: a redelivered batch). Returns what
    the index holds of every id the batch's pages may be known by."""
    known, asked = looked_up
    ids = {i for w in batch if w.item is not None for i in w.item.ids()}
    known = {**known, **_indexed(ctx, sorted(ids - asked))}
    for work in batch:
        item = work.item
        if item is None or item.outcome is not None or item.document is None or item.page is None:
            continue
        existing = known.get(item.document.id)
        if existing is not None and _same(existing, item.document.source):
            fresh = _epoch(existing.get("ingested_at")) >= job_started > 0
            item.outcome = outcomes.INDEXED_OUTCOME if fresh else outcomes.UNCHANGED
    return known


def _same(existing: dict[str, Any], source: dict[str, Any]) -> bool:
    """The same text and the same facts: a page whose title or terms alone changed (an edited
    post's new title) is written again."""
    return all(existing.get(name) == source.get(name) for name in _COMPARED)


def _epoch(value: Any) -> float:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def _write(ctx: Context, batch: list[Work], known: dict[str, dict[str, Any]]) -> None:
    """Every fetched page into the raw store and the new documents into the index, in one bulk
    request: a page whose raw copy was refused is failed at the store, whatever it reached."""
    indexer = Indexer(ctx.es, ctx.names.write_alias, ctx.bulk,
                      DuplicateFinder(ctx.es, ctx.names.read_alias, _claims(ctx)), ctx.registry, ctx.embedder)
    items = [w.item for w in batch if w.item is not None]
    indexer.hold_back(items)
    stored = [w for w in batch if _stores_raw(w)]
    alongside = [(ctx.names.raw, raw_store.to_document(_as_stored(w))) for w in stored]
    report = indexer.write(items, present=set(known), alongside=alongside)
    if report.aborted:
        raise ServiceUnavailable(report.aborted)
    busy = [f for f in report.failures if f.status == 429]
    if busy:
        # Still refused after the bulk path's own retries (a flood-stage block lasts as long as
        # the disk stays full): the batch waits it out as a task retry, its pages unfinished.
        for work in batch:
            work.outcome = None
        raise ServiceUnavailable(f"{busy[0].error_type}: {busy[0].reason}")
    for work in batch:
        if work.item is not None and work.item.outcome is not None:
            outcome = work.item.outcome
            _finish(work, outcome.state, outcome.reason, outcome.stage)
    refused = {f.id: f for f in report.failures if f.index == ctx.names.raw}
    for work in stored:
        failure = refused.get(document_id(work.ref.url))
        if failure is not None:
            _finish(work, "failed", f"{failure.error_type}: {failure.reason}", "store")


def _claims(ctx: Context) -> Claims:
    return Claims(ctx.redis, ctx.settings.redis.namespace, ctx.names.prefix)


def _stores_raw(work: Work) -> bool:
    """Every fetched page is kept raw, so a reclean needs no network; but not a taken-down
    one, and a gone one only over a copy already kept (its status says it is gone)."""
    item = work.item
    if work.raw is None or item is None or not _absolute(work.ref.url) or item.outcome == outcomes.TAKEN_DOWN:
        return False
    return not (item.outcome is not None and item.outcome.kind == "gone" and not work.raw.html)


def _as_stored(work: Work) -> RawPage:
    """The raw copy, with the URL its document is indexed under, for takedowns to find."""
    assert work.raw is not None and work.item is not None
    document = work.item.document
    return replace(work.raw, canonical=document.url) if document is not None else work.raw
