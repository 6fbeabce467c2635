"""Tell sources apart: a URL, a WordPress site, a list of URLs, a web archive, or saved HTML."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# "pushed": URLs (one a line) whose latest states a publisher pushed (worker.sources.pushed); never
# classified: the admin API makes it.
KINDS = ("url", "wordpress", "url_list", "warc", "html", "pushed")


class SourceError(ValueError):
    """A source that cannot be used (missing file, unsupported scheme)."""


@dataclass(frozen=True)
class Source:
    kind: str
    location: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "location": self.location}


def classify(source: str, *, wordpress: bool = False) -> Source:
    """A URL is fetched (sitemap or page, decided by the answer; a site's root is read through
    its WordPress REST API when it has one); ``wordpress`` names any page of a WordPress site
    as one. A local ``.txt`` lists URLs; ``.warc``/``.warc.gz`` is an archive; any other local
    file or folder is saved HTML."""
    scheme = urlsplit(source).scheme.lower()
    if scheme in ("http", "https"):
        return Source("wordpress" if wordpress else "url", source)
    if wordpress:
        raise SourceError(f"{source}: a WordPress site is given by the URL of one of its pages")
    if scheme and len(scheme) > 1 and scheme != "file":
        raise SourceError(f"{source}: only http(s) URLs and local paths are ingested")
    path = Path(source[len("file://"):] if scheme == "file" else source).expanduser()
    if not path.exists():
        raise SourceError(f"{source}: no such file or directory")
    path = path.resolve()
    name = path.name.lower()
    if path.is_file() and name.endswith(".txt"):
        return Source("url_list", str(path))
    if path.is_file() and (name.endswith(".warc") or name.endswith(".warc.gz")):
        return Source("warc", str(path))
    return Source("html", str(path))
