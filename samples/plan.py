"""Decide, deterministically from a seed, every article of the sample site.

Pure: no files, no clock. :mod:`samples.site` renders the plan.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

from samples import taxonomy as tx
from samples.prose import Section
from samples.taxonomy import Term

FIRST_DAY = datetime(2014, 1, 6, tzinfo=UTC)
LAST_DAY = datetime(2026, 10, 30, tzinfo=UTC)
PERSIAN_SHARE = 0.15
CP1256_ARTICLES = 6
VIDEO_SHARE = 0.04
JSONLD_SHARE = 0.4
NEAR_DUPLICATES = 8
COVERS = 12
# Attempts at drawing an article text that is its own (a tiny book may run out).
MAX_DRAWS = 200
# Most of an article's words that one earlier article may also have: far below the share of
# shingles (about 80%) that makes the near-duplicate detector call two pages one article.
MAX_SHARED = 0.3
# Zipf exponent for category popularity: a few categories hold most articles, as on real sites.
ZIPF_S = 1.0


@dataclass(frozen=True)
class Comment:
    author: str
    text: str
    posted: datetime


@dataclass(frozen=True)
class Article:
    id: int
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    language: str
    published: datetime
    modified: datetime | None
    categories: tuple[Term, ...]
    tags: tuple[Term, ...]
    author: Term
    type: str  # 'post', 'video' (a post in the video format) or 'page'
    encoding: str = "utf-8"
    jsonld: bool = False
    cover: int = 0
    comments: tuple[Comment, ...] = ()
    noindex: bool = False

    @property
    def path(self) -> str:
        if self.type == "page":
            return f"/{self.slug}/"
        prefix = "/fa" if self.language == "fa" else ""
        return f"{prefix}/{self.published:%Y/%m}/{self.slug}/"

    @property
    def image(self) -> str:
        return f"/wp-content/uploads/covers/cover-{self.cover}.svg"


@dataclass(frozen=True)
class Duplicate:
    """The same article under another URL: an AMP view (canonical to the original) or a
    republished copy with its own canonical and a one-line note."""

    original: Article
    path: str
    amp: bool


@dataclass(frozen=True)
class SitePlan:
    articles: tuple[Article, ...]  # posts, oldest first
    pages: tuple[Article, ...]
    duplicates: tuple[Duplicate, ...]
    broken: Mapping[str, str] = field(default_factory=dict)  # path -> 'truncated'|'binary'|'empty'

    def posts(self, language: str) -> list[Article]:
        return [a for a in self.articles if a.language == language]


def plan_site(sections: Mapping[str, Sequence[Section]], articles: int = 520, seed: int = 1) -> SitePlan:
    """``sections`` maps 'en' and 'fa' to the book's sections (heading and paragraphs)."""
    for language in ("en", "fa"):
        if not sections.get(language):
            raise ValueError(f"no {language!r} sections to build the site from")
    rng = random.Random(seed)
    dates = sorted(_random_date(rng) for _ in range(articles))
    languages = _languages(rng, articles)
    posts: list[Article] = []
    used_titles: dict[str, int] = {}
    claims = _Claims()
    pools = {language: [p for s in sections[language] for p in s.paragraphs] for language in ("en", "fa")}
    coverage = {"en": _Coverage(tx.CATEGORIES_EN, tx.AUTHORS_EN),
                "fa": _Coverage(tx.CATEGORIES_FA, tx.AUTHORS_FA)}
    for number, (published, language) in enumerate(zip(dates, languages, strict=True)):
        heading, paragraphs = _text(rng, sections[language], claims)
        title = _title(heading, language, used_titles)
        posts.append(Article(
            id=100 + number, slug=_slug(title, 100 + number, language), title=title, paragraphs=paragraphs,
            language=language, published=published, modified=_modified(rng, published),
            categories=coverage[language].categories(rng), tags=_tags(rng, paragraphs, language),
            author=coverage[language].author(rng), type="video" if rng.random() < VIDEO_SHARE else "post",
            jsonld=rng.random() < JSONLD_SHARE, cover=rng.randrange(COVERS),
            comments=_comments(rng, pools[language], published)))
    posts = _with_cp1256(rng, posts)
    pages = _pages(rng, sections["en"], len(posts) + 100, claims)
    return SitePlan(articles=tuple(posts), pages=pages, duplicates=_duplicates(rng, posts),
                    broken={"/2019/04/field-report-truncated/": "truncated",
                            "/wp-content/uploads/2020/01/annual-report.html": "binary",
                            "/2021/07/draft-placeholder/": "empty"})


