"""Web archives: response records with HTML, read by offset so tasks carry no page bodies."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator


@dataclass(frozen=True)
class WarcRecord:
    url: str
    offset: int
    content_type: str


def responses(path: Path) -> Iterator[WarcRecord]:
    """Every ``response`` record (and ``resource`` record) with its byte offset."""
    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        for record in records:
            if record.rec_type not in ("response", "resource"):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            content_type = ""
            if record.http_headers is not None:
                content_type = record.http_headers.get_header("Content-Type") or ""
            elif record.rec_headers.get_header("Content-Type"):
                content_type = record.rec_headers.get_header("Content-Type")
            yield WarcRecord(url, records.get_record_offset(), content_type)


def read(path: Path, offset: int, cap: int) -> tuple[str, dict[str, str], bytes, int]:
    """(url, lower-case HTTP headers, body, status) of the record at ``offset``; body capped."""
    with path.open("rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        headers: dict[str, str] = {}
        status = 200
        if record.http_headers is not None:
            headers = {k.lower(): v for k, v in record.http_headers.headers}
            status = int(record.http_headers.get_statuscode() or 200)
        body = record.content_stream().read(cap + 1)
        return url, headers, body, status
