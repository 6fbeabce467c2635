"""The dev sets: two public ones in ``<repo>/../shared/data`` (or ``$PAGESIFT_DEV_DATA``),
read in place, and ``modern``, today's page templates written for this project with their
gold (``bench/pages/modern/README.md``)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SETS = ("dragnet-train", "readability", "modern")
MODERN = REPO / "bench" / "pages" / "modern"


@dataclass(frozen=True)
class Sample:
    id: str
    html: Path
    gold: str
    title: str | None = None
    # False when the expected title keeps the site's name (see title_has_site_name).
    title_scored: bool = False


def data_dir() -> Path:
    return Path(os.environ.get("PAGESIFT_DEV_DATA") or REPO.parent / "shared" / "data")


def load(name: str, limit: int | None = None) -> list[Sample]:
    if name == "modern":
        samples = _modern(MODERN)
    elif name == "dragnet-train":
        samples = _dragnet(data_dir() / name)
    else:
        samples = _readability(data_dir() / name)
    return samples[:limit] if limit else samples


def _modern(root: Path) -> list[Sample]:
    samples = []
    for html in sorted(root.glob("*.html")):
        gold, meta = html.with_suffix(".txt"), html.with_suffix(".json")
        if not (gold.is_file() and meta.is_file()):
            continue
        title = json.loads(meta.read_text(encoding="utf-8")).get("title") or None
        samples.append(Sample(html.stem, html, gold.read_text(encoding="utf-8"), title,
                              title is not None))
    return samples


def _dragnet(root: Path) -> list[Sample]:
    gold = root / "gold"
    return [Sample(p.stem, p, (gold / f"{p.stem}.txt").read_text(encoding="utf-8"))
            for p in sorted((root / "html").glob("*.html"), key=_natural)]


def _readability(root: Path) -> list[Sample]:
    samples = []
    for folder in sorted(p for p in root.iterdir() if (p / "source.html").is_file()):
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        title = meta.get("title") or None
        html = folder / "source.html"
        scored = title is not None and not title_has_site_name(title, meta.get("siteName"), html)
        samples.append(Sample(folder.name, html,
                              (folder / "expected.txt").read_text(encoding="utf-8"),
                              title, scored))
    return samples


_SEPARATOR = re.compile(r"\s+(?:[|\-–—·•»/]|::)\s+")
_SITE_META = re.compile(
    rb"<meta[^>]+(?:og:site_name|application-name)[^>]*content=[\"']([^\"']+)", re.I)
_HOST = re.compile(rb"<(?:link[^>]+rel=[\"']canonical|meta[^>]+og:url)[^>]*"
                   rb"(?:href|content)=[\"']https?://([^/\"']+)", re.I)


def title_has_site_name(title: str, site_name: str | None, html: Path) -> bool:
    """Whether the first or last separated part of ``title`` names the site: it matches the
    expected or declared site name, or a label of the page's host name."""
    parts = _SEPARATOR.split(title)
    if len(parts) < 2:
        return False
    raw = html.read_bytes()[:200_000]
    names = [_key(n) for n in _declared_names(raw, site_name) if _key(n)]
    hosts = [_key(label) for h in _HOST.findall(raw)
             for label in h.decode("ascii", "ignore").split(".") if len(label) >= 2]
    for part in (_key(parts[0]), _key(parts[-1])):
        if any(part in n or n in part for n in names) or part in hosts:
            return True
    return False


def _declared_names(raw: bytes, site_name: str | None) -> list[str]:
    found = [m.decode("utf-8", "ignore") for m in _SITE_META.findall(raw)]
    return [*found, site_name] if site_name else found


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def _natural(path: Path) -> tuple[int, str]:
    return (int(path.stem) if path.stem.isdigit() else 0, path.stem)
