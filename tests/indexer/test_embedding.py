"""The embedding model: loaded from its wheel, unit vectors, refusals that say what to do."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from indexer import embedding
from indexer.index import mapping

pytestmark = pytest.mark.unit

MODEL = "wordllama:256"


@pytest.fixture(scope="module")
def model() -> embedding.Embedder:
    loaded = embedding.load(MODEL)
    assert loaded is not None
    return loaded


def test_the_default_model_loads_from_its_package_with_the_mappings_dimensions(
        model: embedding.Embedder) -> None:
    assert model.dims == 256
    assert embedding.for_mapping(MODEL, mapping.load()) is model  # loaded once per process


def test_vectors_are_unit_length_and_nothing_to_embed_gives_none(model: embedding.Embedder) -> None:
    vectors = model.embed(["The court imprisoned the activist.", "", "   "])
    assert vectors[1] is None and vectors[2] is None
    assert vectors[0] is not None and len(vectors[0]) == 256
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-3)


def test_related_words_are_nearer_than_unrelated_ones(model: embedding.Embedder) -> None:
    jailed, imprisoned, football = (np.array(model.embed_query(t))
                                    for t in ("jailed", "imprisoned", "football"))
    assert jailed @ imprisoned > jailed @ football + 0.2


def test_batches_give_the_same_vectors_as_one_text_at_a_time(model: embedding.Embedder) -> None:
    texts = [f"article number {i} about elections and parliament" for i in range(embedding.BATCH_SIZE + 3)]
    together = model.embed(texts)
    alone = [model.embed_query(t) for t in texts]
    assert together == alone


def test_an_articles_text_is_its_title_standfirst_and_opening() -> None:
    text = embedding.article_text({"title": "Title", "description": "Standfirst", "content": "x" * 10_000})
    assert text.startswith("Title\nStandfirst\nxxx")
    assert len(text) == embedding.MAX_TEXT_CHARS


def test_none_means_no_vectors() -> None:
    assert embedding.load("none") is None
    assert embedding.load("") is None


@pytest.mark.parametrize("setting", ["word2vec:300", "wordllama", "wordllama:77"])
def test_a_model_that_cannot_load_is_refused_with_its_variable(setting: str) -> None:
    with pytest.raises(embedding.EmbeddingError, match="PAGESIFT_EMBEDDING_MODEL"):
        embedding.load(setting)


def test_a_model_whose_vectors_do_not_fit_the_mapping_is_refused_with_the_fix() -> None:
    spec = mapping.load()
    other = mapping.IndexSpec(spec.version, spec.settings, copy.deepcopy(spec.mappings))
    other.mappings["properties"]["embedding"]["dims"] = 384
    with pytest.raises(embedding.EmbeddingError, match=r"dims=384.*reclean"):
        embedding.for_mapping(MODEL, other)


def test_loading_the_model_leaves_logging_as_it_was() -> None:
    # wordllama's import configures the root logger (INFO, to stderr): every Elasticsearch
    # request then printed a line into `pagesift reindex`'s progress bar. In a fresh process,
    # since an import happens once.
    import subprocess
    import sys

    code = ("import logging; from indexer import embedding; embedding.load('wordllama:256'); "
            "root = logging.getLogger(); print(len(root.handlers), root.level)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", str(30)]
