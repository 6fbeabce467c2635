"""Best bets: the editor with the results page before and after, the gate on save.

Two comparisons, each answering its own question. The preview shows what the rule does: the
results page without it, and with it. The gate decides whether saving makes things worse: the
curation as it stands (an edited rule's saved version in it) against the same with this
version in its place, so turning a helpful rule into a worse one warns even when the new one
still beats having no rule at all."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue

from indexer.curation import best_bets as bb
from indexer.curation import store
from indexer.curation.best_bets import BestBet, BestBetError
from indexer.curation.model import Curation
from indexer.query.text import tidy
from web.admin import curating, services
from web.admin.blueprint import bp
from web.admin.forms import BestBetForm


@bp.route("/curation/best-bets/new", methods=["GET", "POST"])
def new_best_bet() -> ResponseReturnValue:
    if request.method == "GET":
        # ?pin=URL / ?hide=URL: the "Pin" and "Hide" links beside the synonym editor's results.
        pins, hidden = "", ""
        for click in ("pin", "hide"):
            for url in request.args.getlist(click):
                pins, hidden = bb.clicked(pins, hidden, click, url)
        return _editor(BestBetForm(query=request.args.get("q", ""), pins=pins, hidden=hidden), None)
    return _submit(None)


@bp.route("/curation/best-bets/<record_id>", methods=["GET", "POST"])
def best_bet(record_id: str) -> ResponseReturnValue:
    existing = _stored(record_id)
    if request.method == "GET":
        form = BestBetForm(query=existing.query, match=existing.match, pins=bb.pins_text(existing.pins),
                           hidden=bb.targets_text(existing.hidden), note=existing.note,
                           starts=_naive(existing.starts), ends=_naive(existing.ends))
        return _editor(form, existing)
    return _submit(existing)


@bp.post("/curation/best-bets/<record_id>/delete")
def delete_best_bet(record_id: str) -> ResponseReturnValue:
    return curating.delete(record_id, "Best bet")


def _submit(existing: BestBet | None) -> ResponseReturnValue:
    form = BestBetForm()
    if not form.validate_on_submit():
        return _editor(form, existing, status=400)
    click = next((c for c in bb.CLICKS if request.form.get(c)), None)
    try:
        if click:  # a Pin, Hide, Unpin or Unhide button beside a result: edit, then preview
            form.pins.data, form.hidden.data = bb.clicked(form.pins.data or "", form.hidden.data or "", click,
                                                          request.form[click])
        bet = _from_form(form, existing)
    except BestBetError as exc:
        return _editor(form, existing, problem=str(exc), status=400)
    if click or request.form.get("action") != "save":
        curating.unconfirmed(form)
        return _editor(form, existing, candidate=bet)
    digest = curating.rule_digest(store.BEST_BET, bet.id, store.best_bet_source(bet))
    report, stop = curating.gate_stops(form, *_gated(curating.stored(), bet, existing), digest)
    if stop:
        return _editor(form, existing, candidate=bet, report=report)
    saved = store.save_best_bet(services.es(), curating.prefix(), bet, curating.editor(form.editor.data))
    return curating.saved(f"Best bet for “{saved.query}”", report)


def _editor(form: BestBetForm, existing: BestBet | None, *, candidate: BestBet | None = None,
            report: Any = None, problem: str | None = None, status: int = 200) -> ResponseReturnValue:
    q = form.query.data or ""
    current = curating.stored()
    rule = candidate or existing
    before, after = _sides(current, rule, existing) if rule else (current, current)
    previews = {"before": curating.preview(q, before), "after": curating.preview(q, after)} if q else None
    pinned = {p.doc_id for p in rule.pins} if rule else set()
    marks = {"pinned": {p.url for p in rule.pins}, "hidden": {t.url for t in rule.hidden}} if rule else \
        {"pinned": set(), "hidden": set()}
    return render_template("admin/curation_best_bet.html", form=form, existing=existing, previews=previews,
                           pinned=pinned, marks=marks, report=report, problem=problem,
                           audit=store.audit_trail(services.es(), curating.prefix(), existing.id)
                           if existing else []), status


def _sides(current: Curation, bet: BestBet | None, existing: BestBet | None) -> tuple[Curation, Curation]:
    """The preview's: without the rule, and with it as saved."""
    without = current.with_best_bet(None, dropping=existing.id if existing else "")
    return without, without.with_best_bet(_as_saved(bet) if bet else None)


def _gated(current: Curation, bet: BestBet, existing: BestBet | None) -> tuple[Curation, Curation]:
    """The gate's: the stored curation (an edited rule's saved version as while active), and the
    same with this version in its place."""
    before = current.with_best_bet(_while_active(existing)) if existing else current
    return before, current.with_best_bet(_as_saved(bet))


def _while_active(bet: BestBet) -> BestBet:
    # Dates set aside: the point is what the rule does when it applies, not whether it does today.
    return replace(bet, starts=None, ends=None)


def _as_saved(bet: BestBet) -> BestBet:
    # Saving makes it the most recently edited rule: the first whose pin counts when two pin one article.
    return replace(_while_active(bet), updated_at=datetime.now(UTC))


def _from_form(form: BestBetForm, existing: BestBet | None) -> BestBet:
    starts, ends = _utc(form.starts.data), _utc(form.ends.data)
    if starts and ends and ends <= starts:
        raise BestBetError("“Until” is after “From”.")
    pins, hidden = bb.parse_pins(form.pins.data or ""), bb.parse_targets(form.hidden.data or "")
    if not pins and not hidden:
        raise BestBetError("Pin or hide at least one article.")
    both = {p.doc_id for p in pins} & {t.doc_id for t in hidden}
    if both:
        raise BestBetError("An article cannot be pinned and hidden by one rule.")
    return BestBet(id=existing.id if existing else "", query=tidy(form.query.data or ""),
                   match=form.match.data or "exact", pins=pins, hidden=hidden, starts=starts, ends=ends,
                   note=(form.note.data or "").strip())


def _stored(record_id: str) -> BestBet:
    source = store.get(services.es(), curating.prefix(), record_id)
    if source is None or source.get("kind") != store.BEST_BET:
        abort(404, "No best bet has this id.")
    return store.best_bet_from(record_id, source)


def _utc(value: datetime | None) -> datetime | None:
    # The form's times are UTC, as the page says: a console has no idea of the editor's zone.
    return value.replace(tzinfo=UTC) if value else None


def _naive(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC).replace(tzinfo=None) if value else None
