"""The English catalog holds every UI string the templates and views ask for."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

pytestmark = pytest.mark.unit

WEB = Path(__file__).resolve().parents[2] / "web"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}


def test_catalog_is_up_to_date() -> None:
    method_map = [("**/templates/**.html", "jinja2"), ("**/templates/**.xml", "jinja2"), ("**.py", "python")]
    wanted = set()
    for _, _, message, _, _ in extract_from_dir(str(WEB), method_map, keywords=KEYWORDS):
        wanted.add(message if isinstance(message, str) else message[0])
    with open(WEB / "translations" / "messages.pot", "rb") as handle:
        catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    missing = wanted - catalog
    assert not missing, f"run pybabel extract/update/compile (docs/search.md): {sorted(missing)[:5]}"
    assert {"Exact matches only", "Search in title", "Search in content"} <= catalog
