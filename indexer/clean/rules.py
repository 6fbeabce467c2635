"""Per-site rules: operators adjust the generic path for their own sites.

A TOML file with one table per host (a rule for ``example.org`` also covers its
subdomains); every key is optional and every selector is CSS::

    [sites."example.org"]
    content = "article .entry-content"    # content root: replaces generic extraction
    drop = [".donate-box", "#newsletter"]  # removed before extraction
    title = "h1.headline"                  # beats every metadata source
    categories = ".cat-links a"            # display names, one per matched element
    tags = ".tag-links a"

Selectors are compiled to XPath when the file is loaded, so a typo fails at start-up, not
on the thousandth page.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from indexer.clean import urls
from indexer.clean.errors import RulesError

_KEYS = frozenset({"content", "drop", "title", "categories", "tags"})


@dataclass(frozen=True)
class SiteRule:
    host: str
    content: str | None = None
    drop: tuple[str, ...] = ()
    title: str | None = None
    categories: str | None = None
    tags: str | None = None


@dataclass(frozen=True)
class Rules:
    sites: tuple[SiteRule, ...] = ()

    def for_url(self, url: str | None) -> SiteRule | None:
        """The rule of the most specific host that ``url`` is on, if any."""
        host = urls.host(url) or ""
        matches = [s for s in self.sites if host == s.host or host.endswith("." + s.host)]
        return max(matches, key=lambda s: len(s.host)) if matches else None


def load(path: str | Path) -> Rules:
    try:
        return parse(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"{path}: {exc.strerror or exc}") from exc


def parse(text: str) -> Rules:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"not valid TOML: {exc}") from exc
    sites = data.get("sites", {})
    if not isinstance(sites, dict):
        raise RulesError("[sites] must be a table of hosts")
    return Rules(tuple(_site(host.lower(), body) for host, body in sites.items()))


def _site(host: str, body: Any) -> SiteRule:
    if not isinstance(body, dict):
        raise RulesError(f"sites.{host} must be a table")
    unknown = set(body) - _KEYS
    if unknown:
        raise RulesError(f"sites.{host}: unknown keys {', '.join(sorted(unknown))}")
    drop = body.get("drop", [])
    if isinstance(drop, str):
        drop = [drop]
    return SiteRule(
        host=host,
        content=_xpath(host, body.get("content")),
        drop=tuple(x for x in (_xpath(host, d) for d in drop) if x),
        title=_xpath(host, body.get("title")),
        categories=_xpath(host, body.get("categories")),
        tags=_xpath(host, body.get("tags")),
    )


def _xpath(host: str, selector: Any) -> str | None:
    if selector is None:
        return None
    if not isinstance(selector, str) or not selector.strip():
        raise RulesError(f"sites.{host}: selector must be a non-empty string")
    from cssselect import GenericTranslator, SelectorError

    try:
        return str(GenericTranslator().css_to_xpath(selector))
    except SelectorError as exc:
        raise RulesError(f"sites.{host}: bad selector {selector!r}: {exc}") from exc
