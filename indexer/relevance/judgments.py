"""Judged query sets: which articles answer which query, and how well.

Two formats. TREC: a qrels file (``query_id 0 doc_id grade`` a line) and a queries file
(``query_id<TAB>text`` a line), with ``doc_url`` turning a document id into the article's URL
(``https://example.org/doc/{doc_id}``; by default the id is the URL). Editors' CSV: a header
``query,url,grade`` then one judged article a line; grade 0 means judged not relevant.

The CSV is opened in spreadsheets too, where a cell starting ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return is a formula (CSV injection: a query a reader typed would run in the editor's
spreadsheet). Such a cell is written with a leading ``'`` (OWASP's advice), and read back without
it (:func:`spreadsheet_safe`, :func:`from_spreadsheet_safe`), so the file still means what it did.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

# What a spreadsheet reads as the start of a formula; and the quote that says "text".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def spreadsheet_safe(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text, never runs it. A cell already starting with the
    mark gets another, so that :func:`from_spreadsheet_safe` gives back exactly ``cell``."""
    return TEXT_MARK + cell if cell.startswith((*FORMULA_STARTS, TEXT_MARK)) else cell


def from_spreadsheet_safe(cell: str) -> str:
    marked = cell.startswith(TEXT_MARK) and cell[1:].startswith((*FORMULA_STARTS, TEXT_MARK))
    return cell[1:] if marked else cell


class JudgmentsError(ValueError):
    """A judgments file that cannot be read; the message says where and why."""


@dataclass(frozen=True)
class Judged:
    queries: dict[str, str]  # query id -> text
    qrels: dict[str, dict[str, int]]  # query id -> article URL -> grade

    def __post_init__(self) -> None:
        missing = sorted(set(self.qrels) - set(self.queries))
        if missing:
            raise JudgmentsError(f"judged query {missing[0]!r} has no text in the queries file")

    @property
    def judged_ids(self) -> list[str]:
        """Queries with at least one relevant article: the ones measures are averaged over."""
        return [q for q in self.queries if any(g > 0 for g in self.qrels.get(q, {}).values())]


def load(path: Path, queries: Path | None = None, doc_url: str = "{doc_id}") -> Judged:
    if path.suffix.lower() == ".csv":
        return load_csv(path)
    if queries is None:
        raise JudgmentsError(f"{path}: a TREC qrels file needs its queries file (--queries)")
    return load_trec(path, queries, doc_url)


def load_trec(qrels: Path, queries: Path, doc_url: str = "{doc_id}") -> Judged:
    if "{doc_id}" not in doc_url:
        raise JudgmentsError(f"--doc-url {doc_url!r} has no {{doc_id}} to put the document's id in")
    texts: dict[str, str] = {}
    for number, line in _lines(queries):
        qid, sep, text = line.partition("\t")
        if not sep or not text.strip():
            raise JudgmentsError(f"{queries}:{number}: expected 'query_id<TAB>text'")
        texts[qid.strip()] = " ".join(text.split())
    grades: dict[str, dict[str, int]] = {}
    for number, line in _lines(qrels):
        parts = line.split()
        if len(parts) != 4:
            raise JudgmentsError(f"{qrels}:{number}: expected 'query_id 0 doc_id grade'")
        grades.setdefault(parts[0], {})[doc_url.format(doc_id=parts[2])] = _grade(parts[3], qrels, number)
    return Judged({q: t for q, t in texts.items() if q in grades}, grades)


def load_csv(path: Path) -> Judged:
    """Queries are identified by their text; the same query on several lines judges several URLs."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or not {"query", "url", "grade"} <= set(reader.fieldnames):
            raise JudgmentsError(f"{path}: the first line must name the columns query,url,grade")
        queries: dict[str, str] = {}
        grades: dict[str, dict[str, int]] = {}
        for row in reader:
            query, url = (from_spreadsheet_safe(row[key] or "") for key in ("query", "url"))
            text, url = " ".join(query.split()), url.strip()
            if not text or not url:
                raise JudgmentsError(f"{path}:{reader.line_num}: a judgment needs a query and a url")
            queries.setdefault(text, text)
            grades.setdefault(text, {})[url] = _grade(row["grade"] or "", path, reader.line_num)
    return Judged(queries, grades)


def _lines(path: Path) -> list[tuple[int, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise JudgmentsError(f"{path}: {exc}") from None
    return [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def _grade(raw: str, path: Path, number: int) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise JudgmentsError(f"{path}:{number}: grade {raw.strip()!r} is not a whole number") from None
