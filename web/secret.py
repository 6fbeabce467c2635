"""The Flask secret key: from the settings, or generated once and kept under the home."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from indexer.config import Settings

FILENAME = "secret_key"


def secret_key(settings: Settings) -> str:
    if settings.web.secret_key:
        return settings.web.secret_key
    if settings.production:
        raise RuntimeError("PAGESIFT_SECRET_KEY must be set in production")
    path = settings.run_dir / FILENAME
    if path.exists():
        return _read(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return _publish(path, secrets.token_hex(32))


def _read(path: Path) -> str:
    key = path.read_text().strip()
    if not key:
        # Only a crash mid-write of an older version leaves this; an empty key would sign
        # nothing, so say what to do rather than serve without sessions.
        raise RuntimeError(f"{path} is empty: delete it (a new key is generated) or set PAGESIFT_SECRET_KEY")
    return key


def _publish(path: Path, key: str) -> str:
    """Write ``key`` to a private temporary file, then link it to ``path``: the name never
    points at a file still being written, so a process starting at the same moment never
    reads an empty key. ``link`` fails when the name exists (the O_EXCL of names): of two
    processes, one key wins and both use it."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{FILENAME}.")  # mode 0600
    try:
        with os.fdopen(fd, "w") as out:
            out.write(key)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return _read(path)
        return key
    finally:
        os.unlink(temporary)
