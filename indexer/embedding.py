"""Articles and queries as vectors: the one module that knows the embedding model.

Workers embed each article beside cleaning (``indexer.index.indexing.Indexer``), the search
embeds the reader's words (``indexer.searching``), both through :func:`load`, so the two sides
of a cosine are always the same model. ``PAGESIFT_EMBEDDING_MODEL`` names it:

- ``wordllama:256`` (default): WordLlama's static token embeddings, shipped inside its wheel
  (16 MB), pooled on the CPU in about a millisecond per article; no download, ever;
- ``sentence-transformers:NAME_OR_PATH`` / ``fastembed:NAME``: a larger model for production,
  from a local path or a cache the deployment fills (docs/search.md, "Hybrid search");
- ``none``: no vectors; searches stay lexical.

Every vector is unit length (cosine and dot product agree); a text with nothing to embed gets
``None``, not a zero vector, which Elasticsearch refuses under cosine similarity.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from indexer.index.mapping import IndexSpec
from indexer.query import fields as f

NONE = "none"
FIELD = f.EMBEDDING
# The opening of an article stands for it: the head of a news story carries its subject, and
# WordLlama pads a batch to its longest text, so an uncapped one would cost memory by the page.
MAX_TEXT_CHARS = 4000
# Below this norm a pooled vector says nothing (no known token): no vector at all.
MIN_NORM = 1e-6
BATCH_SIZE = 32
# Stored in _source as JSON: four decimals is finer than the index's int8 quantisation, and
# half the bytes of float32's full repr.
VECTOR_DECIMALS = 4

Vector = list[float]
Encode = Callable[[list[str]], np.ndarray]


class EmbeddingError(ValueError):
    """A model setting that names no model this module can load."""


@dataclass(frozen=True)
class Embedder:
    """A loaded model: ``name`` as configured, its ``dims``, and how it turns texts to rows."""

    name: str
    dims: int
    encode: Encode

    def embed(self, texts: Sequence[str]) -> list[Vector | None]:
        """One unit vector per text, ``None`` for a text with nothing to embed."""
        out: list[Vector | None] = [None] * len(texts)
        todo = [(i, text) for i, text in enumerate(texts) if text.strip()]
        for start in range(0, len(todo), BATCH_SIZE):
            chunk = todo[start:start + BATCH_SIZE]
            rows = np.asarray(self.encode([text for _, text in chunk]), dtype=np.float32)
            norms = np.linalg.norm(rows, axis=1)
            for (i, _), row, norm in zip(chunk, rows, norms, strict=True):
                if norm > MIN_NORM:
                    out[i] = (row / norm).round(VECTOR_DECIMALS).tolist()
        return out

    def embed_query(self, text: str) -> Vector | None:
        return self.embed([text])[0]


def article_text(source: Mapping[str, Any]) -> str:
    """What an article's vector is made from: its title, standfirst and opening text."""
    parts = (source.get(f.TITLE), source.get(f.DESCRIPTION),
             source.get(f.CONTENT))
    return "\n".join(str(p) for p in parts if p)[:MAX_TEXT_CHARS]


def load(model: str) -> Embedder | None:
    """The model ``model`` names (None for ``none``), loaded once per process."""
    return _load(model.strip())


@cache
def _load(model: str) -> Embedder | None:
    if model.lower() in ("", NONE):
        return None
    kind, _, name = model.partition(":")
    loader = _LOADERS.get(kind.lower())
    if loader is None or not name:
        raise EmbeddingError(f"PAGESIFT_EMBEDDING_MODEL={model!r}: expected one of "
                             f"{', '.join(f'{k}:NAME' for k in _LOADERS)} or {NONE}")
    return loader(model, name)


def for_mapping(model: str, spec: IndexSpec) -> Embedder | None:
    """The model, checked against the mapping it writes into: vectors of another length would
    fail every document, so a mismatch stops the worker at its start with the fix."""
    embedder = load(model)
    declared = spec.mappings["properties"].get(FIELD, {}).get("dims")
    if embedder is not None and declared != embedder.dims:
        raise EmbeddingError(f"PAGESIFT_EMBEDDING_MODEL={model!r} makes {embedder.dims}-dimension vectors "
                             f"but mappings/pages.json declares {FIELD}.dims={declared}: set dims, bump the "
                             "version and reclean (docs/search.md, \"Hybrid search\")")
    return embedder


@contextlib.contextmanager
def _logging_left_alone() -> Iterator[None]:
    """wordllama's import calls ``logging.basicConfig(level=INFO)``: every Elasticsearch request
    then printed a line into the CLI's progress bars and the web server's log. Its root handler
    and level are taken back out."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)


def _wordllama(model: str, dim: str) -> Embedder:
    with _logging_left_alone():
        import wordllama
        from wordllama import WordLlama

    # The package looks for its tokenizer under <cache_dir>/tokenizers/, where its own wheel
    # keeps it: pointing the cache at the package finds it, and nothing is ever downloaded.
    package = Path(wordllama.__file__).parent
    try:
        wl = WordLlama.load(dim=int(dim), cache_dir=package, disable_download=True)
    except (ValueError, FileNotFoundError) as exc:
        raise EmbeddingError(f"PAGESIFT_EMBEDDING_MODEL={model!r}: {exc}") from exc
    return Embedder(model, int(dim), lambda texts: wl.embed(texts, norm=False))


def _sentence_transformers(model: str, name: str) -> Embedder:
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise EmbeddingError(f"{model!r} needs `pip install sentence-transformers`") from exc
    st = SentenceTransformer(name, device="cpu")
    dims = st.get_sentence_embedding_dimension()
    assert dims is not None
    return Embedder(model, int(dims), lambda texts: st.encode(texts, batch_size=BATCH_SIZE))


def _fastembed(model: str, name: str) -> Embedder:
    try:
        from fastembed import TextEmbedding
    except ImportError as exc:
        raise EmbeddingError(f"{model!r} needs `pip install fastembed`") from exc
    fe = TextEmbedding(name)
    probe = np.asarray(list(fe.embed(["probe"])))
    return Embedder(model, int(probe.shape[1]), lambda texts: np.asarray(list(fe.embed(texts))))


_LOADERS: dict[str, Callable[[str, str], Embedder]] = {
    "wordllama": _wordllama,
    "sentence-transformers": _sentence_transformers,
    "fastembed": _fastembed,
}
