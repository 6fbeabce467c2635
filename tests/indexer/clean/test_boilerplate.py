"""Furniture lines and repeated headlines leave the extracted text; article sentences stay."""

from __future__ import annotations

import pytest

from indexer.clean import boilerplate, clean

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("line", [
    "Advertisement", "Read more »", "Related stories:", "Share this article", "Comments (12)",
    "Most read", "More from The Meridian Post", "Read more: The transit fiscal cliff, explained",
    "Additional reporting by Owen Prothero", "Staff writer Grace Mbeki contributed to this report.",
    "Was this page helpful?", "Sign up", "Tags",
])
def test_furniture_lines(line: str) -> None:
    assert boilerplate.is_furniture_line(line)


@pytest.mark.parametrize("line", [
    "Popular culture matters", "More on the budget", "Latest developments",
    "Sign up for the newsletter to get the news every morning before work starts",
    "The related work shows this", "Read more books, the council says, and watch less television.",
    "Comments from residents were mostly positive.",
])
def test_sentences_and_headings_stay(line: str) -> None:
    assert not boilerplate.is_furniture_line(line)


def test_furniture_paragraphs_leave_the_text() -> None:
    text = "First paragraph of the story.\n\nAdvertisement\n\nSecond paragraph.\n\nShare this article"
    assert boilerplate.drop_furniture_lines(text) == "First paragraph of the story.\n\nSecond paragraph."


def test_headline_repeated_at_the_top_goes() -> None:
    text = "Ferries return to the river\n\nThe council voted on Monday."
    assert boilerplate.drop_leading_headline(
        text, ["Ferries Return to the River!"]) == "The council voted on Monday."


def test_only_a_word_for_word_repeat_at_the_top_goes() -> None:
    text = "The council voted on Monday.\n\nFerries return to the river"
    assert boilerplate.drop_leading_headline(text, ["Ferries return to the river"]) == text
    near = "Ferries return to the river next year\n\nThe council voted."
    assert boilerplate.drop_leading_headline(near, ["Ferries return to the river"]) == near


def test_a_text_that_is_only_its_headline_is_kept() -> None:
    assert boilerplate.drop_leading_headline("Ferries", ["Ferries"]) == "Ferries"


def test_clean_drops_the_repeated_headline_and_inline_furniture() -> None:
    body = " ".join(f"Sentence {n} of the article about the river ferries." for n in range(40))
    page = clean((
        "<html lang='en'><head><title>Ferries return | City News</title>"
        "<meta property='og:title' content='Ferries return'></head><body><article>"
        f"<h1>Ferries return</h1><p>{body}</p><p>Advertisement</p><p>{body}</p>"
        "</article></body></html>").encode())
    assert page.title == "Ferries return"
    assert page.content.startswith("Sentence 0")
    assert "Advertisement" not in page.content
