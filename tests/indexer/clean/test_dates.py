from __future__ import annotations

import pytest

from indexer.clean.dates import to_iso

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("value,expected", [
    ("2023-07-03T10:00:00+00:00", "2023-07-03T10:00:00+00:00"),
    ("2023-07-03T10:00:00Z", "2023-07-03T10:00:00+00:00"),
    ("2023-07-03", "2023-07-03"),
    ("2023-07-03 10:00:00", "2023-07-03T10:00:00"),
    ("July 3, 2023", "2023-07-03"),
    ("3 July 2023", "2023-07-03"),
    # Solar Hijri: 12 Tir 1402 is 3 July 2023.
    ("1402/04/12", "2023-07-03"),
    ("۱۴۰۲/۰۴/۱۲", "2023-07-03"),
    ("1402-04-12T08:30:00+03:30", "2023-07-03T08:30:00+03:30"),
    ("۱۲ تیر ۱۴۰۲", "2023-07-03"),
    ("1 فروردین 1403", "2024-03-20"),
    ("2012-02-30", None),
    ("not a date", None),
    ("", None),
    (None, None),
])
def test_to_iso(value, expected):
    assert to_iso(value) == expected
