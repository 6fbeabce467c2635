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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

import snowballstemmer
from rapidfuzz.distance import OSA

from indexer import category_paths
from indexer.query.fields import FACETS
from indexer.query.stopwords import is_stopword

if TYPE_CHECKING:  # the request carries the names this module finds
    from indexer.query.request import SearchRequest

# The facets whose values are names a reader may type (a year, a language code or a post type is not).
NAMED_FACETS = ("category", "tag", "author")
_HIERARCHICAL = frozenset(facet.name for facet in FACETS if facet.hierarchy)
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

    @property
    def label(self) -> str:
        """What a reader types for it: a category path's own name ("Europe" of "World > Europe")."""
        return category_paths.label(self.value) if self.facet in _HIERARCHICAL else self.value


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
            words = _content(_words([name.label]))
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
        # Names are looked up by their content words, so windows run over the query's.
        words = [w for w in _words(query_words) if _is_content(w)]
        found: dict[SiteName, Named] = {}
        fixes: dict[str, set[str]] = {}
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + self.longest) + 1):
                window = words[start:end]
                keys = self._keys(window, fixes)
                if keys is None:  # no longer window from here can name anything either
                    break
                for key, typo in keys:
                    for name in self.by_key.get(key, ()):
                        named = Named(name, window[0].at, window[-1].at + 1, typo)
                        if name not in found or _better(named, found[name]):
                            found[name] = named
        return sorted(_outermost(list(found.values())), key=_rank)

    def _keys(self, window: list[_Word], fixes: dict[str, set[str]]
              ) -> list[tuple[tuple[str, ...], bool]] | None:
        """The window's key when every word is a name's word; with one word that is not, the
        keys with that word corrected by one edit (``fixes``: corrections found so far, by
        word); None when no name can be read in it or in any window that holds it."""
        unknown = [i for i, w in enumerate(window) if w.key not in self.keys]
        if not unknown:
            return [(_key(window), False)]
        word = window[unknown[0]]
        if len(unknown) > 1 or len(word.folded) < TYPO_MIN_CHARS:
            return None
        if word.folded not in fixes:
            fixes[word.folded] = self._corrections(word.folded)
        if not fixes[word.folded]:
            return None
        others = [w.key for j, w in enumerate(window) if j != unknown[0]]
        return [(tuple(sorted((*others, fixed))), True) for fixed in fixes[word.folded]]

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
    return [_Word(i, *_normal(token)) for i, text in enumerate(texts) for token in _WORD.findall(text)]


@lru_cache(maxsize=100_000)
def _normal(token: str) -> tuple[str, str]:
    """The token folded, and its key. Kept: names and queries repeat their words."""
    folded = _folded(token)
    return folded, _stemmed(folded)


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
    return b.start <= a.start and a.end <= b.end and len(name_key(a.name.label)) < len(name_key(b.name.label))


def _rank(named: Named) -> tuple[bool, int, int, str]:
    return named.typo, -len(name_key(named.name.label)), -named.name.count, named.name.value


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
