"""What the console's curation pages share: the site's search run with a given curation (the
previews), the gate over the stored judgments and the editor's "Save anyway", and telling this
process a rule changed."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from itsdangerous import BadData, URLSafeTimedSerializer

from indexer import embedding, searching
from indexer.curation import gate, judging, store
from indexer.curation.model import Curation
from indexer.query import SearchRequest
from indexer.query.ranking import DEFAULT
from indexer.relevance import evaluation
from web import curation, settings_of, site_names
from web.admin import services
from web.admin.forms import DeleteForm, submitted

log = logging.getLogger(__name__)
PREVIEW_SIZE = 10
CONSOLE = "console"
CONFIRM_SALT = "pagesift.curation.save-anyway"
# A warning answered after this long is shown again: the judgments or rules may have changed.
CONFIRM_MAX_AGE_S = 3600
# A stored rule shown field by field (label, value), as the editor's conflict page lists it.
Rows = Sequence[tuple[str, Any]]


def prefix() -> str:
    return settings_of(current_app).index.prefix


def stored() -> Curation:
    return store.load(services.es(), prefix())


@dataclass(frozen=True)
class Side:
    """The search the site runs: its mode, and the model hybrid search embeds queries with."""

    mode: str
    embedder: embedding.Embedder | None


def site_search() -> Side:
    settings = settings_of(current_app).search
    if settings.mode != "hybrid":
        return Side(settings.mode, None)
    try:
        return Side(settings.mode, embedding.load(settings.embedding_model))
    except embedding.EmbeddingError:
        log.warning("embedding model unavailable: previews and the gate run lexically")
        return Side("lexical", None)


def preview(q: str, with_curation: Curation, size: int = PREVIEW_SIZE) -> dict[str, Any]:
    """The first page readers would get for ``q`` under ``with_curation``. Called straight on
    the search path, not through the reader page, so no preview lands in the search log."""
    side = site_search()
    req = SearchRequest(q=q, size=size, mode=side.mode)
    return searching.search(services.es(), prefix(), req, embedder=side.embedder,
                            timeout_s=settings_of(current_app).web.search_timeout, curation=with_curation,
                            site_names=site_names.current())


def run_gate(before: Curation, after: Curation) -> gate.Report:
    side = site_search()

    def rankers(c: Curation) -> evaluation.Ranker:
        return evaluation.product_ranker(services.es(), prefix(), DEFAULT, mode=side.mode,
                                         embedder=side.embedder, curation=c, site_names=site_names.current())

    # Most recently judged first: past the cap, the oldest judgments are the ones left out.
    recent = sorted(store.judgments(services.es(), prefix()), reverse=True,
                    key=lambda j: j.updated_at.timestamp() if j.updated_at else 0.0)
    judged = judging.judged(recent)
    return gate.run(rankers, judged, before, after, settings_of(current_app).curation.gate_max_queries)


def summary(report: gate.Report) -> str:
    if report.empty:
        return "No judged queries yet: judge some results so saving a rule can show what it changes."
    return (f"nDCG@10 over {len(report.changes)} judged queries: {report.before:.4f} → {report.after:.4f} "
            f"({report.delta:+.4f}); {len(report.changed)} changed, {len(report.dropped)} worse.")


def changed() -> None:
    """This process's readers see a saved rule at once; the others within the cache time."""
    curation.cache().reload()


def editor(name: str | None) -> str:
    return (name or "").strip() or CONSOLE


def rule_digest(kind: str, record_id: str, source: Mapping[str, Any]) -> str:
    """The exact rule a "Save anyway" answers for: its kind, id and every field but the audit's."""
    content = {k: v for k, v in source.items() if k not in ("updated_at", "updated_by")}
    canonical = json.dumps([kind, record_id, content], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _confirmations() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT)


def confirms(token: str | None, digest: str) -> bool:
    """Whether ``token`` is this app's confirmation, recent, of the rule with ``digest``."""
    try:
        confirmed = _confirmations().loads(token or "", max_age=CONFIRM_MAX_AGE_S)
    except BadData:
        return False
    return bool(confirmed == digest)


def gate_stops(form: Any, before: Curation, after: Curation, digest: str) -> tuple[gate.Report | None, bool]:
    """The gate's report on a save, and whether to stop and ask the editor first: it warned and
    they have not confirmed this very rule (``digest``). After a warning the form carries the
    signed confirmation for "Save anyway"; a rule changed since is gated again."""
    if confirms(form.confirm.data, digest):
        return None, False
    report = run_gate(before, after)
    form.confirm.data = _confirmations().dumps(digest) if report.warns else ""
    return report, report.warns


def unconfirmed(form: Any) -> None:
    """A preview shows no warning, so its page offers no "Save anyway" either."""
    form.confirm.data = ""


def done(what: str, verb: str, report: gate.Report | None) -> ResponseReturnValue:
    """After a save or a delete ("saved", "deleted"): readers see it, the editor the gate's figures."""
    changed()
    figures = summary(report) if report else f"{verb.capitalize()} despite the gate's warning."
    flash(f"{what} {verb}. {figures}")
    return redirect(url_for("admin.curation"))


def unchanged(found: store.Record | None, form: Any) -> bool:
    """Whether the stored rule is still the version the editor opened (the form's)."""
    return found is not None and found.version == store.Version.parse(form.version.data)


def conflict(what: str, current: store.Record | None) -> str:
    """What an editor is told when the rule changed under their edit: nothing was lost."""
    if current is None:
        return (f"This {what} was deleted after you opened it, so nothing was saved. Your version is kept "
                f"below: saving it makes it a new {what}.")
    by = current.source.get("updated_by") or CONSOLE
    at = str(current.source.get("updated_at") or "").replace("T", " ").replace("+00:00", " UTC")
    return (f"{by} changed this {what} ({at}) after you opened it, so nothing was saved. Their version "
            "is shown below, yours is still in the form: compare the two, then save again to replace "
            "theirs with yours.")


def read(kind: str, record_id: str | None) -> store.Record | None:
    """The stored rule of ``kind`` with this id: a page of one kind never reaches another's records."""
    return store.read(services.es(), prefix(), record_id, kind) if record_id else None


def found(kind: str, record_id: str, what: str) -> store.Record:
    record = read(kind, record_id)
    if record is None:
        abort(404, f"No {what} has this id.")
    return record


def gated_delete(kind: str, record: store.Record, what: str, before: Curation, after: Curation, *,
                 warned: Callable[[DeleteForm, gate.Report | None], ResponseReturnValue],
                 conflicted: Callable[[store.Record | None], ResponseReturnValue]) -> ResponseReturnValue:
    """A delete button's post, gated as a save is (``before``: the stored curation, ``after``: the
    same without the rule) and refused if the rule changed since the editor opened it. Deleted
    meanwhile by someone else, it is gone as the editor wanted."""
    form = submitted(DeleteForm())
    if not unchanged(record, form):
        return conflicted(record)
    report, stop = gate_stops(form, before, after, rule_digest(f"delete {kind}", record.id, record.source))
    if stop:
        return warned(form, report)
    try:
        store.delete(services.es(), prefix(), record.id, editor(form.editor.data), kind,
                     store.Version.parse(form.version.data))
    except store.Conflict as exc:
        if exc.current is not None:
            return conflicted(exc.current)
    return done(what, "deleted", report)
