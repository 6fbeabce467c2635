"""A category with its ancestors, as one keyword: ``World > Europe > Balkans``.

A page's ``category_paths`` hold each of its categories' paths and every ancestor's
(``World``, ``World > Europe``, ``World > Europe > Balkans``), so a filter on a parent's path
finds its children's pages with one ``terms`` query, and a ``terms`` aggregation counts each
parent with its descendants. Sources give chains (names from the root down); everything that
encodes, decodes or orders paths is here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

SEPARATOR = " > "

Chain = tuple[str, ...]


def join(chain: Sequence[str]) -> str:
    return SEPARATOR.join(" ".join(name.split()) for name in chain)


def split(path: str) -> list[str]:
    return path.split(SEPARATOR)


def label(path: str) -> str:
    """The category's own name, the path's last."""
    return split(path)[-1]


def parent(path: str) -> str | None:
    names = split(path)
    return join(names[:-1]) if len(names) > 1 else None


def chains_of(categories: Sequence[str], chains: Iterable[Sequence[str]]) -> list[Chain]:
    """The chain of each of ``categories``: the one a source gave for it (the chain ending in
    that name), else the category alone. A chain for a name that is not among the categories
    is left out: which categories a page has is ``categories``' decision, the chains only add
    ancestors (sources of the two may differ)."""
    by_name: dict[str, Chain] = {}
    for chain in chains:
        cleaned = tuple(" ".join(name.split()) for name in chain if name.strip())
        if cleaned:
            by_name.setdefault(cleaned[-1].casefold(), cleaned)
    return [by_name.get(" ".join(name.split()).casefold(), (name,)) for name in categories]


def expand(chains: Iterable[Sequence[str]]) -> list[str]:
    """Every chain's path and its ancestors', parents before children, each once."""
    seen: dict[str, None] = {}
    for chain in chains:
        for depth in range(1, len(chain) + 1):
            seen.setdefault(join(chain[:depth]), None)
    return list(seen)


def tree_order(paths: Sequence[str]) -> list[tuple[str, int]]:
    """(path, depth) with children right under their parent, siblings in the order given (a
    facet's: by count). A path whose parent is not among ``paths`` stands at the top level."""
    present = set(paths)
    children: dict[str | None, list[str]] = {}
    for path in paths:
        above = parent(path)
        while above is not None and above not in present:
            above = parent(above)
        children.setdefault(above, []).append(path)
    ordered: list[tuple[str, int]] = []

    def visit(node: str | None, depth: int) -> None:
        for child in children.get(node, []):
            ordered.append((child, depth))
            visit(child, depth + 1)

    visit(None, 0)
    return ordered
