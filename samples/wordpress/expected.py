"""What pagesift should know of a post of the sample WordPress, from the plan it was made from
(samples/wordpress/plan.py): one comparison for the cleaner's, the crawl's and the WordPress
source's results."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from indexer import category_paths
from indexer.clean.metadata.wordpress import slug_name
from samples.wordpress.plan import Post, SiteContent

# What wptexturize does to a title on display; the index keeps titles as displayed.
_TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                             "\u2013": "-", "\u2014": "-", "\u2026": "..."})


def expected_type(post: Post) -> str:
    if post.post_type == "page":
        return "page"
    return post.format if post.format != "standard" else "post"


def mismatches(found: Mapping[str, Any], post: Post, content: SiteContent, *,
               dated: bool = True, markup: bool = False) -> dict[str, tuple[Any, Any]]:
    """Field -> (found, expected) where ``found`` (a Page's or a document's fields) differs
    from the plan. ``dated``: whether the route can know the author and date of a page
    (themes print neither on pages; the REST API has both). ``markup``: the facts were read
    from a theme's page, where an ancestor category the page links nowhere is known by its
    slug alone: the paths may name it so (see :func:`markup_paths`)."""
    author = next(u.display_name for u in content.users if u.login == post.author)
    want: dict[str, Any] = {
        "title": _plain(post.title),
        "categories": sorted(post.categories),
        "category_paths": expected_paths(post, content),
        "tags": sorted(post.tags),
        "type": expected_type(post),
        "language": content.language,
    }
    got: dict[str, Any] = {
        "title": _plain(found.get("title")),
        "categories": sorted(found.get("categories") or []),
        "category_paths": sorted(found.get("category_paths") or []),
        "tags": sorted(found.get("tags") or []),
        "type": found.get("type"),
        "language": found.get("language"),
    }
    if dated or post.post_type == "post":
        want.update(authors=[author], published=datetime.fromisoformat(post.date))
        got.update(authors=list(found.get("authors") or []), published=_when(found.get("published")))
    wrong = {key: (got[key], want[key]) for key in want if got[key] != want[key]}
    if markup and got["category_paths"] == markup_paths(post, content):
        wrong.pop("category_paths", None)
    return wrong


def expected_paths(post: Post, content: SiteContent) -> list[str]:
    """The post's categories with their ancestors, as the index keeps them."""
    return sorted(category_paths.expand(content.category_path(name) for name in post.categories))


def markup_paths(post: Post, content: SiteContent) -> list[str]:
    """The paths a theme's page of the post can give: an ancestor's name where the page links
    to it (the post is in it too), else its slug made readable."""
    slugs = {c.name: c.slug for c in content.categories}
    chains = []
    for name in post.categories:
        *ancestors, own = content.category_path(name)
        chains.append((*[a if a in post.categories else slug_name(slugs[a]) for a in ancestors], own))
    return sorted(category_paths.expand(chains))


def _plain(title: str | None) -> str | None:
    return title.translate(_TYPOGRAPHY) if title else title


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
