"""Dense embeddings: a local LSA model fitted on the corpus (no downloaded weights) or an OpenAI endpoint."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from pathlib import Path
from typing import Protocol

import numpy as np
from scipy import sparse

from core.errors import ModelError, StoreError
from core.settings import Settings

_HAN_OR_WORD = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+")
LSA_DIMENSIONS = 256


class Embedder(Protocol):
    """Turns Simplified texts into L2-normalised float32 vectors."""

    embedder_id: str

    def embed(self, texts: list[str]) -> np.ndarray: ...


def _char_ngrams(text: str) -> list[str]:
    """Character unigrams and bigrams of Han runs, plus Latin words."""
    grams: list[str] = []
    for run in _HAN_OR_WORD.findall(text.lower()):
        if run[0].isascii():
            grams.append(run)
            continue
        grams.extend(run)
        grams.extend(run[i:i + 2] for i in range(len(run) - 1))
    return grams


def _normalize_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


class LsaEmbedder:
    """TF-IDF over character n-grams projected by truncated SVD; fitted at index time and persisted."""

    def __init__(self, embedder_id: str, vocab: dict[str, int], idf: np.ndarray, components: np.ndarray):
        self.embedder_id = embedder_id
        self.vocab = vocab
        self.idf = idf.astype(np.float32)
        self.components_t = np.ascontiguousarray(components.T.astype(np.float32))

    @classmethod
    def fit(cls, texts: list[str], dimensions: int = LSA_DIMENSIONS) -> LsaEmbedder:
        """A model fitted on ``texts`` (the chunks of the corpus)."""
        vocab: dict[str, int] = {}
        rows = [_char_ngrams(t) for t in texts]
        for grams in rows:
            for g in grams:
                if g not in vocab:
                    vocab[g] = len(vocab)
        counts = _count_matrix(rows, vocab)
        df = np.bincount(counts.indices, minlength=len(vocab))
        idf = (np.log((1 + len(texts)) / (1 + df)) + 1.0).astype(np.float32)
        tfidf = _tfidf(counts, idf)
        k = max(1, min(dimensions, tfidf.shape[0] - 1, tfidf.shape[1] - 1))
        from threadpoolctl import threadpool_limits

        # Small dense factorisations: BLAS threads only contend with each other (and with API workers).
        with threadpool_limits(limits=1):
            components = _randomized_svd_components(tfidf, k)
        return cls(f"lsa-{uuid.uuid4().hex[:10]}", vocab, idf, components)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for ``texts``."""
        rows = [_char_ngrams(t) for t in texts]
        tfidf = _tfidf(_count_matrix(rows, self.vocab), self.idf)
        return _normalize_rows(np.asarray(tfidf @ self.components_t))

    def save(self, directory: Path) -> None:
        """Write the model as JSON and .npy files (no pickle) into ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "vocab.json").write_text(json.dumps(self.vocab, ensure_ascii=False), encoding="utf-8")
        np.save(directory / "idf.npy", self.idf)
        np.save(directory / "components_t.npy", self.components_t)
        (directory / "meta.json").write_text(json.dumps({"id": self.embedder_id, "kind": "lsa"}), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> LsaEmbedder:
        """The model saved in ``directory``."""
        try:
            meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
            vocab = json.loads((directory / "vocab.json").read_text(encoding="utf-8"))
            idf = np.load(directory / "idf.npy")
            components_t = np.load(directory / "components_t.npy")
        except (OSError, ValueError) as exc:
            raise StoreError(f"embedding model in {directory} is unreadable ({exc}); run `cehua kb rebuild`") from exc
        return cls(meta["id"], vocab, idf, components_t.T)


def _randomized_svd_components(matrix: sparse.csr_matrix, k: int, oversample: int = 10, power: int = 3) -> np.ndarray:
    """The top ``k`` right singular vectors of ``matrix`` (rows = chunks), seeded and BLAS-light.

    Small corpora use the exact eigen-decomposition of the chunk Gram matrix; larger ones a randomized
    range finder (Halko et al.) that only orthonormalises on the chunk side, which stays cheap however
    large the n-gram vocabulary is.
    """
    n_rows = matrix.shape[0]
    if n_rows <= 2000:
        basis = None
        gram = np.asarray((matrix @ matrix.T).todense(), dtype=np.float64)
        values, vectors = np.linalg.eigh(gram)
        order = np.argsort(-values)[:k]
        basis = vectors[:, order]
    else:
        rng = np.random.default_rng(0)
        width = min(k + oversample, n_rows)
        q = np.asarray(matrix @ rng.standard_normal((matrix.shape[1], width)).astype(np.float32))
        q, _ = np.linalg.qr(q)
        for _ in range(power):
            q, _ = np.linalg.qr(np.asarray(matrix @ np.asarray(matrix.T @ q)))
        small = np.asarray((matrix.T @ q).T)  # width x features
        values, vectors = np.linalg.eigh(small @ small.T)
        order = np.argsort(-values)[:k]
        basis = q @ vectors[:, order]
    projected = np.asarray(matrix.T @ basis).T  # k x features, rows are s_i * v_i
    norms = np.linalg.norm(projected, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (projected / norms).astype(np.float32)


def _count_matrix(rows: list[list[str]], vocab: dict[str, int]) -> sparse.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    for grams in rows:
        ids = [vocab[g] for g in grams if g in vocab]
        indices.extend(ids)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(vocab)), dtype=np.float32)
    matrix.sum_duplicates()
    return matrix


def _tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    tf = counts.copy()
    tf.data = 1.0 + np.log(tf.data)
    tf = tf.multiply(idf.reshape(1, -1)).tocsr()
    norms = np.sqrt(np.asarray(tf.multiply(tf).sum(axis=1))).ravel()
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms).dot(tf).tocsr().astype(np.float32)


class OpenAIEmbedder:
    """Embeddings from an OpenAI-compatible endpoint (``settings.embedding_model``)."""

    def __init__(self, settings: Settings):
        if not settings.embedding_model:
            raise ModelError("no embedding model configured; set CEHUA_EMBEDDING_MODEL")
        self.model = settings.embedding_model
        self._settings = settings
        key = f"{settings.openai_base_url or 'openai'}|{self.model}"
        self.embedder_id = "oa-" + hashlib.sha1(key.encode()).hexdigest()[:10]

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for ``texts``, requested in batches."""
        import openai

        vectors: list[list[float]] = []
        # A client per call: its connections are closed when the call ends, whoever holds the embedder.
        from openai import OpenAI

        settings = self._settings
        with OpenAI(
            api_key=settings.openai_api_key, base_url=settings.openai_base_url,
            timeout=settings.model_timeout, max_retries=settings.model_max_retries,
        ) as client:
            for i in range(0, len(texts), 64):
                batch = [t[:6000] or " " for t in texts[i:i + 64]]
                try:
                    response = client.embeddings.create(model=self.model, input=batch)
                except openai.OpenAIError as exc:
                    raise ModelError(
                        f"embedding model '{self.model}' failed ({exc}); check OPENAI_BASE_URL/OPENAI_API_KEY "
                        "or unset CEHUA_EMBEDDING_MODEL to use the local embedding"
                    ) from exc
                vectors.extend(item.embedding for item in sorted(response.data, key=lambda d: d.index))
        return _normalize_rows(np.array(vectors, dtype=np.float32).reshape(len(texts), -1))


def uses_remote_embeddings(settings: Settings) -> bool:
    """True when an OpenAI-compatible embedding endpoint is configured."""
    return bool(settings.embedding_model and settings.openai_api_key)
