from __future__ import annotations

from pathlib import Path

import pytest

from indexer.clean import RulesError, clean, load_rules
from indexer.clean.rules import parse

pytestmark = pytest.mark.unit

RULES = """
[sites."riverside.example"]
content = ".entry-content p:first-child"
drop = [".cat-links"]
title = "p.site-title"
categories = ".widget_categories li:nth-child(-n+2) a"
tags = ".tagcloud a"
"""


def test_rules_override_the_generic_path(page_bytes):
    page = clean(page_bytes("wordpress_article.html"), url="https://riverside.example/x",
                 rules=parse(RULES))
    assert page.title == "Riverside Civic Journal"
    assert page.categories == ["Annual Meetings", "Budget Reports"]
    assert page.tags == ["ferries", "budget", "parks"]
    assert page.content.startswith("The river ferry") and "\n\n" not in page.content
    assert page.diagnostics["extraction"] == "rules"
    assert page.diagnostics["rules"] == "riverside.example"


def test_content_selector_may_name_a_span():
    # Pruning unwraps spans for the extractors; not when the operator's selector may need one.
    raw = ("<html><body><div><span class='story'>" + "The story itself, in a span. " * 20
           + "</span></div><p>" + "Other text around it on the page. " * 20 + "</p></body></html>")
    page = clean(raw.encode(), url="https://spans.example/a",
                 rules=parse('[sites."spans.example"]\ncontent = "span.story"\n'))
    assert page.diagnostics["extraction"] == "rules"
    assert page.content.startswith("The story itself") and "Other text" not in page.content


def test_rules_apply_to_subdomains_only_of_their_host():
    rules = parse(RULES)
    assert rules.for_url("https://news.riverside.example/a") is not None
    assert rules.for_url("https://notriverside.example/a") is None
    assert rules.for_url(None) is None


def test_rules_of_other_sites_leave_the_page_alone(page_bytes):
    page = clean(page_bytes("wordpress_article.html"), url="https://riverside.example/x",
                 rules=parse('[sites."other.example"]\ntitle = "h2"\n'))
    assert page.title == "River ferry service returns after ten years"
    assert page.diagnostics["rules"] == ""


@pytest.mark.parametrize("text,message", [
    ("[sites", "not valid TOML"),
    ('[sites."a.example"]\ncolour = "red"\n', "unknown keys colour"),
    ('[sites."a.example"]\ntitle = "h1[["\n', "bad selector"),
    ('[sites."a.example"]\ntitle = ""\n', "non-empty"),
    ('sites = 3\n', "table of hosts"),
])
def test_bad_rules_fail_at_load(text, message):
    with pytest.raises(RulesError, match=message):
        parse(text)


def test_load_from_file(tmp_path: Path):
    path = tmp_path / "rules.toml"
    path.write_text(RULES, encoding="utf-8")
    assert load_rules(path).sites[0].host == "riverside.example"
    with pytest.raises(RulesError):
        load_rules(tmp_path / "missing.toml")
