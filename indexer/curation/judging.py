"""Editors' judgments, as the judgment list ``pagesift eval`` reads (indexer.relevance.judgments)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from indexer.curation.store import Judgment
from indexer.relevance.judgments import Judged, spreadsheet_safe

# Grades as the console offers them: pagesift eval reads any whole number, higher is better.
GRADES = {0: "not relevant", 1: "related", 2: "answers it", 3: "the best answer"}


def judged(judgments: Iterable[Judgment]) -> Judged:
    """Queries identified by their text, as the editors' CSV identifies them."""
    queries: dict[str, str] = {}
    qrels: dict[str, dict[str, int]] = {}
    for j in judgments:
        queries.setdefault(j.query, j.query)
        qrels.setdefault(j.query, {})[j.url] = j.grade
    return Judged(queries, qrels)


def to_csv(judgments: Iterable[Judgment]) -> str:
    """The editors' CSV (``query,url,grade``): ``pagesift eval FILE`` reads it as it is, and a
    spreadsheet opens it without running a query that looks like a formula as one."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["query", "url", "grade"])
    for j in judgments:
        writer.writerow([spreadsheet_safe(j.query), spreadsheet_safe(j.url), j.grade])
    return out.getvalue()
