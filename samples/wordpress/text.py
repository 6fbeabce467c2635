"""Prose for a test WordPress from WordPress's own translation files, so the suite needs no
download: Debian's ``wordpress-l10n`` (installed with WordPress) holds WordPress's help texts in
English (the message ids) and in Persian (their ``fa_IR`` translations), a few hundred
paragraphs of real running text in both languages. ``pagesift sample wordpress`` uses the
Debian handbook instead (:mod:`samples.prose`), which has far more.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from samples.prose import MIN_WORDS, Prose, Section, in_language

LANGUAGES_DIR = Path("/usr/share/wordpress/wp-content/languages")
CATALOGS = ("admin-fa_IR.mo", "fa_IR.mo")
PARAGRAPHS_PER_SECTION = 3
# A heading: a capitalised phrase of plain words ("Add New Category").
_HEADING = re.compile(r"[A-Z][A-Za-z ']+")
_HEADING_WORDS = (3, 7)
# Markup, placeholders and entities: interface strings, not prose.
_NOT_PROSE = re.compile(r"[<>%{}&\[\]]|https?:")


def catalog_prose(directory: Path = LANGUAGES_DIR) -> Prose:
    """English and Persian sections, in the same order (a section and its translation)."""
    pairs: dict[str, str] = {}
    for name in CATALOGS:
        with open(directory / name, "rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        pairs.update({k: v for k, v in catalog.items() if isinstance(k, str) and isinstance(v, str) and v})
    paragraphs = sorted((k, v) for k, v in pairs.items()
                        if len(k.split()) >= MIN_WORDS and not _NOT_PROSE.search(k + v)
                        and in_language(v, "fa"))
    headings = sorted((k, v) for k, v in pairs.items()
                      if _HEADING.fullmatch(k) and _HEADING_WORDS[0] <= len(k.split()) <= _HEADING_WORDS[1])
    if not paragraphs or not headings:
        raise FileNotFoundError(f"no WordPress help texts in {directory}: apt-get install -y wordpress-l10n")
    english: list[Section] = []
    persian: list[Section] = []
    for number, start in enumerate(range(0, len(paragraphs), PARAGRAPHS_PER_SECTION)):
        chunk = paragraphs[start:start + PARAGRAPHS_PER_SECTION]
        title_en, title_fa = headings[number % len(headings)]
        english.append(Section(title_en, tuple(" ".join(en.split()) for en, _ in chunk)))
        persian.append(Section(" ".join(title_fa.split()), tuple(" ".join(fa.split()) for _, fa in chunk)))
    return Prose(sections={"en": tuple(english), "fa": tuple(persian)},
                 source="WordPress help texts (wordpress-l10n)")
