"""Preview extraction: one page through the cleaner with rules that may not be saved yet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from indexer import article_fields
from indexer.clean import CleanError, Rules, clean, keep_models_in
from indexer.config import Settings
from worker.fetch import Fetcher, FetchError

# The fields shown beside the page, in this order.
FIELDS = article_fields.previewed()


@dataclass(frozen=True)
class Preview:
    html: str
    fields: list[tuple[str, Any]]
    problem: str | None = None


def fetch(fetcher: Fetcher, url: str) -> tuple[bytes, dict[str, str], str]:
    answer = fetcher.fetch(url)
    return answer.body, dict(answer.headers), answer.final_url


def preview(raw: bytes, url: str | None, headers: dict[str, str], rules: Rules | None,
            settings: Settings) -> Preview:
    html = raw.decode("utf-8", errors="replace")
    keep_models_in(settings.cache_dir)
    try:
        page = clean(raw, url, headers, rules=rules, max_bytes=settings.clean.max_bytes,
                     time_budget=settings.clean.time_budget)
    except CleanError as exc:
        return Preview(html, [], f"The cleaner refused this page ({exc.kind}): {exc}")
    data = page.to_dict()
    encoding = str(data.get("diagnostics", {}).get("encoding") or "utf-8")
    try:
        html = raw.decode(encoding, errors="replace")
    except LookupError:
        pass
    return Preview(html, [(name, data.get(name)) for name in FIELDS if name in data])


__all__ = ["FIELDS", "FetchError", "Preview", "fetch", "preview"]
