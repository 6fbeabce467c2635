"""Best bets: per query, articles pinned at positions or hidden, within dates.

Pure: which rules apply to a query at a moment, and what they add up to (:class:`Decision`).
Placing the pinned articles in a page of hits is :mod:`indexer.curation.pinning`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from indexer.curation.text import contains, normalise
from indexer.query.text import ReaderQuery

EXACT = "exact"
CONTAINS = "contains"
MATCHES = (EXACT, CONTAINS)
# Pins are for the first page readers see; deeper than this, nobody looks.
MAX_POSITION = 10


@dataclass(frozen=True)
class Target:
    """An article a rule names: its document id (what the query uses) and URL (what editors read)."""

    doc_id: str
    url: str


@dataclass(frozen=True)
class Pin:
    doc_id: str
    url: str
    position: int  # 1-based, in the reader's results


@dataclass(frozen=True)
class BestBet:
    id: str
    query: str  # as the editor typed it; compared in normal form
    match: str = EXACT
    pins: tuple[Pin, ...] = ()
    hidden: tuple[Target, ...] = ()
    starts: datetime | None = None  # inclusive
    ends: datetime | None = None  # exclusive
    note: str = ""
    updated_at: datetime | None = None
    updated_by: str = ""

    def matches(self, normalised_query: str) -> bool:
        rule = normalise(self.query)
        if not rule:
            return False
        return rule == normalised_query if self.match == EXACT else contains(normalised_query, rule)

    def active(self, now: datetime) -> bool:
        return (self.starts is None or self.starts <= now) and (self.ends is None or now < self.ends)


@dataclass(frozen=True)
class Decision:
    """What the applicable rules do to one search."""

    hidden: frozenset[str] = frozenset()
    pins: tuple[Pin, ...] = ()  # by position; none of them hidden, each article once
    rules: tuple[str, ...] = field(default=())  # ids of the rules that applied

    @property
    def empty(self) -> bool:
        return not (self.hidden or self.pins)


NOTHING = Decision()


def applicable(rules: Iterable[BestBet], q: str | ReaderQuery, now: datetime) -> list[BestBet]:
    """The active rules matching ``q``: exact ones first, then the most recently edited."""
    normalised = normalise(q)
    if not normalised:
        return []
    found = [r for r in rules if r.active(now) and r.matches(normalised)]
    found.sort(key=lambda r: r.updated_at.timestamp() if r.updated_at else 0.0, reverse=True)
    found.sort(key=lambda r: r.match != EXACT)
    return found


def decide(rules: Iterable[BestBet], q: str | ReaderQuery, now: datetime) -> Decision:
    """Hidden articles of every applicable rule; their pins, the first rule's first when two
    name one article. A hide wins over a pin: it is usually there for a reason (legal, wrong)."""
    chosen = applicable(rules, q, now)
    if not chosen:
        return NOTHING
    hidden = frozenset(t.doc_id for rule in chosen for t in rule.hidden)
    pins: dict[str, Pin] = {}
    for rule in chosen:
        for pin in sorted(rule.pins, key=lambda p: p.position):
            if pin.doc_id not in hidden:
                pins.setdefault(pin.doc_id, pin)
    ordered = tuple(sorted(pins.values(), key=lambda p: p.position))
    return Decision(hidden, ordered, tuple(r.id for r in chosen))


def hidden_clause(ids: Iterable[str]) -> list[dict[str, object]]:
    """The ``must_not`` clause keeping ``ids`` out of a search (none when there are none)."""
    values = sorted(set(ids))
    return [{"ids": {"values": values}}] if values else []


class BestBetError(ValueError):
    """An editor's pin or hide line that cannot be used; the message says which and why."""


def parse_pins(text: str) -> tuple[Pin, ...]:
    """``position URL`` a line (``1 https://example.org/a``); a line without a position takes
    the place after the previous pin."""
    pins: list[Pin] = []
    for number, line in _lines(text):
        first, _, rest = line.partition(" ")
        position, address = (first, rest.strip()) if first.isdigit() else ("", line)
        place = int(position) if position else (pins[-1].position + 1 if pins else 1)
        if not 1 <= place <= MAX_POSITION:
            raise BestBetError(f"Pin line {number}: a position is 1 to {MAX_POSITION}.")
        target = _target(address, f"Pin line {number}")
        pins.append(Pin(target.doc_id, target.url, place))
    return tuple(pins)


def parse_targets(text: str) -> tuple[Target, ...]:
    """One article URL a line."""
    return tuple(_target(line, f"Hide line {number}") for number, line in _lines(text))


def pins_text(pins: Iterable[Pin]) -> str:
    return "\n".join(f"{p.position} {p.url}" for p in pins)


def targets_text(targets: Iterable[Target]) -> str:
    return "\n".join(t.url for t in targets)


# What an editor can click beside a result in the console's editor (web/admin/views/best_bets.py).
CLICKS = ("pin", "unpin", "hide", "unhide")


def clicked(pins: str, hidden: str, click: str, url: str) -> tuple[str, str]:
    """The editor's two lists (``position URL`` lines, URL lines) after one click beside a
    result: *pin* puts ``url`` at the first free position (and out of the hidden ones), *hide*
    among the hidden (and out of the pins), *unpin* and *unhide* take it out. Lines the click
    is not about are kept as typed."""
    if click not in CLICKS:
        raise BestBetError(f"Not an action: {click!r}.")
    url = url.strip()

    def without(text: str) -> list[str]:
        return [line for _, line in _lines(text) if line.split()[-1] != url]

    # A pin is never also hidden, nor a hidden article pinned: pin and hide take it out of the other list.
    kept_pins = without(pins) if click != "unhide" else [line for _, line in _lines(pins)]
    kept_hidden = without(hidden) if click != "unpin" else [line for _, line in _lines(hidden)]
    if click == "pin":
        taken = {int(line.split()[0]) for line in kept_pins if line.split()[0].isdigit()}
        free = next((p for p in range(1, MAX_POSITION + 1) if p not in taken), MAX_POSITION)
        kept_pins.append(f"{free} {url}")
    elif click == "hide":
        kept_hidden.append(url)
    return "\n".join(kept_pins), "\n".join(kept_hidden)


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]


def _target(address: str, where: str) -> Target:
    # Imported here: indexer.index pulls in the indexing path, which pure rule matching never needs.
    from indexer.index.documents import DocumentError, canonical_url, document_id

    try:
        url = canonical_url(address)
    except DocumentError:
        raise BestBetError(f"{where}: {address!r} is not an article's full URL.") from None
    if not url.startswith(("http://", "https://")):
        raise BestBetError(f"{where}: {address!r} is not an http(s) URL.")
    return Target(document_id(url), url)
