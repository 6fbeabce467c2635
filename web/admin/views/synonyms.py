"""Synonyms: drafted from a query that found nothing, previewed on it, gated on save.

The preview shows what the rule does (the query without it and with it); the gate whether
saving makes things worse (the stored rules, an edited one's saved version among them, against
the same with this version in its place)."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue

from indexer.curation import proposals, store
from indexer.curation.model import Curation
from indexer.curation.synonyms import Synonym, SynonymError, parse_rule
from web import settings_of
from web.admin import curating, services
from web.admin.blueprint import bp
from web.admin.forms import DeleteForm, SynonymForm


@bp.route("/curation/synonyms/new", methods=["GET", "POST"])
def new_synonym() -> ResponseReturnValue:
    if request.method == "GET":
        q = request.args.get("q", "").strip()
        drafts = _drafts(q)
        rule = request.args.get("rule") or (drafts[0].rule if drafts else "")
        return _editor(SynonymForm(rule=rule, q=q), None, drafts=drafts)
    return _submit(None)


@bp.route("/curation/synonyms/<record_id>", methods=["GET", "POST"])
def synonym(record_id: str) -> ResponseReturnValue:
    if request.method == "GET":
        found = _found(record_id)
        return _editor(_form_of(found, request.args.get("q", "")), _synonym(found))
    return _submit(record_id)


@bp.post("/curation/synonyms/<record_id>/delete")
def delete_synonym(record_id: str) -> ResponseReturnValue:
    found = _found(record_id)
    existing, current = _synonym(found), curating.stored()
    return curating.gated_delete(
        store.SYNONYM, found, f"Synonym “{existing.rule}”",
        current, current.with_synonym(None, dropping=found.id),
        warned=lambda form, report: _editor(_form_of(found), existing, report=report, deleting=form),
        conflicted=lambda now: _conflict(_form_of(now) if now else SynonymForm(), now, None))


def _submit(record_id: str | None) -> ResponseReturnValue:
    form = SynonymForm()
    found = curating.read(store.SYNONYM, record_id)
    existing = _synonym(found) if found else None
    if not form.validate_on_submit():
        return _editor(form, existing, status=400)
    candidate = Synonym(existing.id if existing else "", (form.rule.data or "").strip(),
                        (form.note.data or "").strip())
    try:
        parse_rule(candidate.rule)
    except SynonymError as exc:
        return _editor(form, existing, problem=str(exc), status=400)
    if request.form.get("action") != "save":
        curating.unconfirmed(form)
        return _editor(form, existing, candidate=candidate)
    if record_id and not curating.unchanged(found, form):
        return _conflict(form, found, candidate)
    digest = curating.rule_digest(store.SYNONYM, candidate.id, store.synonym_source(candidate))
    current = curating.stored()  # as stored now, this rule's version the one the editor opened
    report, stop = curating.gate_stops(form, current, current.with_synonym(candidate), digest)
    if stop:
        return _editor(form, existing, candidate=candidate, report=report)
    try:
        store.save_synonym(services.es(), curating.prefix(), candidate, curating.editor(form.editor.data),
                           store.Version.parse(form.version.data) if existing else None)
    except store.Conflict as exc:  # changed while the gate ran
        return _conflict(form, exc.current, candidate)
    return curating.done(f"Synonym “{candidate.rule}”", "saved", report)


def _conflict(form: SynonymForm, current: store.Record | None, mine: Synonym | None) -> ResponseReturnValue:
    """As for best bets: the editor's text kept, the stored version shown, saving again replaces it."""
    form.version.data = current.version.token if current else ""
    curating.unconfirmed(form)
    theirs = _synonym(current) if current else None
    rows = [("Rule", theirs.rule), ("Note", theirs.note)] if theirs else []
    return _editor(form, theirs, candidate=mine, theirs=rows,
                   problem=curating.conflict("synonym", current), status=409)


def _editor(form: SynonymForm, existing: Synonym | None, *, candidate: Synonym | None = None,
            drafts: list[proposals.Proposal] | None = None, report: Any = None, problem: str | None = None,
            status: int = 200, theirs: curating.Rows = (),
            deleting: DeleteForm | None = None) -> ResponseReturnValue:
    q = (form.q.data or "").strip()
    rule = candidate or existing
    previews = None
    if q:
        before, after = _sides(curating.stored(), rule, existing)
        previews = {"before": curating.preview(q, before), "after": curating.preview(q, after)}
    return render_template("admin/curation_synonym.html", form=form, existing=existing, drafts=drafts or [],
                           previews=previews, report=report, problem=problem, q=q, theirs=theirs,
                           deleting=deleting), status


def _sides(current: Curation, synonym: Synonym | None, existing: Synonym | None) -> tuple[Curation, Curation]:
    """The preview's: without the rule, and with it."""
    without = current.with_synonym(None, dropping=existing.id if existing else "")
    return without, without.with_synonym(synonym) if synonym else without


def _drafts(q: str) -> list[proposals.Proposal]:
    if not q:
        return []
    settings = settings_of(current_app)
    return proposals.propose(services.es(), settings.index.prefix, [q], curating.stored().synonyms,
                             timeout_s=settings.web.search_timeout)


def _found(record_id: str) -> store.Record:
    return curating.found(store.SYNONYM, record_id, "synonym")


def _synonym(found: store.Record) -> Synonym:
    return store.synonym_from(found.id, found.source)


def _form_of(found: store.Record, q: str = "") -> SynonymForm:
    synonym = _synonym(found)
    return SynonymForm(rule=synonym.rule, note=synonym.note, q=q, version=found.version.token)
