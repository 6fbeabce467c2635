"""The CACM test collection (``../shared/data/relevance/cacm``) as a site of HTML pages and
a judged query set in TREC form, for bench/relevance.py.

Each abstract becomes the page the collection's README describes: the title as ``<title>`` and
``<h1>``, the abstract as one ``<p>``, and a canonical URL of our own carrying the document's
number, so that judgments name documents by URL as an editor's would.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "relevance" / "cacm"
BASE_URL = "https://cacm.example.org/"
URL_TEMPLATE = BASE_URL + "doc/{docno}"
_RECORD = re.compile(r"^\.I (\d+)\s*$", re.M)
_FIELD = re.compile(r"^\.([A-Z])\s*$", re.M)


@dataclass(frozen=True)
class Record:
    docno: str
    fields: dict[str, str]
    lines: dict[str, list[str]] = field(default_factory=dict)  # each field's own lines


def records(text: str) -> Iterator[Record]:
    """``.I n`` records, each a map of one-letter field to its text (lines joined)."""
    starts = list(_RECORD.finditer(text))
    for i, start in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        body = text[start.end():end]
        parts = _FIELD.split(body)
        # split() gives [before, name, text, name, text, ...]
        fields = {parts[j]: " ".join(parts[j + 1].split()) for j in range(1, len(parts) - 1, 2)}
        lines = {parts[j]: [" ".join(x.split()) for x in parts[j + 1].splitlines() if x.strip()]
                 for j in range(1, len(parts) - 1, 2)}
        yield Record(start.group(1), fields, lines)


def page_html(record: Record, *, tagged: bool = False) -> bytes:
    """``tagged``: the site variant of bench/site_words.py, whose pages also carry the
    record's keywords (``.K``, on 1,429 documents) as ``article:tag`` and its authors (``.A``)
    as ``author`` meta tags, as a site's templates print them."""
    e = html.escape
    title = e(record.fields.get("T", ""))
    abstract = e(record.fields.get("W", ""))
    url = URL_TEMPLATE.format(docno=record.docno)
    meta = "".join(f'<meta property="article:tag" content="{e(tag)}">' for tag in keywords(record)) + \
        "".join(f'<meta name="author" content="{e(name)}">' for name in authors(record)) if tagged else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{meta}'
            f'<link rel="canonical" href="{url}"></head><body><article><h1>{title}</h1>'
            f"<p>{abstract}</p></article></body></html>").encode()


def keywords(record: Record) -> list[str]:
    return list(dict.fromkeys(k.strip() for k in record.fields.get("K", "").split(",") if k.strip()))


def authors(record: Record) -> list[str]:
    """``.A`` holds one author a line ("Perlis, A. J.")."""
    return list(dict.fromkeys(record.lines.get("A", [])))


def write_site(folder: Path, data: Path = DATA, *, tagged: bool = False) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for record in records((data / "cacm.all").read_text(encoding="latin-1")):
        (folder / f"{record.docno}.html").write_bytes(page_html(record, tagged=tagged))
        count += 1
    return count


def write_queries(target: Path, data: Path = DATA) -> int:
    """The judged queries as a TREC topics file of ``id<TAB>text`` lines (only judged ones)."""
    judged = {line.split()[0].lstrip("0") for line in (data / "qrels.text").read_text().splitlines()
              if line.strip()}
    queries = records((data / "query.text").read_text(encoding="latin-1"))
    lines = [f"{r.docno}\t{r.fields['W']}" for r in queries if r.docno in judged and r.fields.get("W")]
    target.write_text("\n".join(lines) + "\n")
    return len(lines)


def titles(data: Path = DATA) -> dict[str, str]:
    """Article URL -> title, for the titles no other article shares (a title searched for is
    then answered by one article only)."""
    pairs = [(URL_TEMPLATE.format(docno=r.docno), r.fields.get("T", ""))
             for r in records((data / "cacm.all").read_text(encoding="latin-1"))]
    counts = Counter(title for _, title in pairs)
    return {url: title for url, title in pairs if title and counts[title] == 1}


def write_qrels(target: Path, data: Path = DATA) -> int:
    """``qid 0 docno 1`` lines: TREC qrels with binary grades."""
    rows = [line.split() for line in (data / "qrels.text").read_text().splitlines() if line.strip()]
    target.write_text("".join(f"{q.lstrip('0')} 0 {d} 1\n" for q, d, *_ in rows))
    return len(rows)