class _Coverage:
    """Draws categories (Zipf-like) and authors, but gives each one an article first, so that
    every facet value has something to show even on a small site."""

    def __init__(self, categories: Sequence[Term], authors: Sequence[Term]) -> None:
        self._categories = list(categories)
        self._authors = list(authors)
        self._weights = [1 / (rank ** ZIPF_S) for rank in range(1, len(categories) + 1)]
        self._unused_categories = list(categories)
        self._unused_authors = list(authors)

    def categories(self, rng: random.Random) -> tuple[Term, ...]:
        chosen = {self._unused_categories.pop()} if self._unused_categories else set()
        for _ in range(rng.choice((1, 1, 2, 2, 3)) - len(chosen)):
            chosen.add(rng.choices(self._categories, weights=self._weights)[0])
        return tuple(sorted(chosen, key=self._categories.index))

    def author(self, rng: random.Random) -> Term:
        return self._unused_authors.pop() if self._unused_authors else rng.choice(self._authors)


def _random_date(rng: random.Random) -> datetime:
    span = (LAST_DAY - FIRST_DAY).total_seconds()
    moment = FIRST_DAY + timedelta(seconds=rng.uniform(0, span))
    return moment.replace(second=0, microsecond=0)


def _languages(rng: random.Random, count: int) -> list[str]:
    return ["fa" if rng.random() < PERSIAN_SHARE else "en" for _ in range(count)]


class _Claims:
    """Which earlier articles hold each paragraph of the book, so that a new article's text is
    its own: it may share at most ``MAX_SHARED`` of its words with any one earlier article.

    The near-duplicate detector (:mod:`indexer.index.near_duplicates`) calls two pages one
    article when about 80% of their word 5-grams are shared. Runs of consecutive sections
    drawn at random overlap whenever two start close together (71 posts of the default site
    were hidden as copies of others): bounding the words shared with each earlier article
    bounds the shingles shared, well below that threshold.
    """

    def __init__(self) -> None:
        self._holders: dict[str, list[int]] = {}
        self._count = 0

    def shared(self, text: Sequence[str]) -> float:
        """The largest share of ``text``'s words that one earlier article also has."""
        words = sum(_words(p) for p in text) or 1
        per_article: dict[int, int] = {}
        for paragraph in set(text):
            for holder in self._holders.get(paragraph, ()):
                per_article[holder] = per_article.get(holder, 0) + _words(paragraph)
        return max(per_article.values(), default=0) / words

    def claim(self, text: Sequence[str]) -> None:
        for paragraph in set(text):
            self._holders.setdefault(paragraph, []).append(self._count)
        self._count += 1


def _words(paragraph: str) -> int:
    return len(paragraph.split())


def _draw(rng: random.Random, sections: Sequence[Section],
          starts: Sequence[tuple[int, int]]) -> tuple[int, tuple[str, ...]]:
    """A paragraph of a section, continued through the next paragraphs and sections up to the
    article's length: consecutive text of the book reads as one coherent piece, titled by the
    section it starts in. Any paragraph may start an article, not only a section's first: the
    book has fewer sections than the site has English posts."""
    first, offset = starts[rng.randrange(len(starts))]
    length = rng.randint(3, 9)
    paragraphs: list[str] = list(sections[first].paragraphs[offset:])
    for section in sections[first + 1:]:
        if len(paragraphs) >= length:
            break
        paragraphs.extend(section.paragraphs)
    return first, tuple(paragraphs[:length])


def _text(rng: random.Random, sections: Sequence[Section], claims: _Claims) -> tuple[str, tuple[str, ...]]:
    """A section's heading and a text of the book that no earlier article largely has (see
    :class:`_Claims`); the least shared of ``MAX_DRAWS`` draws when the book runs short (a
    tiny test book), so the only near-duplicates are the planned ones wherever the book allows."""
    best: tuple[float, int, tuple[str, ...]] | None = None
    # (section, paragraph) of every paragraph: where an article may start.
    starts = [(i, j) for i, section in enumerate(sections) for j in range(len(section.paragraphs))]
    for _ in range(MAX_DRAWS):
        start, text = _draw(rng, sections, starts)
        shared = claims.shared(text)
        if best is None or shared < best[0]:
            best = (shared, start, text)
        if shared <= MAX_SHARED:
            break
    assert best is not None
    _, start, text = best
    claims.claim(text)
    return sections[start].title, text


