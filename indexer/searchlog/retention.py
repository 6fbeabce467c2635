"""Retention: whole days of log deleted once they are older than the setting."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta

from elasticsearch import Elasticsearch

from indexer.searchlog.names import SearchLogNames

log = logging.getLogger(__name__)


def expired(names: SearchLogNames, indices: Iterable[str], today: date, keep_days: int) -> list[str]:
    """The daily indices among ``indices`` holding only days before the kept window.

    ``keep_days`` days are kept, today included; other names (another prefix, a hand-made
    index) are never chosen."""
    first_kept = today - timedelta(days=max(keep_days, 1) - 1)
    chosen = []
    for name in indices:
        day = names.day_of(name)
        if day is not None and day < first_kept:
            chosen.append(name)
    return sorted(chosen)


def prune(client: Elasticsearch, names: SearchLogNames, today: date, keep_days: int) -> list[str]:
    """Delete the expired daily indices (closed ones too); the names deleted."""
    found = client.options(ignore_status=404).indices.get(index=names.pattern, expand_wildcards="all")
    doomed = expired(names, (n for n in found.body if n not in {"error", "status"}), today, keep_days)
    for name in doomed:
        # One by one and by name: the cluster refuses wildcard deletes, and a day another
        # process deleted first is no error.
        client.options(ignore_status=404).indices.delete(index=name)
    if doomed:
        log.info("search log retention (%d days): deleted %s", keep_days, ", ".join(doomed))
    return doomed
