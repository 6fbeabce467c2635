"""Golden files: every fixture's full Page record, compared field by field.

Regenerate after an intended change with ``PAGESIFT_UPDATE_GOLDEN=1`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from indexer.clean import clean

pytestmark = pytest.mark.unit
HERE = Path(__file__).resolve().parent
PAGES = HERE.parents[1] / "fixtures" / "pages"
GOLDEN = HERE / "golden"
HEADERS = {"header_meta_disagree.html": {"Content-Type": "text/html; charset=windows-1251"}}


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.html")))
def test_golden(name: str) -> None:
    record = clean((PAGES / name).read_bytes(), headers=HEADERS.get(name)).to_dict()
    golden = GOLDEN / f"{Path(name).stem}.json"
    if os.environ.get("PAGESIFT_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n",
                          encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    for key in expected:
        assert record[key] == expected[key], key
    assert set(record) == set(expected)


def test_persian_zero_width_non_joiners_survive_extraction() -> None:
    # trafilatura drops U+200C; Persian writes it inside words, and a query typed with it
    # must find them.
    sentence = "این کار انجام می\u200cشود و کتاب\u200cها خوانده می\u200cشوند. "
    html = (f"<html lang='fa' dir='rtl'><head><meta charset='utf-8'><title>آزمون</title></head>"
            f"<body><article><h1>آزمون</h1><p>{sentence * 12}</p></article></body></html>")
    content = clean(html.encode()).content
    assert "می\u200cشود" in content and "کتاب\u200cها" in content
    assert "\u034f" not in content


def test_persian_facet_labels_take_one_spelling() -> None:
    # windows-1256 pages write Arabic yeh and kaf; their categories must not split the facet.
    html = ("<html lang='fa'><head><meta charset='utf-8'><title>خبر</title>"
            "<meta property='article:section' content='گالري رسانه'>"
            "<meta property='article:tag' content='كتاب'></head><body><article><h1>خبر</h1>"
            f"<p>{'این یک متن فارسی برای آزمون است و باید درست خوانده شود. ' * 12}</p>"
            "</article></body></html>")
    page = clean(html.encode())
    assert page.categories == ["گالری رسانه"]
    assert page.tags == ["کتاب"]
