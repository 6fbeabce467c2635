"""Synonyms: drafted from a query that found nothing, previewed on it, gated on save.

The preview shows what the rule does (the query without it and with it); the gate whether
saving makes things worse (the stored rules, an edited one's saved version among them, against
the same with this version in its place)."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

from indexer.curation import proposals, store
from indexer.curation.model import Curation
from indexer.curation.synonyms import Synonym, SynonymError, parse_rule
from web import settings_of
from web.admin import curating, services
from web.admin.blueprint import bp
from web.admin.forms import SynonymForm


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
    existing = _stored(record_id)
    if request.method == "GET":
        return _editor(SynonymForm(rule=existing.rule, note=existing.note, q=request.args.get("q", "")),
                       existing)
    return _submit(existing)


@bp.post("/curation/synonyms/<record_id>/delete")
def delete_synonym(record_id: str) -> ResponseReturnValue:
    return curating.delete(record_id, "Synonym")


def _submit(existing: Synonym | None) -> ResponseReturnValue:
    form = SynonymForm()
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
    digest = curating.rule_digest(store.SYNONYM, candidate.id, store.synonym_source(candidate))
    current = curating.stored()
    report, stop = curating.gate_stops(form, current, current.with_synonym(candidate), digest)
    if stop:
        return _editor(form, existing, candidate=candidate, report=report)
    store.save_synonym(services.es(), curating.prefix(), candidate, curating.editor(form.editor.data))
    return curating.saved(f"Synonym “{candidate.rule}”", report)


def _editor(form: SynonymForm, existing: Synonym | None, *, candidate: Synonym | None = None,
            drafts: list[proposals.Proposal] | None = None, report: Any = None, problem: str | None = None,
            status: int = 200) -> ResponseReturnValue:
    q = (form.q.data or "").strip()
    rule = candidate or existing
    previews = None
    if q:
        before, after = _sides(curating.stored(), rule, existing)
        previews = {"before": curating.preview(q, before), "after": curating.preview(q, after)}
    return render_template("admin/curation_synonym.html", form=form, existing=existing, drafts=drafts or [],
                           previews=previews, report=report, problem=problem, q=q), status


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


def _stored(record_id: str) -> Synonym:
    source = store.get(services.es(), curating.prefix(), record_id)
    if source is None or source.get("kind") != store.SYNONYM:
        abort(404, "No synonym has this id.")
    return store.synonym_from(record_id, source)
