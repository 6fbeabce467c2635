"""The baseline of ``pagesift clean <folder>``: the same walk and JSON Lines, around
trafilatura's ``extract(fast=True)``."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(folder: str) -> int:
    import trafilatura

    for path in sorted(p for p in Path(folder).rglob("*.html")):
        text = trafilatura.extract(path.read_bytes(), fast=True, include_comments=False)
        print(json.dumps({"source": str(path), "content": text or ""}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
