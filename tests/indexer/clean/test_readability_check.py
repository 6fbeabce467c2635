"""The readability-lxml second opinion: the stock library's text, without touching the tree."""

from __future__ import annotations

from copy import deepcopy

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from lxml.html import fromstring
from readability import Document
from readability.readability import clean

from indexer.clean import readability_check, tree
from indexer.clean.text import to_text

pytestmark = pytest.mark.unit

_ARTICLE = "".join(
    f"<p>Paragraph {n} of the story, long enough for readability to score it as text, "
    f"with a <a href='javascript:void(0)'>script link</a> and a <a href='/x'>plain one</a>.</p>"
    for n in range(8))
PAGES = {
    "article": f"""<html><head><title>T</title></head><body>
        <div class="menu"><a href="/">Home</a> <a href="/about">About</a></div>
        <div class="entry-content">{_ARTICLE}</div>
        <div hidden><p>Hidden text that should not be read by anyone at all, ever.</p></div>
        <div style="display: none"><p>Also hidden, by style, and also long enough.</p></div>
        <div onclick="go()" class="footer">Footer links and the copyright line</div>
        </body></html>""",
    # Too short for the first pass: readability parses again and retries, not ruthless.
    "short": """<html><body><div class="comment"><p>Most of this short page sits in a block
        whose class readability's first pass removes as unlikely, so it finds too little
        and parses the page again.</p></div>
        <div><p>And a couple more words, in a plain block of their own.</p></div></body></html>""",
}


def _stock(root: etree._Element) -> str:
    summary = Document(deepcopy(root)).summary(html_partial=True)
    return to_text(fromstring(summary)) if summary.strip() else ""


@pytest.mark.parametrize("name", sorted(PAGES))
def test_same_text_as_stock_readability(name: str) -> None:
    root = tree.parse(PAGES[name])
    assert readability_check.text(root) == _stock(root)


def test_tree_left_unchanged() -> None:
    root = tree.parse(PAGES["article"])
    before = etree.tostring(root)
    text = readability_check.text(root)
    assert "Paragraph 7 of the story" in text
    assert etree.tostring(root) == before


def test_article_printed_twice_comes_out_once() -> None:
    # A print copy the stylesheet hides: readability's best block is the parent of both.
    copy = f"<div class='copy'>{_ARTICLE}</div>"
    root = tree.parse(f"<html><body><div class='story'>{copy}{copy}</div></body></html>")
    text = readability_check.text(root)
    assert text.count("Paragraph 7 of the story") == 1
    assert text.startswith("Paragraph 0 of the story")


def test_repeated_paragraph_is_kept() -> None:
    # One paragraph repeated is the article's own text (a refrain, placeholder copy).
    paragraph = "<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 4 + "</p>"
    root = tree.parse(f"<html><body><div>{paragraph * 4}</div></body></html>")
    assert readability_check.text(root).count("Lorem ipsum dolor") == 16


@given(st.text(alphabet=st.sampled_from(" \t\n\r\xa0\u2009\u3000\x0bab,é.-"), max_size=300))
def test_clean_length_is_readabilitys_own(text: str) -> None:
    assert readability_check.clean_length(text) == len(clean(text))
