"""The search log's index names, derived from the index prefix like every other name.

One index per UTC day, ``<prefix>-searchlog-YYYY.MM.DD``, made on first write from an index
template (``mappings/searchlog.json``) that also puts it behind the read alias
``<prefix>-searchlog``. Daily indices rather than a data stream: the embedded node has no
data-stream API and no ILM (both are modules the Maven distribution lacks), and deleting a
whole day is how retention stays cheap on both it and production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from indexer.index.mapping import IndexSpec
from indexer.index.names import IndexNames

_DAY_FORMAT = "%Y.%m.%d"


@dataclass(frozen=True)
class SearchLogNames:
    prefix: str

    def __post_init__(self) -> None:
        IndexNames(self.prefix)  # the same rules for a usable prefix

    @property
    def alias(self) -> str:
        return f"{self.prefix}-searchlog"

    @property
    def pattern(self) -> str:
        """Every daily index: what analytics, Kibana's data view and retention look at."""
        return f"{self.prefix}-searchlog-*"

    @property
    def template(self) -> str:
        return f"{self.prefix}-searchlog-template"

    def daily(self, moment: datetime | date) -> str:
        return f"{self.prefix}-searchlog-{moment.strftime(_DAY_FORMAT)}"

    def day_of(self, name: str) -> date | None:
        """The day a daily index holds, None for any other name."""
        match = re.fullmatch(rf"{re.escape(self.prefix)}-searchlog-(\d{{4}}\.\d{{2}}\.\d{{2}})", name)
        if match is None:
            return None
        try:
            return datetime.strptime(match.group(1), _DAY_FORMAT).date()
        except ValueError:
            return None


def template_body(names: SearchLogNames, spec: IndexSpec) -> dict[str, Any]:
    """The composable index template every daily index is made from."""
    return {
        "index_patterns": [names.pattern],
        "version": spec.version,
        "priority": 200,
        "template": {**spec.body(), "aliases": {names.alias: {}}},
        "_meta": {"managed_by": "pagesift", "what": "search and click log"},
    }
