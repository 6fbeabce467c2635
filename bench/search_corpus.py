"""Synthetic articles for the search benchmark, recombined from the dev sets' gold texts.

Stands in for the demo's corpus generator until it exists. The gold texts are read in place
under ``../shared/data`` (never copied); each document takes a few of their paragraphs, so
documents read like articles without repeating one another. Categories, tags and authors
follow a Zipf-like spread, dates cover ten years, a few percent of the documents are Persian.
The same seed gives the same documents.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.common import datasets

CATEGORIES = ("News", "Politics", "Economy", "Environment", "Energy", "Health", "Education", "Culture",
              "Technology", "Science", "Sport", "Opinion", "Events", "Local", "World", "Business",
              "Housing", "Transport", "Justice", "Human rights", "Migration", "Agriculture", "Media",
              "Religion", "History", "Travel", "Food", "Books", "Music", "Interviews")
TYPES = ("post", "post", "post", "post", "post", "post", "page", "video")
PERSIAN_SHARE = 0.03
START = datetime(2016, 1, 1, tzinfo=UTC)
DAYS = 3653
MIN_PARAGRAPH_WORDS = 12
_WORD = re.compile(r"[A-Za-z]{5,}")

# Our own short Persian sentences (the dev sets hold no Persian prose), some spelled with the
# Arabic forms of kaf and yeh as real pages often are.
PERSIAN = (
    "شورای شهر امروز درباره طرح تازه حمل و نقل عمومی گفتگو کرد.",
    "کتابخانه مرکزی ساعت کار خود را در تابستان افزایش می دهد.",
    "کشاورزان از کمبود آب در فصل برداشت گندم نگران هستند.",
    "نمایشگاه کتاب امسال با حضور ناشران بسیاری برگزار شد.",
    "دانشگاه برنامه تازه ای برای آموزش انرژی خورشیدی آغاز کرد.",
    "قیمت مسکن در شهرهای بزرگ همچنان رو به افزایش است.",
    "گروه موسیقی محلی در جشنواره پاییزی اجرا داشت.",
    "پزشکان درباره اهمیت ورزش روزانه برای سلامت قلب توضیح دادند.",
    "اين كتاب درباره تاريخ شهر و مردم آن نوشته شده است.",
    "مدرسه هاي روستا به كتاب و رايانه تازه نياز دارند.",
    "باد و باران شدید در شمال کشور خسارت به بار آورد.",
    "خبرنگاران از نشست مطبوعاتی وزیر اقتصاد گزارش دادند.",
)


@dataclass(frozen=True)
class Pools:
    paragraphs: list[str]
    tags: list[str]


def load_pools(limit: int | None = None) -> Pools:
    paragraphs: list[str] = []
    for name in datasets.SETS:
        for sample in datasets.load(name, limit):
            paragraphs.extend(p.strip() for p in sample.gold.splitlines()
                              if len(p.split()) >= MIN_PARAGRAPH_WORDS)
    counts: dict[str, int] = {}
    for paragraph in paragraphs[:5000]:
        for word in _WORD.findall(paragraph):
            counts[word.lower()] = counts.get(word.lower(), 0) + 1
    tags = sorted(counts, key=lambda w: -counts[w])[50:550]
    return Pools(paragraphs, tags)


def zipf(rng: random.Random, items: tuple[str, ...] | list[str]) -> str:
    # Rank r is drawn with weight 1/r: a few values are common, most are rare.
    weights = [1 / (rank + 1) for rank in range(len(items))]
    return rng.choices(items, weights)[0]


def documents(count: int, pools: Pools, seed: int = 6) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    for n in range(count):
        persian = rng.random() < PERSIAN_SHARE
        paragraphs = (rng.sample(PERSIAN, rng.randint(3, 6)) if persian
                      else rng.sample(pools.paragraphs, rng.randint(3, 6)))
        content = "\n\n".join(paragraphs)
        title = " ".join(paragraphs[0].split()[: rng.randint(4, 9)]).rstrip(".,;:")
        published = START + timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(1440))
        yield {
            "url": f"https://news.example.org/{published:%Y/%m}/article-{n}",
            "title": title,
            "content": content,
            "description": paragraphs[0][:200],
            "categories": sorted({zipf(rng, CATEGORIES) for _ in range(rng.randint(1, 2))}),
            "tags": sorted({zipf(rng, pools.tags) for _ in range(rng.randint(0, 4))}),
            "authors": [f"Author {zipf(rng, [str(i) for i in range(1, 61)])}"],
            "published": published.isoformat(),
            "language": "fa" if persian else "en",
            "type": rng.choice(TYPES),
            "kind": "article",
            "word_count": len(content.split()),
            "content_hash": hashlib.sha256(f"{n}:{content}".encode()).hexdigest(),
        }
