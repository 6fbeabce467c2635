"""Turn a console submission into sources the pipeline reads: a URL list file, a folder of
HTML pages (uploaded as files or inside a zip), WARC files.

Everything lands in a fresh folder under ``<home>/uploads``, which workers on the same host
read; the pages' raw HTML is copied into the raw store as they are ingested, so the folder
is only needed until the job ends (and for retrying its failed pages).
"""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

HTML_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
# A zip of a whole site is fine; a zip of a million tiny files is an attack.
MAX_ZIP_MEMBERS = 100_000


class UploadError(ValueError):
    """A submission that cannot be used; the message says what to change."""


def new_folder(home: Path) -> Path:
    folder = home / "uploads" / uuid.uuid4().hex[:12]
    folder.mkdir(parents=True)
    return folder


def url_list(text: str) -> list[str]:
    """The http(s) URLs of a pasted list, one a line; blank lines and ``#`` comments skipped."""
    urls = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = urlsplit(line)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UploadError(f"line {number} is not an http(s) URL: {line[:200]}")
        urls.append(line)
    return urls


def write_url_list(folder: Path, urls: list[str]) -> Path:
    path = folder / "urls.txt"
    path.write_text("".join(f"{u}\n" for u in urls), encoding="utf-8")
    return path


def save_files(folder: Path, uploads: Iterable[FileStorage], max_bytes: int) -> list[Path]:
    """Save uploaded pages, zips and WARCs; the sources to ingest (the HTML folder, each WARC)."""
    pages = folder / "pages"
    sources: list[Path] = []
    for upload in uploads:
        if not upload or not upload.filename:
            continue
        name = secure_filename(upload.filename) or "upload"
        lowered = name.lower()
        if lowered.endswith(WARC_SUFFIXES):
            target = folder / name
            upload.save(target)
            sources.append(target)
        elif lowered.endswith(HTML_SUFFIXES):
            pages.mkdir(exist_ok=True)
            upload.save(_unique(pages / name))
        elif lowered.endswith(".zip"):
            pages.mkdir(exist_ok=True)
            _extract_pages(upload, pages, max_bytes)
        else:
            raise UploadError(f"{upload.filename}: upload .html or .htm pages, a .zip of them, "
                              "or a .warc / .warc.gz archive")
    if pages.exists():
        if not any(pages.rglob("*")):
            raise UploadError("the zip held no .html or .htm pages")
        sources.insert(0, pages)
    return sources


def _extract_pages(upload: FileStorage, pages: Path, max_bytes: int) -> None:
    try:
        archive = zipfile.ZipFile(upload.stream)
    except zipfile.BadZipFile as exc:
        raise UploadError(f"{upload.filename}: not a readable zip ({exc})") from exc
    with archive:
        members = [m for m in archive.infolist()
                   if not m.is_dir() and m.filename.lower().endswith(HTML_SUFFIXES)]
        if len(members) > MAX_ZIP_MEMBERS:
            raise UploadError(f"{upload.filename}: more than {MAX_ZIP_MEMBERS} pages")
        # Declared sizes bound what zipfile will produce, so this stops a zip bomb before it opens.
        if sum(m.file_size for m in members) > max_bytes:
            raise UploadError(f"{upload.filename}: its pages come to more than {max_bytes} bytes unpacked")
        for member in members:
            target = _member_path(pages, member.filename)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, _unique(target).open("wb") as out:
                out.write(source.read())


def _member_path(pages: Path, name: str) -> Path:
    """Where a zip member goes: its own relative path (the page's URL may come from it), made
    safe; never outside ``pages``."""
    parts = [secure_filename(p) for p in PurePosixPath(name.replace("\\", "/")).parts]
    parts = [p for p in parts if p and p not in (".", "..")]
    if not parts:
        raise UploadError(f"zip member {name!r} has no usable name")
    return pages.joinpath(*parts)


def _unique(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return candidate
