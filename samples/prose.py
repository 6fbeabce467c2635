"""Real prose for the sample site and the benchmark corpus, from Debian's ``debian-handbook``.

The package is fetched at run time with ``apt-get download`` (nothing of it is committed), so
any Debian or Ubuntu machine can rebuild the demo. Its HTML editions include English and
Persian (fa-IR), which gives the demo real right-to-left text. The paragraphs are cached as
JSON under the pagesift home; the 35 MB package and its extraction are removed afterwards.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import lxml.html

PACKAGE = "debian-handbook"
# Our language code -> the edition's directory under /usr/share/doc/debian-handbook/html/.
EDITIONS: Mapping[str, str] = {"en": "en-US", "fa": "fa-IR"}
HTML_ROOT = Path("usr/share/doc/debian-handbook/html")

# CC BY-SA asks for the author, the licence and a note of the changes made.
CREDIT_TEXT = ("Article text adapted from The Debian Administrator's Handbook by Raphaël Hertzog and "
               "Roland Mas (Persian pages: its fa-IR translation, by its translators), licensed GPL-2.0+ "
               "or CC BY-SA 3.0. Changes: paragraphs recombined into articles; authors, dates, "
               "categories, tags and comment authors are fictional.")
CREDIT_URL = "https://debian-handbook.info/"
LICENCE_URL = "https://creativecommons.org/licenses/by-sa/3.0/"

# A paragraph shorter than this is a caption, a note title or a command line, not prose.
MIN_WORDS = 15
TITLE_WORDS = (2, 14)
# "4.1.1. Installing from a CD-ROM", "Chapter 4. Installation", "فصل 4. نصب", "Appendix A. ..."
_NUMBERING = re.compile(r"^(?:(?:Chapter|Appendix|فصل|پیوست)\s+)?(?:[A-Z]|\d+)(?:\.\d+)*\.\s+")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z]")
# Blocks inside a paragraph div that are not running text (listings, nested admonitions).
_NOT_PROSE = ".//pre|.//div|.//table|.//ul|.//ol"
# The handbook's pages are UTF-8 (they say so); without this, undeclared bytes read as Latin-1.
_PARSER = lxml.html.HTMLParser(encoding="utf-8")


class ProseUnavailable(RuntimeError):
    """The Debian package could not be fetched or read; the message says what to run."""


@dataclass(frozen=True)
class Section:
    """A heading of the book and the prose paragraphs under it."""

    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Prose:
    """The book's sections per language code ('en', 'fa')."""

    sections: Mapping[str, tuple[Section, ...]]
    source: str

    def paragraphs(self, language: str) -> list[str]:
        return [p for section in self.sections[language] for p in section.paragraphs]

    def to_json(self) -> str:
        return json.dumps({"source": self.source,
                           "sections": {lang: [[s.title, list(s.paragraphs)] for s in sections]
                                        for lang, sections in self.sections.items()}},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Prose:
        data = json.loads(text)
        return cls(sections={lang: tuple(Section(title, tuple(paragraphs)) for title, paragraphs in sections)
                             for lang, sections in data["sections"].items()},
                   source=data["source"])


def cache_dir(home: Path) -> Path:
    return home / "samples" / "cache"


def load(home: Path) -> Prose:
    """The cached prose, fetching and parsing the package the first time."""
    cached = cache_dir(home) / f"{PACKAGE}.json"
    if cached.exists():
        return Prose.from_json(cached.read_text(encoding="utf-8"))
    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cached.parent, prefix="fetch-") as work:
        deb = download(Path(work))
        prose = parse_handbook(unpack(deb, Path(work) / "root"), source=deb.name)
    partial = cached.with_suffix(".json.tmp")
    partial.write_text(prose.to_json(), encoding="utf-8")
    partial.replace(cached)
    return prose


def download(directory: Path) -> Path:
    what_to_run = (f"run `apt-get update && apt-get download {PACKAGE}` in {directory.parent} "
                   f"(needs network access to a Debian mirror), then try again")
    if shutil.which("apt-get") is None:
        raise ProseUnavailable(f"apt-get is not available on this machine: {what_to_run}")
    found = list(directory.parent.glob(f"{PACKAGE}_*.deb"))
    if found:
        # A package the user fetched by hand (the error message below asks for exactly that).
        return sorted(found)[-1]
    result = subprocess.run(["apt-get", "download", PACKAGE], cwd=directory,
                            capture_output=True, text=True, check=False)
    debs = sorted(directory.glob(f"{PACKAGE}_*.deb"))
    if result.returncode != 0 or not debs:
        raise ProseUnavailable(f"`apt-get download {PACKAGE}` failed: "
                               f"{result.stderr.strip() or 'no package written'}; {what_to_run}")
    return debs[-1]


def unpack(deb: Path, destination: Path) -> Path:
    result = subprocess.run(["dpkg-deb", "-x", str(deb), str(destination)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ProseUnavailable(f"dpkg-deb could not extract {deb}: {result.stderr.strip()}; "
                               f"delete it and run again")
    return destination


def parse_handbook(root: Path, source: str) -> Prose:
    sections: dict[str, tuple[Section, ...]] = {}
    for language, edition in EDITIONS.items():
        pages = sorted((root / HTML_ROOT / edition).glob("*.html"))
        if not pages:
            raise ProseUnavailable(f"{source} has no {edition} edition under {HTML_ROOT}")
        sections[language] = tuple(parse_pages((p.read_bytes() for p in pages), language))
    return Prose(sections=sections, source=source.removesuffix(".deb"))


def parse_pages(pages: Iterable[bytes], language: str) -> list[Section]:
    """Sections with prose, in reading order; a paragraph seen before is not repeated (the
    book's chapter pages and section pages share text)."""
    seen: set[str] = set()
    sections: list[Section] = []
    for page in pages:
        title = ""
        paragraphs: list[str] = []
        root = lxml.html.document_fromstring(page, parser=_PARSER)
        for element in root.xpath("//h1|//h2|//h3|//div[@class='para']"):
            if element.tag != "div":
                _close(sections, title, paragraphs)
                title, paragraphs = _NUMBERING.sub("", " ".join(element.text_content().split())), []
            elif not element.xpath(_NOT_PROSE):
                text = " ".join(element.text_content().split())
                if len(text.split()) >= MIN_WORDS and in_language(text, language) and text not in seen:
                    seen.add(text)
                    paragraphs.append(text)
        _close(sections, title, paragraphs)
    return sections


def _close(sections: list[Section], title: str, paragraphs: list[str]) -> None:
    if paragraphs and TITLE_WORDS[0] <= len(title.split()) <= TITLE_WORDS[1]:
        sections.append(Section(title, tuple(paragraphs)))


def in_language(text: str, language: str) -> bool:
    """The Persian edition leaves some sections in English; keep each language's own text."""
    arabic = len(_ARABIC_SCRIPT.findall(text))
    latin = len(_LATIN.findall(text))
    return arabic > latin if language == "fa" else arabic == 0
