"""schema.org microdata (``itemprop`` attributes), for pages without JSON-LD."""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

from indexer.clean.metadata.model import Facts, unique
from indexer.clean.tree import text_of

_PROPS = etree.XPath("//*[@itemprop]")
_AUTHORS = etree.XPath("//*[@itemprop='author']")
_NAME = etree.XPath(".//*[@itemprop='name']")


# The properties read below; others (articleBody above all) are not worth their text.
_WANTED = frozenset({"headline", "description", "image", "articlesection", "keywords",
                     "datepublished", "datemodified"})


def extract(root: HtmlElement) -> Facts:
    props: dict[str, list[str]] = {}
    for element in _PROPS(root):
        names = [n.lower() for n in (element.get("itemprop") or "").split()]
        wanted = [n for n in names if n in _WANTED]
        value = _value(element) if wanted else ""
        for name in wanted:
            if value:
                props.setdefault(name, []).append(value)
    first = {key: values[0] for key, values in props.items()}
    return Facts(
        title=first.get("headline"),
        description=first.get("description"),
        image=first.get("image"),
        categories=unique(props.get("articlesection", [])),
        tags=unique(_split(props.get("keywords", []))),
        authors=unique(_author_names(root)),
        published=first.get("datepublished"),
        modified=first.get("datemodified"),
    )


def _value(element: HtmlElement) -> str:
    """The property's value as microdata defines it per element type."""
    for attribute in ("content", "datetime"):
        if element.get(attribute):
            return str(element.get(attribute)).strip()
    if element.tag in {"img", "audio", "video", "source"}:
        return str(element.get("src") or "")
    if element.tag in {"a", "link"}:
        return str(element.get("href") or "")
    if element.get("itemscope") is not None:
        return ""  # a nested item: its own properties carry the values
    return text_of(element)


def _author_names(root: HtmlElement) -> list[str]:
    names: list[str] = []
    for author in _AUTHORS(root):
        inner = _NAME(author)
        names.append(text_of(inner[0]) if inner else text_of(author))
    return [n for n in names if 0 < len(n) < 80]


def _split(values: list[str]) -> list[str]:
    return [part for value in values for part in value.split(",")]
