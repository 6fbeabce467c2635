from __future__ import annotations

import pytest
from lxml import html

from indexer.clean.prune import is_furniture, prune

pytestmark = pytest.mark.unit


def element(markup: str) -> html.HtmlElement:
    return html.fragment_fromstring(markup)


@pytest.mark.parametrize("markup,expected", [
    ('<div class="widget widget_categories"></div>', True),
    ('<section id="recent-posts-2"></section>', True),
    ('<div class="sharedaddy sd-sharing-enabled"></div>', True),
    ('<div id="comments" class="comments-area"></div>', True),
    ('<div role="navigation"></div>', True),
    ('<div style="display: none"></div>', True),
    ('<div class="canvas-wrapper"></div>', False),  # "nav" only as a whole word
    ('<div class="commentary"></div>', False),
    ('<div class="main-content has-sidebar"></div>', False),
    ('<article class="post tag-share category-social"></article>', False),
    ('<div class="hentry tag-share"></div>', False),
    ('<div></div>', False),
])
def test_is_furniture(markup, expected):
    assert is_furniture(element(markup)) is expected


def test_prune_keeps_article_in_an_oddly_named_wrapper():
    long_text = "A real paragraph of the article with no links at all in it. " * 20
    doc = html.document_fromstring(
        f'<html><body><div class="share_wrapper"><p>{long_text}</p></div>'
        '<ul class="widget"><li><a href="/a">Category A</a></li></ul>'
        '<nav><a href="/">Home</a></nav><script>var x = 1;</script></body></html>')
    prune(doc)
    text = doc.text_content()
    assert "A real paragraph" in text
    assert "Category A" not in text and "Home" not in text and "var x" not in text


def test_prune_extra_rules():
    doc = html.document_fromstring(
        '<html><body><p>keep me</p><div class="promo-box">drop me</div></body></html>')
    prune(doc, ["//*[@class='promo-box']"])
    assert doc.text_content() == "keep me"
