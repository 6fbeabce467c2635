"""The Flask secret key: from the settings, or generated once and kept under the home."""

from __future__ import annotations

import os
import secrets

from indexer.config import Settings

FILENAME = "secret_key"


def secret_key(settings: Settings) -> str:
    if settings.secret_key:
        return settings.secret_key
    if settings.production:
        raise RuntimeError("PAGESIFT_SECRET_KEY must be set in production")
    path = settings.run_dir / FILENAME
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL: when two workers race, one writes and the other reads what it wrote.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as out:
        out.write(key)
    return key
