"""The fetcher: http(s) only, SSRF-guarded, polite (robots.txt, per-host delay), bounded."""

from __future__ import annotations

from worker.fetch.errors import FetchError
from worker.fetch.fetcher import Fetcher, FetchResult

__all__ = ["FetchError", "FetchResult", "Fetcher"]
