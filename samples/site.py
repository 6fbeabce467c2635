"""Build the sample site into a directory: plan, render, write only what changed.

Unchanged files keep their bytes and modification time, so a rebuild followed by a re-ingest
gets 304 answers from :mod:`samples.serve` and the pipeline skips every page.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from samples.plan import SitePlan, plan_site
from samples.prose import Section
from samples.render import render_site

DEFAULT_PORT = 8070
DEFAULT_BASE_URL = f"http://127.0.0.1:{DEFAULT_PORT}"
DEFAULT_ARTICLES = 520
DEFAULT_SEED = 1
# Build facts the server needs (charsets) and the file list a rebuild prunes against.
MANIFEST = ".site.json"


@dataclass(frozen=True)
class BuildReport:
    out: Path
    plan: SitePlan
    files: int
    written: int
    removed: int

    def facets(self) -> dict[str, Counter[str]]:
        return facets(self.plan)


def site_dir(home: Path) -> Path:
    return home / "samples" / "site"


def build(out: Path, sections: Mapping[str, Sequence[Section]], *,
          articles: int = DEFAULT_ARTICLES, seed: int = DEFAULT_SEED, base_url: str = DEFAULT_BASE_URL,
          source: str = "") -> BuildReport:
    plan = plan_site(sections, articles=articles, seed=seed)
    site = render_site(plan, base_url, seed=seed)
    manifest = {"base_url": base_url.rstrip("/"), "seed": seed, "articles": articles, "source": source,
                "charsets": site.charsets, "files": sorted(site.files)}
    files = {**site.files, MANIFEST: (json.dumps(manifest, indent=1, ensure_ascii=False) + "\n").encode()}
    outside = [name for name in files if not _inside(name)]
    if outside:
        raise ValueError(f"refusing to write outside {out}: {outside[:3]}")
    removed = _prune(out, set(files))
    written = sum(_write_if_changed(out / name, data) for name, data in files.items())
    return BuildReport(out=out, plan=plan, files=len(files), written=written, removed=removed)


def read_manifest(out: Path) -> dict[str, object]:
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _inside(name: str) -> bool:
    return not Path(name).is_absolute() and ".." not in Path(name).parts


def _write_if_changed(path: Path, data: bytes) -> bool:
    with contextlib.suppress(FileNotFoundError):
        if path.read_bytes() == data:
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _prune(out: Path, keep: set[str]) -> int:
    """Delete files an earlier build wrote that this one does not; never anything else."""
    previous = read_manifest(out).get("files", [])
    stale = [name for name in previous if isinstance(name, str) and name not in keep
             and _inside(name)] if isinstance(previous, list) else []
    for name in stale:
        with contextlib.suppress(FileNotFoundError):
            (out / name).unlink()
        _remove_empty_parents(out, (out / name).parent)
    return len(stale)


def _remove_empty_parents(out: Path, directory: Path) -> None:
    while directory != out and directory.is_relative_to(out):
        try:
            directory.rmdir()
        except OSError:  # not empty (or already gone): the rest of the path stays too
            return
        directory = directory.parent


def facets(plan: SitePlan) -> dict[str, Counter[str]]:
    """How many posts and pages carry each value of each facet the search page shows."""
    documents = (*plan.articles, *plan.pages)
    return {
        "language": Counter(a.language for a in documents),
        "type": Counter(a.type for a in documents),
        "year": Counter(str(a.published.year) for a in documents),
        "category": Counter(c.name for a in documents for c in a.categories),
        "tag": Counter(t.name for a in documents for t in a.tags),
        "author": Counter(a.author.name for a in documents),
        "encoding": Counter(a.encoding for a in documents),
    }
