"""The modern dev set is usable gold: every page has its text and title, and every gold line
is text of its page, in page order (so shingle matching can find it)."""

from __future__ import annotations

import re

from lxml import html

from bench.common import datasets

_TOKEN = re.compile(r"\w+")


def _tokens(text: str) -> str:
    return " ".join(_TOKEN.findall(text))


def test_every_modern_page_carries_its_gold() -> None:
    samples = datasets.load("modern")
    assert len(samples) >= 30
    for sample in samples:
        root = html.fromstring(sample.html.read_bytes())
        for dropped in list(root.iter("script", "style", "template", "noscript")):
            dropped.drop_tree()
        body = _tokens(root.body.text_content())
        at = 0
        for line in filter(None, (_tokens(line) for line in sample.gold.splitlines())):
            found = body.find(line, at)
            assert found >= 0, f"{sample.id}: gold line not in page order: {line[:60]}"
            at = found + len(line)
        assert sample.title and sample.title_scored, sample.id
