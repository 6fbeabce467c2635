"""Short news articles as cleaned pages, for the tests of hybrid search and related articles."""

from __future__ import annotations

import hashlib
from typing import Any


def article(site: str, slug: str, title: str, content: str, category: str, *,
            published: str = "2024-03-10", kind: str = "article",
            content_hash: str | None = None) -> dict[str, Any]:
    """A page as the cleaner hands it on; ``content_hash`` given to make a duplicate."""
    return {"url": f"{site}/{slug}", "title": title, "content": content, "categories": [category],
            "tags": [], "authors": ["Desk"], "language": "en", "type": "post", "kind": kind,
            "published": f"{published}T09:00:00+00:00",
            "content_hash": content_hash or hashlib.sha256(content.encode()).hexdigest()}
