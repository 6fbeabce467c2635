from __future__ import annotations

import inspect
import json
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from indexer.clean.cleaner import content_hash
from samples import corpus

pytestmark = pytest.mark.unit

FIELDS = {"url", "title", "content", "description", "categories", "tags", "authors", "type", "language",
          "kind", "published", "modified", "word_count", "content_hash", "site", "site_name", "image"}


def test_documents_stream_and_repeat_for_a_seed(prose):
    stream = corpus.documents(prose.sections, 50, seed=5)
    assert inspect.isgenerator(stream)
    assert list(stream) == list(corpus.documents(prose.sections, 50, seed=5))
    other_seed = list(corpus.documents(prose.sections, 50, seed=6))
    assert other_seed != list(corpus.documents(prose.sections, 50, seed=5))


def test_documents_look_like_cleaned_pages(prose):
    docs = list(corpus.documents(prose.sections, 2000, seed=1))
    assert all(set(doc) == FIELDS for doc in docs)
    doc = docs[0]
    assert doc["kind"] == "article"
    assert doc["content_hash"] == content_hash(doc["content"])
    assert doc["word_count"] == len(doc["content"].split())
    assert doc["url"].startswith(f"https://{corpus.DEFAULT_SITE}/")
    assert len({d["url"] for d in docs}) == len(docs)
    languages = Counter(d["language"] for d in docs)
    assert 0.05 < languages["fa"] / len(docs) < 0.2
    assert set(Counter(d["type"] for d in docs)) == {"post", "video", "page"}
    years = {datetime.fromisoformat(d["published"]).year for d in docs}
    assert max(years) - min(years) >= 9
    categories = Counter(c for d in docs if d["language"] == "en" for c in d["categories"]).most_common()
    assert categories[0][1] > 5 * categories[-1][1]


def test_paragraphs_are_recombined_from_the_book(prose):
    book = set(prose.paragraphs("en")) | set(prose.paragraphs("fa"))
    for doc in corpus.documents(prose.sections, 200, seed=2):
        assert set(doc["content"].split("\n\n")) <= book


def test_write_file_is_json_lines_and_leaves_no_partial_file(prose, tmp_path: Path):
    target = tmp_path / "out" / "corpus.jsonl"
    written = corpus.write_file(target, corpus.documents(prose.sections, 30, seed=1))
    lines = target.read_text(encoding="utf-8").splitlines()
    assert written == len(lines) == 30
    assert json.loads(lines[0])["title"]
    assert [p.name for p in target.parent.iterdir()] == ["corpus.jsonl"]
