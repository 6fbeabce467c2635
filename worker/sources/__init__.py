"""What an operator hands to ``pagesift ingest``, told apart and turned into page references."""

from __future__ import annotations

from worker.sources.detect import Source, SourceError, classify
from worker.sources.refs import PageRef

__all__ = ["PageRef", "Source", "SourceError", "classify"]
