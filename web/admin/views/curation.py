"""The curation overview: best bets, synonyms, judged queries, and who changed what."""

from __future__ import annotations

from flask import Response, current_app, render_template

from indexer.curation import judging, store
from web import settings_of
from web.admin import curating, services
from web.admin.blueprint import bp


@bp.get("/curation/")
def curation() -> str:
    es, prefix = services.es(), curating.prefix()
    judged = judging.judged(store.judgments(es, prefix))
    return render_template("admin/curation.html", best_bets=store.best_bets(es, prefix),
                           synonyms=store.synonyms(es, prefix), judged=judged,
                           audit=store.audit_trail(es, prefix, limit=30),
                           cache_seconds=f"{settings_of(current_app).curation.cache_seconds:g}")


@bp.get("/curation/judgments.csv")
def judgments_csv() -> Response:
    """The judgment list in the editors' CSV: ``pagesift eval judgments.csv`` reads it as it is."""
    text = judging.to_csv(store.judgments(services.es(), curating.prefix()))
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=judgments.csv"})
