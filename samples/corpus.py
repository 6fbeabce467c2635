"""The benchmark corpus: many realistic cleaned documents, streamed as JSON Lines.

Each document recombines real paragraphs of the Debian handbook (a run of consecutive ones
and a few from elsewhere, so no two documents read the same), is titled by the section it
starts in, and carries the fields a cleaned page has. Categories follow a Zipf-like spread,
dates cover ten years, about a tenth of the documents are in Persian. The same seed gives
the same corpus, byte for byte; documents are generated one at a time, never held together.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from indexer.clean.cleaner import content_hash
from samples import taxonomy as tx
from samples.plan import ZIPF_S, tag_term
from samples.prose import Section

DEFAULT_DOCS = 100_000
DEFAULT_SITE = "news.example.org"
PERSIAN_SHARE = 0.1
START = datetime(2016, 11, 1, tzinfo=UTC)
YEARS = 10
TYPES = (("post", 0.93), ("video", 0.04), ("page", 0.03))
DESCRIPTION_WORDS = 30


@dataclass(frozen=True)
class _Paragraph:
    text: str
    heading: str
    tags: tuple[str, ...]


class _Pool:
    """One language's paragraphs with their section heading and the tags their words earn
    (matched once here rather than once per document)."""

    def __init__(self, sections: Sequence[Section], language: str) -> None:
        rules = tx.TAG_RULES_FA if language == "fa" else tx.TAG_RULES_EN
        compiled = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in rules.items()]
        self.language = language
        self.paragraphs = [
            _Paragraph(text, section.title, tuple(name for name, rx in compiled if rx.search(text)))
            for section in sections for text in section.paragraphs]
        if not self.paragraphs:
            raise ValueError(f"no {language!r} paragraphs to build the corpus from")
        self.categories = list(tx.CATEGORIES_FA if language == "fa" else tx.CATEGORIES_EN)
        self.weights = [1 / rank ** ZIPF_S for rank in range(1, len(self.categories) + 1)]
        self.authors = list(tx.AUTHORS_FA if language == "fa" else tx.AUTHORS_EN)
        self.generic_tags = tx.TAGS_FA_GENERIC if language == "fa" else tx.TAGS_EN_GENERIC


def documents(sections: Mapping[str, Sequence[Section]], count: int = DEFAULT_DOCS, seed: int = 1,
              site: str = DEFAULT_SITE) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    pools = {language: _Pool(sections.get(language, ()), language) for language in ("en", "fa")}
    span = timedelta(days=365 * YEARS).total_seconds()
    types = [name for name, _ in TYPES]
    type_weights = [share for _, share in TYPES]
    for number in range(count):
        pool = pools["fa" if rng.random() < PERSIAN_SHARE else "en"]
        published = START + timedelta(seconds=int(rng.uniform(0, span)))
        yield _document(rng, pool, number, published, rng.choices(types, type_weights)[0], site)


def _document(rng: random.Random, pool: _Pool, number: int, published: datetime, kind: str,
              site: str) -> dict[str, Any]:
    chosen = _paragraphs(rng, pool.paragraphs)
    content = "\n\n".join(p.text for p in chosen)
    prefixes = tx.TITLE_PREFIXES[pool.language]
    title = rng.choice(prefixes) + chosen[0].heading
    modified = published + timedelta(days=rng.uniform(0, 300)) if rng.random() < 0.4 else None
    earned = sorted({tag for p in chosen for tag in p.tags})
    tags = rng.sample(earned, min(4, len(earned))) or [rng.choice(pool.generic_tags)]
    slug = tx.slugify(title)[:60].strip("-") if pool.language == "en" else "post"
    prefix = "/fa" if pool.language == "fa" else ""
    return {
        "url": f"https://{site}{prefix}/{published:%Y/%m}/{slug}-{number}/",
        "title": title,
        "content": content,
        "description": " ".join(content.split()[:DESCRIPTION_WORDS]),
        "categories": sorted({c.name for c in rng.choices(pool.categories, pool.weights,
                                                          k=rng.choice((1, 1, 2, 3)))}),
        "tags": [tag_term(tag, pool.language).name for tag in tags],
        "authors": [rng.choice(pool.authors).name],
        "type": kind,
        "language": pool.language,
        "kind": "article",
        "published": published.isoformat(),
        "modified": modified.replace(microsecond=0).isoformat() if modified else None,
        "word_count": len(content.split()),
        "content_hash": content_hash(content),
        "site": site,
        "site_name": tx.SITE_NAME[pool.language],
        "image": f"https://{site}/wp-content/uploads/covers/cover-{number % 12}.svg",
    }


def _paragraphs(rng: random.Random, pool: Sequence[_Paragraph]) -> list[_Paragraph]:
    start = rng.randrange(len(pool))
    run = list(pool[start:start + rng.randint(2, 6)])
    return run + [pool[rng.randrange(len(pool))] for _ in range(rng.randint(1, 4))]


def write(out: TextIO, docs: Iterator[dict[str, Any]]) -> int:
    written = 0
    for doc in docs:
        out.write(json.dumps(doc, ensure_ascii=False))
        out.write("\n")
        written += 1
    return written


def write_file(path: Path, docs: Iterator[dict[str, Any]]) -> int:
    """Write to ``path`` through a temporary name, so an interrupted run leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    with open(partial, "w", encoding="utf-8") as out:
        written = write(out, docs)
    partial.replace(path)
    return written
