"""Every index, alias and template name, derived from ``settings.index.prefix``.

Deriving all of them from one prefix is what lets tests (and a second deployment on the same
cluster) work side by side without touching each other's names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from indexer.config import IndexSettings

# Elasticsearch refuses these in index names; a prefix with them would fail late and oddly.
_FORBIDDEN = re.compile(r'[\\/*?"<>| ,#:A-Z]')
_STAMP_FORMAT = "%Y%m%d%H%M%S%f"


@dataclass(frozen=True)
class Concrete:
    """A parsed concrete index name: ``<prefix>-v<version>-<stamp>``."""

    name: str
    version: int
    created: datetime


@dataclass(frozen=True)
class IndexNames:
    prefix: str

    def __post_init__(self) -> None:
        if not self.prefix or self.prefix[0] in "-_+." or _FORBIDDEN.search(self.prefix):
            raise ValueError(f"not a usable index prefix: {self.prefix!r} (lower case, no wildcards)")

    @classmethod
    def from_settings(cls, index: IndexSettings) -> IndexNames:
        return cls(index.prefix)

    @property
    def read_alias(self) -> str:
        """What readers and analysts query."""
        return self.prefix

    @property
    def write_alias(self) -> str:
        return f"{self.prefix}-write"

    @property
    def building_alias(self) -> str:
        """Held by an index from its creation as a build until its swap: an index that still
        has it was never live (a build running, or one abandoned by a crash)."""
        return f"{self.prefix}-building"

    @property
    def template(self) -> str:
        return f"{self.prefix}-template"

    @property
    def pattern(self) -> str:
        """The template's pattern: only versioned indices, never the raw store."""
        return f"{self.prefix}-v*"

    @property
    def raw(self) -> str:
        return f"{self.prefix}-raw"

    def concrete(self, version: int, now: datetime | None = None) -> str:
        # Microseconds keep two indices built within the same second apart.
        stamp = (now or datetime.now(UTC)).strftime(_STAMP_FORMAT)
        return f"{self.prefix}-v{version}-{stamp}"

    def parse(self, name: str) -> Concrete | None:
        """The version and creation time of one of our concrete indices, None for others."""
        match = re.fullmatch(rf"{re.escape(self.prefix)}-v(\d+)-(\d{{20}})", name)
        if match is None:
            return None
        created = datetime.strptime(match.group(2), _STAMP_FORMAT).replace(tzinfo=UTC)
        return Concrete(name, int(match.group(1)), created)
