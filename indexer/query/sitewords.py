"""The site's own words: the categories, tags and authors a query names, or nearly names.

A reader who types "human rights" on a site with a "Human Rights" category is naming it. Such a
name is *offered* above the results (one click filters to it) and *ranks*: the articles filed
under it get a constant added to their score (a should clause, so it never adds a hit the words
would not find; ``SITE_WORD_BOOST`` in :mod:`indexer.query.ranking`).

Nearly naming is judged word by word, on the words' normal forms (:func:`name_key`): case and
Unicode folded, Persian's Arabic-letter spellings folded, English words stemmed as the index's
``english`` analyzer stems them (Porter), so "right" names "Rights". Stopwords and an author's
initials are left out of a name when other words remain ("Knuth, D. E." is named by "knuth").
The words may come in any order, anywhere in a longer query, and one word of five letters or
more may be off by one edit (a swap, drop, extra or wrong letter), the threshold the best site
search products use; a word that is itself one of the names' words is never read as a typo.

Pure: the names come from the index (:mod:`indexer.site_names` loads and caches them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import snowballstemmer
from rapidfuzz.distance import OSA

from indexer.query.fields import FACETS
from indexer.query.stopwords import is_stopword

if TYPE_CHECKING:  # the request carries the names this module finds
    from indexer.query.request import SearchRequest

# The facets whose values are names a reader may type (a year, a language code or a post type is not).
NAMED_FACETS = ("category", "tag", "author")
# Offered above the results: more would push the results down for little.
MAX_OFFERS = 3
# Algolia's and Meilisearch's threshold: no typo is forgiven in a shorter word.
TYPO_MIN_CHARS = 5
# Longer names are not looked for (the windows of the query grow with it).
MAX_NAME_WORDS = 6

_WORD = re.compile(r"\w+")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_PERSIAN_FORMS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})
_ZWNJ = "\u200c"
# Persian plurals written with a zero-width non-joiner: کتاب‌ها, کتاب‌های.
_PERSIAN_PLURALS = (f"{_ZWNJ}های", f"{_ZWNJ}ها")


@dataclass(frozen=True)
class SiteName:
    facet: str  # the filter parameter: category, tag or author
    value: str  # as the index stores it, which is what the filter takes
    count: int  # articles readers can find under it


@dataclass(frozen=True)
class Named:
    """A name the query names, and where: query words ``start`` to ``end`` (exclusive)."""

    name: SiteName
    start: int
    end: int
    typo: bool = False


@dataclass(frozen=True)
class _Word:
    at: int  # which of the query's words it is part of
    folded: str  # case, Unicode and Persian spellings folded: what a typo is measured on
    key: str  # and stemmed: what names are looked up by


@dataclass
class SiteNames:
    """The site's names, indexed by their words' normal forms for lookups by query window."""

    by_key: dict[tuple[str, ...], list[SiteName]] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)  # every name word's key
    # Name words long enough for a typo, folded -> their keys; their one-letter deletions -> them.
    long_words: dict[str, set[str]] = field(default_factory=dict)
    deletions: dict[str, set[str]] = field(default_factory=dict)
    longest: int = 0

    @classmethod
    def of(cls, names: Iterable[SiteName]) -> SiteNames:
        built = cls()
        for name in names:
            words = _content(_words([name.value]))
            # A name of stopwords or initials alone ("IT", "C") would be named by every
            # question that says "it": such a name is only filtered on, never read in a query.
            if not words or len(words) > MAX_NAME_WORDS or not all(map(_is_content, words)):
                continue
            built.by_key.setdefault(_key(words), []).append(name)
            built.longest = max(built.longest, len(words))
            for word in words:
                built.keys.add(word.key)
                if len(word.folded) >= TYPO_MIN_CHARS:
                    built.long_words.setdefault(word.folded, set()).add(word.key)
                    for variant in _deletions(word.folded):
                        built.deletions.setdefault(variant, set()).add(word.folded)
        return built

    def __len__(self) -> int:
        return sum(len(names) for names in self.by_key.values())

    def named_in(self, query_words: Sequence[str]) -> list[Named]:
        """The names ``query_words`` (the reader's words, as typed) name, best first: exact
        before a typo, a longer name before a shorter, more articles before fewer. A name whose
        words lie inside another's (the tag "Rights" inside the category "Human Rights") is
        left out: the reader named the longer one."""
        tokens = _words(query_words)
        found: dict[SiteName, Named] = {}
        fixes: dict[str, set[str]] = {}
        for start in range(len(tokens)):
            # Two more words than the longest name: stopwords and initials inside a name.
            for end in range(start + 1, min(len(tokens), start + self.longest + 2) + 1):
                window = tokens[start:end]
                for key, typo in self._keys(window, fixes):
                    for name in self.by_key.get(key, ()):
                        named = Named(name, window[0].at, window[-1].at + 1, typo)
                        if name not in found or _better(named, found[name]):
                            found[name] = named
        return sorted(_outermost(list(found.values())), key=_rank)

    def _keys(self, window: list[_Word], fixes: dict[str, set[str]]
              ) -> Iterator[tuple[tuple[str, ...], bool]]:
        """The window's key and, for a window with a word no name has, its keys with that word
        corrected by one edit (``fixes``: the corrections found so far, by word)."""
        words = _content(window)
        yield _key(words), False
        for i, word in enumerate(words):
            if word.key in self.keys or len(word.folded) < TYPO_MIN_CHARS:
                continue
            if word.folded not in fixes:
                fixes[word.folded] = self._corrections(word.folded)
            others = [w.key for j, w in enumerate(words) if j != i]
            for fixed in fixes[word.folded]:
                yield tuple(sorted((*others, fixed))), True

    def _corrections(self, folded: str) -> set[str]:
        """The keys of the name words one edit from ``folded``: found through their deletions
        (a letter dropped, swapped or wrong) or as a deletion of it (a letter too many)."""
        near = {w for variant in (folded, *_deletions(folded)) for w in self.deletions.get(variant, ())}
        near |= {w for w in _deletions(folded) if w in self.long_words}
        close = [w for w in near if OSA.distance(folded, w, score_cutoff=1) <= 1]
        return {key for w in close for key in self.long_words[w]}


NO_NAMES = SiteNames()


def name_key(text: str) -> tuple[str, ...]:
    """A name's words in normal form, sorted: stopwords and initials out unless nothing else is left."""
    return _key(_content(_words([text])))


def _key(words: list[_Word]) -> tuple[str, ...]:
    return tuple(sorted(w.key for w in words))


def _words(texts: Sequence[str]) -> list[_Word]:
    return [_Word(i, folded, _stemmed(folded)) for i, text in enumerate(texts)
            for folded in map(_folded, _WORD.findall(text))]


def _content(words: list[_Word]) -> list[_Word]:
    kept = [w for w in words if _is_content(w)]
    return kept or words


def _is_content(word: _Word) -> bool:
    return len(word.folded) > 1 and not is_stopword(word.folded)


def _folded(word: str) -> str:
    folded = unicodedata.normalize("NFKC", word).casefold().translate(_PERSIAN_FORMS)
    if _ARABIC_SCRIPT.search(folded):
        for plural in _PERSIAN_PLURALS:
            if folded.endswith(plural) and len(folded) > len(plural) + 1:
                folded = folded[:-len(plural)]
                break
    return folded.replace(_ZWNJ, "")


def _stemmed(folded: str) -> str:
    # Persian is matched as folded: the `persian` analyzer does not stem either.
    return folded if _ARABIC_SCRIPT.search(folded) else str(_porter().stemWord(folded))


@cache
def _porter() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("porter")


def _deletions(word: str) -> list[str]:
    if len(word) < TYPO_MIN_CHARS:
        return []
    return [word[:i] + word[i + 1:] for i in range(len(word))]


def _better(a: Named, b: Named) -> bool:
    return (a.typo, a.end - a.start) < (b.typo, b.end - b.start)


def _outermost(named: list[Named]) -> list[Named]:
    return [n for n in named if not any(_inside(n, other) for other in named)]


def _inside(a: Named, b: Named) -> bool:
    """``a``'s words strictly inside ``b``'s, or the same words read with a typo where ``b``
    reads them exactly."""
    if (a.start, a.end) == (b.start, b.end):
        return a.typo and not b.typo
    return b.start <= a.start and a.end <= b.end and len(name_key(a.name.value)) < len(name_key(b.name.value))


def _rank(named: Named) -> tuple[bool, int, int, str]:
    return named.typo, -len(name_key(named.name.value)), -named.name.count, named.name.value


def offered(named: Sequence[Named], selected: Mapping[str, tuple[str, ...]]) -> list[dict[str, object]]:
    """What the page and the API offer: at most :data:`MAX_OFFERS` names not filtered on
    already. Its link is the name's filter alone, which lists the ``count`` articles filed
    under it: the words that named it have done their work (and an author's articles seldom
    hold the author's name)."""
    fresh = [n.name for n in named if n.name.value not in selected.get(n.name.facet, ())]
    return [{"facet": name.facet, "value": name.value, "count": name.count} for name in fresh[:MAX_OFFERS]]


def ranking_clauses(names: Sequence[SiteName], boost: float) -> list[dict[str, Any]]:
    """Should clauses adding ``boost`` to the score of an article filed under each name. Beside
    the words' required clauses they only rank: an article the words do not find stays out."""
    if not boost:
        return []
    field = {facet.name: facet.field for facet in FACETS}
    return [{"constant_score": {"filter": {"term": {field[name.facet]: name.value}}, "boost": boost}}
            for name in names]


def named_in_request(names: SiteNames, req: SearchRequest) -> list[Named]:
    """The names ``req``'s words name. None for "Exact matches only": the reader asked for the
    words as typed."""
    if not req.q or req.exact or not names.by_key:
        return []
    return names.named_in(req.query.words)
