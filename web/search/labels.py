"""Readable names for facet values the index stores as codes (``en``, ``fa``, ``post``).

The names are UI strings, so they go through the catalog like every other: a translator can
rename "Article" without touching code. A language the catalog does not name falls back to
CLDR's name for it in the reader's locale (Babel ships those), and only then to the code.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask_babel import get_locale
from flask_babel import lazy_gettext as _

# The sidebar keeps the old widget's names; a chip says in one word which filter it is.
FACET_TITLES = {
    "category": _("Filter by categories"), "type": _("Post type"), "tag": _("Tags"),
    "author": _("Authors"), "language": _("Language"), "year": _("Year"),
}
CHIP_KINDS = {
    "category": _("Category"), "type": _("Type"), "tag": _("Tag"), "author": _("Author"),
    "language": _("Language"), "year": _("Year"),
}

LANGUAGE_NAMES = {
    "en": _("English"), "fa": _("Persian"), "ar": _("Arabic"), "ur": _("Urdu"), "he": _("Hebrew"),
    "fr": _("French"), "de": _("German"), "es": _("Spanish"), "it": _("Italian"),
    "pt": _("Portuguese"), "nl": _("Dutch"), "ru": _("Russian"), "tr": _("Turkish"),
    "zh": _("Chinese"), "ja": _("Japanese"),
}

# WordPress post types and OpenGraph types as the cleaner stores them (docs/cleaning.md).
TYPE_NAMES = {
    "post": _("Article"), "page": _("Page"), "video": _("Video"), "audio": _("Audio"),
    "gallery": _("Gallery"), "image": _("Image"), "attachment": _("Attachment"),
    "product": _("Product"), "event": _("Event"), "book": _("Book"), "profile": _("Profile"),
}


def language_label(code: str | None) -> str:
    if not code:
        return ""
    known = LANGUAGE_NAMES.get(code.lower())
    if known is not None:
        return str(known)
    name = _cldr_name(code, str(get_locale() or "en"))
    return name or code


def language_autonym(code: str | None) -> str:
    """The language's name in itself (فارسی), when it differs from the label readers see."""
    if not code:
        return ""
    name = _cldr_name(code, code)
    return name if name and name.casefold() != language_label(code).casefold() else ""


def type_label(value: str | None) -> str:
    if not value:
        return ""
    known = TYPE_NAMES.get(value.lower())
    if known is not None:
        return str(known)
    # An unknown type is still a word the site chose: shown as one, not as a slug ("FAQ" stays).
    words = value.replace("_", " ").replace("-", " ")
    return words[:1].upper() + words[1:]


def facet_label(facet: str, value: object) -> str:
    if facet == "language":
        return language_label(str(value))
    if facet == "type":
        return type_label(str(value))
    return str(value)


def _cldr_name(code: str, in_locale: str) -> str:
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(in_locale)
    except (UnknownLocaleError, ValueError):
        return ""
    return name or ""


def page_language() -> str:
    """The language the page is written in (the reader's locale): a result in it needs no label."""
    locale = get_locale()
    return locale.language if locale else "en"
