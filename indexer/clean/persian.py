"""Persian facet labels in one spelling.

Legacy Persian pages (windows-1256 has no Persian yeh or keheh) write the Arabic ي, ى and ك
where Unicode Persian writes ی and ک, so the same category would show as two facet values
("گالري رسانه" beside "گالری رسانه"). Search does not need this: the `.fa` analyzer folds
both forms. Display labels do.
"""

from __future__ import annotations

from indexer.clean.metadata.model import unique

_PERSIAN_FORMS = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})


def fold_labels(labels: list[str]) -> list[str]:
    return unique([label.translate(_PERSIAN_FORMS) for label in labels])
