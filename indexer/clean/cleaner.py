"""The cleaning pipeline: limits, decode, parse once, read metadata, prune, extract."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping

from lxml.html import HtmlElement

from indexer import category_paths
from indexer.clean import (
    boilerplate,
    content,
    encoding,
    kind,
    language,
    limits,
    persian,
    prune,
    titles,
    tree,
    urls,
)
from indexer.clean.dates import to_iso
from indexer.clean.metadata import Metadata, trusting
from indexer.clean.metadata import extract as extract_metadata
from indexer.clean.metadata.model import Facts, unique
from indexer.clean.page import Page
from indexer.clean.rules import Rules, SiteRule

# Defaults equal those of indexer.config (clean_max_bytes, clean_time_budget).
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_TIME_BUDGET = 5.0
_WORD = re.compile(r"\w+")


def clean(
    raw_bytes: bytes,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
    *,
    rules: Rules | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    time_budget: float = DEFAULT_TIME_BUDGET,
    supplied: Facts | None = None,
) -> Page:
    """Clean one page. Raises a :class:`~indexer.clean.errors.CleanError` subclass when the
    input is not a usable HTML page (its ``kind`` says why). ``supplied``: what the publisher
    states about the page (a CMS's push), trusted over anything read from the markup."""
    budget = limits.Budget(time_budget)
    limits.check_bytes(raw_bytes, headers, max_bytes)
    decoded = encoding.decode(raw_bytes, headers)
    limits.check_text(decoded.text)
    utf8 = raw_bytes if decoded.encoding == "utf-8" and decoded.source != "bom" else None
    root = tree.parse(decoded.text, utf8)  # one C call: bounded by max_bytes, not interruptible
    limits.check_tree(root)
    budget.check("parsing")
    with budget.enforce("cleaning"):
        page = _clean_tree(root, decoded, url, headers, rules, budget, supplied)
    budget.check("cleaning")
    return page


def _clean_tree(root: HtmlElement, decoded: encoding.Decoded, url: str | None,
                headers: Mapping[str, str] | None, rules: Rules | None,
                budget: limits.Budget, supplied: Facts | None = None) -> Page:
    meta = extract_metadata(root, headers, decoded.text)
    if supplied is not None:
        meta = trusting(meta, supplied)
    page_url = urls.resolve(url, meta.canonical or meta.facts.url)
    site = rules.for_url(page_url or url) if rules else None
    overrides = _site_overrides(root, site)
    budget.check("metadata")
    prune.prune(root, list(site.drop) if site else None, unwrap=not (site and site.content))
    extraction = content.extract(root, site.content if site else None)
    budget.check("extraction")
    text = boilerplate.drop_leading_headline(
        extraction.text, [meta.facts.title, meta.headline, meta.title_tag, *overrides.get("title", [])])
    page = _page(meta, page_url, text, overrides)
    if supplied is not None and supplied.title:
        page.title = supplied.title  # the publisher's own title: no site name to strip from it
    page.kind, kind_source = kind.decide(meta.facts.kind, root, extraction.text)
    page.language, language_source = language.decide(meta.languages, extraction.text)
    if page.language == "fa":
        page.categories, page.category_paths, page.tags, page.authors = (
            persian.fold_labels(page.categories), persian.fold_labels(page.category_paths),
            persian.fold_labels(page.tags), persian.fold_labels(page.authors))
    page.diagnostics = {
        "encoding": decoded.encoding,
        "encoding_source": decoded.source,
        "extraction": extraction.path,
        "language_source": language_source,
        "kind_source": kind_source,
        "rules": site.host if site else "",
    }
    return page


def _site_overrides(root: HtmlElement, site: SiteRule | None) -> dict[str, list[str]]:
    """Values the operator's selectors pick out, read before pruning can remove them."""
    if site is None:
        return {}
    picked: dict[str, list[str]] = {}
    for name in ("title", "categories", "tags"):
        expression = getattr(site, name)
        if expression:
            picked[name] = unique([tree.text_of(e) for e in root.xpath(expression)
                                   if isinstance(e, HtmlElement)])
    return picked


def _page(meta: Metadata, url: str | None, text: str, overrides: dict[str, list[str]]) -> Page:
    facts = meta.facts
    picked = overrides.get("title")
    title = picked[0] if picked else titles.strip_site_name(
        facts.title or meta.title_tag, facts.site_name, urls.host(url),
        headline=meta.headline, from_title_element=not facts.title)
    picked_categories = overrides.get("categories")
    categories = picked_categories or facts.categories
    # The operator's selector names the categories, and says nothing of their ancestors.
    chains = category_paths.chains_of(categories, [] if picked_categories else facts.category_paths)
    return Page(
        url=url,
        title=title,
        content=text,
        description=facts.description,
        image=urls.absolute(url, facts.image),
        categories=categories,
        category_paths=category_paths.expand(chains),
        tags=overrides.get("tags") or facts.tags,
        authors=facts.authors,
        published=to_iso(facts.published),
        modified=to_iso(facts.modified),
        type=facts.type or "page",
        site_name=facts.site_name,
        noindex="noindex" in meta.robots,
        nofollow="nofollow" in meta.robots,
        content_hash=content_hash(text),
        word_count=len(_WORD.findall(text)),
    )


def content_hash(text: str) -> str:
    """SHA-256 of the content with case, Unicode form and whitespace normalised away, so
    the same article served twice with cosmetic differences hashes the same."""
    normalised = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()