def _title(heading: str, language: str, used: dict[str, int]) -> str:
    uses = used.get(heading, 0)
    used[heading] = uses + 1
    prefixes = tx.TITLE_PREFIXES[language]
    return f"{prefixes[uses % len(prefixes)]}{heading}" if uses < len(prefixes) else \
        f"{heading} ({uses + 1})"


def _slug(title: str, post_id: int, language: str) -> str:
    slug = tx.slugify(title) if language == "en" else ""
    # Persian titles would need percent-encoded slugs; the sample keeps URLs ASCII.
    return f"{slug[:60].rstrip('-')}-{post_id}" if slug else f"post-{post_id}"


def _modified(rng: random.Random, published: datetime) -> datetime | None:
    if rng.random() < 0.6:
        return None
    later = published + timedelta(days=rng.uniform(0.1, 400))
    return min(later, LAST_DAY).replace(second=0, microsecond=0)


def _tags(rng: random.Random, paragraphs: Sequence[str], language: str) -> tuple[Term, ...]:
    rules, generic = (tx.TAG_RULES_FA, tx.TAGS_FA_GENERIC) if language == "fa" else \
        (tx.TAG_RULES_EN, tx.TAGS_EN_GENERIC)
    text = " ".join(paragraphs)
    earned = [name for name, pattern in rules.items() if re.search(pattern, text, re.IGNORECASE)]
    chosen = rng.sample(earned, min(len(earned), 4))
    while len(chosen) < 2:
        extra = rng.choice(generic)
        if extra not in chosen:
            chosen.append(extra)
    return tuple(tag_term(name, language) for name in chosen)


def tag_term(name: str, language: str) -> Term:
    return Term(name, tx.TAG_SLUGS_FA[name] if language == "fa" else tx.slugify(name))


def _comments(rng: random.Random, pool: Sequence[str], published: datetime) -> tuple[Comment, ...]:
    comments = []
    for _ in range(rng.choice((0, 0, 1, 2, 3, 4))):
        sentence = re.split(r"(?<=[.!?؟])\s+", rng.choice(pool))[0]
        comments.append(Comment(author=rng.choice(tx.COMMENTERS), text=sentence,
                                posted=published + timedelta(hours=rng.uniform(1, 240))))
    return tuple(sorted(comments, key=lambda c: c.posted))


def _with_cp1256(rng: random.Random, posts: list[Article]) -> list[Article]:
    """A few Persian posts are served in windows-1256, as older Persian sites still are."""
    persian = [i for i, a in enumerate(posts) if a.language == "fa"]
    chosen = set(rng.sample(persian, min(CP1256_ARTICLES, len(persian))))
    return [replace(a, encoding="windows-1256") if i in chosen else a for i, a in enumerate(posts)]


def _pages(rng: random.Random, sections: Sequence[Section], first_id: int,
           claims: _Claims) -> tuple[Article, ...]:
    pages = []
    for offset, (slug, title) in enumerate(tx.PAGES):
        pages.append(Article(
            id=first_id + offset, slug=slug, title=title, paragraphs=_text(rng, sections, claims)[1],
            language="en", published=FIRST_DAY + timedelta(days=offset), modified=None,
            categories=(), tags=(), author=tx.AUTHORS_EN[0], type="page", cover=offset % COVERS,
            noindex=slug.startswith("members/")))
    return tuple(pages)


def _duplicates(rng: random.Random, posts: Sequence[Article]) -> tuple[Duplicate, ...]:
    originals = rng.sample([a for a in posts if a.encoding == "utf-8"], min(NEAR_DUPLICATES, len(posts)))
    return tuple(
        Duplicate(a, f"{a.path}amp/", amp=True) if i % 2 == 0 else
        Duplicate(a, a.path.rstrip("/") + "-2/", amp=False)
        for i, a in enumerate(originals))
