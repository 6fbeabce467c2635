"""Raw pages through the current cleaner, for a reclean: the same :func:`prepare` live
ingestion runs after a fetch, so a reclean skips and fails exactly what ingestion would."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from indexer.config import Settings
from indexer.index.preparing import Cleaning, Prepared, prepare
from indexer.index.raw_store import RawPage


def recleaned(raws: Iterable[RawPage], settings: Settings) -> Iterator[Prepared]:
    """Each raw page prepared as of when it was stored (its document's ``ingested_at``)."""
    cleaning = Cleaning.from_settings(settings.clean)
    for raw in raws:
        yield prepare(raw, cleaning, raw.stored_at or raw.fetched_at)
