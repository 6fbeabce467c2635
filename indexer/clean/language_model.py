"""py3langid's model, loaded once per process, from an uncompressed copy when one is kept.

The package ships its model LZMA-compressed (4.5 MB holding 68 MB of arrays); inflating it
takes about 0.45 s, paid by every process that detects a language: every `pagesift clean`
and every worker process. Kept inflated in a cache directory (written once, atomically, named
for the package version and the compressed file's size) , it loads in about 0.03 s. Without a
cache directory, or when it cannot be written, the package's own loader is used.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from array import array
from functools import cache
from pathlib import Path
from typing import Any

_cache_dir: Path | None = None


def keep_in(directory: Path | None) -> None:
    """Where the inflated model is kept (the home's cache); None: inflate in memory."""
    global _cache_dir
    _cache_dir = directory


@cache
def identifier() -> Any:
    """The process's one py3langid ``LanguageIdentifier``."""
    from py3langid import langid

    packaged = langid.MODEL_DIR / langid.MODEL_FILE
    cached = _cached_copy(packaged) if _cache_dir is not None else None
    if cached is None:
        return langid.LanguageIdentifier.from_model_file(packaged)
    return _from_inflated(cached)


def _cached_copy(packaged: Path) -> Path | None:
    from py3langid import __version__

    assert _cache_dir is not None
    target = _cache_dir / f"py3langid-{__version__}-{packaged.stat().st_size}-{_LAYOUT}"
    if not target.is_dir():
        try:
            _inflate(packaged, target)
        except OSError:
            return None
    return target if target.is_dir() else None


def _inflate(packaged: Path, target: Path) -> None:
    """The model's arrays as plain files: numpy's for the tables, raw bytes for the automaton
    (read straight into stdlib arrays)."""
    import lzma
    import shutil

    import numpy as np

    target.parent.mkdir(parents=True, exist_ok=True)
    # Built beside its final name and renamed: two processes starting together never read
    # half a model; the loser of a race keeps the winner's copy.
    building = Path(tempfile.mkdtemp(dir=target.parent, suffix=".partial"))
    try:
        with tempfile.TemporaryFile() as inflated:
            with lzma.open(packaged) as source:
                shutil.copyfileobj(source, inflated, length=1 << 20)
            inflated.seek(0)
            with np.load(inflated, allow_pickle=False) as data:
                np.save(building / "ptc.npy", data["ptc"])
                np.save(building / "pc.npy", data["pc"])
                np.save(building / "out_feat.npy", data["out_feat"])
                np.save(building / "classes.npy", data["classes"])
                for name in ("nextmove", "nextmove_row"):
                    values = data[name]
                    (building / f"{name}.{_TYPECODES[values.dtype.itemsize]}").write_bytes(
                        values.tobytes())
        with contextlib.suppress(OSError):
            os.rename(building, target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    # Copies of other versions or layouts are never read again.
    for stale in target.parent.glob("py3langid-*"):
        if stale != target and not stale.name.endswith(".partial"):
            shutil.rmtree(stale, ignore_errors=True)


# numpy's unsigned item sizes -> the stdlib array typecodes py3langid walks its automaton with.
_TYPECODES = {2: "H", 4: "I", 8: "L"}
# Bumped when the kept files change shape, so an old copy is never read as a new one.
_LAYOUT = "v3"


def _from_inflated(folder: Path) -> Any:
    """The identifier py3langid's ``from_model_file`` builds, from the inflated arrays."""
    import numpy as np
    from py3langid import langid

    # The class weights (28 MB) are mapped, not read: a page's text touches a few thousand
    # rows. The automaton (39 MB) is read whole into a stdlib array, which the walk indexes
    # once per byte of text; a mapped numpy array is eight times slower there.
    return langid.LanguageIdentifier(
        np.load(folder / "ptc.npy", mmap_mode="r"), np.load(folder / "pc.npy"),
        np.load(folder / "classes.npy").tolist(), _stdlib_array(folder, "nextmove"),
        np.load(folder / "out_feat.npy").tolist(), tk_row=_stdlib_array(folder, "nextmove_row"))


def _stdlib_array(folder: Path, name: str) -> array[int]:
    path = next(folder.glob(f"{name}.?"))
    out = array(path.suffix[1:])
    with path.open("rb") as stream:
        out.fromfile(stream, path.stat().st_size // out.itemsize)
    return out
