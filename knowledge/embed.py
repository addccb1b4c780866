"""Dense embeddings: a local LSA model fitted on a sample of the corpus (no downloaded weights), or an
OpenAI-compatible endpoint.

The local model is scikit-learn's ``TfidfVectorizer`` over character uni- and bigrams (sublinear tf,
smoothed idf) followed by ``TruncatedSVD``. It is fitted on at most ``FIT_SAMPLE`` chunks, so fitting
costs the same however large the knowledge base grows, and it is saved as JSON + .npy (no pickle).
Adding documents reuses it; ``kb rebuild`` fits it again, and so does an add after which the corpus has
at least doubled since the fit while the new text's n-grams are measurably new (``needs_refit``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import threading
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import numpy as np

from core.errors import ModelError, StoreError
from core.settings import Settings
from knowledge.storage import commit_dir, temp_dir

log = logging.getLogger(__name__)

_HAN_OR_WORD = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+")
LSA_DIMENSIONS = 256
OOV_DIMS = 64  # hashed dimensions for n-grams the fit never saw (see LsaEmbedder)
FIT_SAMPLE = 6000  # chunks the local model is fitted on at most
EXACT_ROWS = 2000  # up to this many chunks the fit is exact
# Drift: refit when the corpus has grown this many times since the fit and the share of the new chunks'
# n-gram occurrences outside the fitted vocabulary exceeds the fitting sample's own by this much.
DRIFT_GROWTH = 2.0
DRIFT_OOV = 0.02
QUERY_EMBED_TIMEOUT = 5.0  # seconds a remote query embedding may take before search goes BM25-only
REMOTE_RETRY_AFTER = 30.0  # seconds search stays BM25-only after the endpoint failed


class Embedder(Protocol):
    """Turns Simplified texts into L2-normalised float32 vectors."""

    embedder_id: str

    def embed(self, texts: list[str]) -> np.ndarray: ...


def char_ngrams(text: str) -> list[str]:
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


def _vectorizer(min_df: int = 1):  # type: ignore[no-untyped-def]
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=char_ngrams, sublinear_tf=True, dtype=np.float32, min_df=min_df)


def hashed_features(rows: list[dict[str, float]], dims: int):  # type: ignore[no-untyped-def]
    """scikit-learn's ``FeatureHasher(dims, input_type="dict", alternate_sign=True, dtype=float32)`` of
    ``rows``, the same matrix bit for bit: the same signed MurmurHash3 (mmh3, seed 0) of each name's UTF-8,
    the same bucket and sign, the values rounded to float32 in the same order and duplicates summed by the
    same scipy call. Importing scikit-learn to hash a query's few unseen n-grams cost a cold ``cehua ask``
    over a second and about 60 MB (scikit-learn pulls in scipy.stats); ``tests/knowledge/test_embed.py``
    compares the two."""
    import mmh3
    from scipy.sparse import csr_array

    indices: list[int] = []
    values: list[float] = []
    indptr = [0]
    for row in rows:
        for name, value in row.items():
            if value == 0:
                continue
            h = mmh3.hash(name.encode("utf-8"), 0, signed=True)
            # abs(-2**31) overflows in scikit-learn's C; it defines the bucket as below.
            indices.append((2147483647 - (dims - 1)) % dims if h == -2147483648 else abs(h) % dims)
            values.append(value if h >= 0 else -value)
        indptr.append(len(indices))
    matrix = csr_array((np.asarray(values, dtype=np.float32), np.asarray(indices, dtype=np.int32),
                        np.asarray(indptr, dtype=np.int32)), dtype=np.float32, shape=(len(rows), dims))
    matrix.sum_duplicates()
    return matrix


class LsaEmbedder:
    """TF-IDF over character n-grams projected by truncated SVD; fitted on a sample and persisted.

    N-grams the fit never saw (the brand and product words of documents added since) are not lost:
    they are hashed (``hashed_features``, scikit-learn's ``FeatureHasher``, signed) into ``oov_dims`` more
    dimensions, weighted like the rarest fitted n-gram, so a query and the chunks that share a new word are near each other without
    fitting again. A text with no unseen n-gram gets exactly the vector it got before (zeros there)."""

    def __init__(self, embedder_id: str, vocab: dict[str, int], idf: np.ndarray, components: np.ndarray,
                 baseline_unknown: float = 0.0, oov_dims: int = 0):
        self.embedder_id = embedder_id
        self.baseline_unknown = baseline_unknown  # unknown_share of the fitting sample itself
        self.vocab = vocab
        self.idf = idf.astype(np.float32)
        self.oov_dims = oov_dims
        self._unseen_idf = float(self.idf.max()) if len(self.idf) else 1.0
        self.components_t = np.ascontiguousarray(components.T.astype(np.float32))

    @classmethod
    def fit(cls, texts: list[str], dimensions: int = LSA_DIMENSIONS) -> LsaEmbedder:
        """A model fitted on ``texts`` (a sample of the corpus' chunks, at most ``FIT_SAMPLE``)."""
        from sklearn.decomposition import TruncatedSVD

        small = len(texts) <= EXACT_ROWS
        # A large sample drops n-grams seen in one chunk only: they say nothing about how chunks relate,
        # and they would make the vocabulary (and the factorisation) several times larger.
        tfidf = _vectorizer(min_df=1 if small else 2)
        matrix = tfidf.fit_transform(texts)
        k = max(1, min(dimensions, matrix.shape[0] - 1, matrix.shape[1] - 1))
        if min(matrix.shape) <= k:  # a corpus of one or two chunks: keep what there is
            components = np.eye(k, matrix.shape[1], dtype=np.float32)
        elif small:
            # The random range spans every row, so one pass gives the exact decomposition.
            svd = TruncatedSVD(k, algorithm="randomized", n_iter=0, n_oversamples=matrix.shape[0] - k,
                               random_state=0)
            components = svd.fit(matrix).components_
        else:
            svd = TruncatedSVD(k, algorithm="randomized", n_iter=4, random_state=0)
            components = svd.fit(matrix).components_
        vocab = {term: int(i) for term, i in tfidf.vocabulary_.items()}
        model = cls(f"lsa-{uuid.uuid4().hex[:10]}", vocab, tfidf.idf_, components, oov_dims=OOV_DIMS)
        model.baseline_unknown = model.unknown_share(texts)
        return model

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for ``texts`` (chunks)."""
        known, unseen = self._parts(texts)
        return _normalize_rows(np.hstack([known, unseen]) if self.oov_dims else known)

    def embed_query(self, text: str) -> np.ndarray:
        """The vector of a query: scaled so its fitted part is a unit vector (its similarity to a chunk
        with no unseen n-gram is the cosine of the fitted parts, as before unseen n-grams counted),
        with the unseen n-grams beside it at the same scale."""
        known, unseen = self._parts([text])
        norm = float(np.linalg.norm(known[0]))
        if not self.oov_dims:
            return _normalize_rows(known)[0]
        vector = np.concatenate([known[0], unseen[0]])
        if norm == 0:
            return _normalize_rows(vector[None, :])[0]
        return (vector / norm).astype(np.float32)

    def _parts(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The projected TF-IDF of the fitted n-grams of each text, and its unseen n-grams hashed
        (sublinear tf times the rarest fitted n-gram's idf, scaled by the share of the text's fitted
        TF-IDF mass the projection keeps, so both parts weigh what they weigh in TF-IDF space)."""
        from scipy.sparse import csr_matrix

        vocab = self.vocab
        indptr = [0]
        indices: list[int] = []
        unseen: list[dict[str, float]] = []
        for text in texts:
            grams: dict[str, float] = {}
            for gram in char_ngrams(text):
                i = vocab.get(gram)
                if i is None:
                    grams[gram] = grams.get(gram, 0.0) + 1.0
                else:
                    indices.append(i)
            indptr.append(len(indices))
            unseen.append(grams)
        counts = csr_matrix((np.ones(len(indices), dtype=np.float32), np.asarray(indices, dtype=np.int64),
                             np.asarray(indptr, dtype=np.int64)), shape=(len(texts), len(vocab)))
        counts.sum_duplicates()
        counts.data = (1.0 + np.log(counts.data)) * self.idf[counts.indices]
        known = np.asarray(counts @ self.components_t, dtype=np.float32)
        if not self.oov_dims:
            return known, np.zeros((len(texts), 0), dtype=np.float32)
        raw = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1), dtype=np.float32)).ravel()
        kept = np.linalg.norm(known, axis=1)
        share = np.divide(kept, raw, out=np.ones_like(kept), where=raw > 0)
        weights = [{g: (1.0 + math.log(n)) * self._unseen_idf for g, n in grams.items()} for grams in unseen]
        return known, (hashed_features(weights, self.oov_dims).toarray() * share[:, None]).astype(np.float32)

    def unknown_share(self, texts: Iterable[str]) -> float:
        """Share of the n-gram occurrences of ``texts`` outside the fitted vocabulary (the drift measure)."""
        total = unknown = 0
        for text in texts:
            grams = char_ngrams(text)
            total += len(grams)
            unknown += sum(1 for g in grams if g not in self.vocab)
        return unknown / total if total else 0.0

    def save(self, directory: Path) -> None:
        """Write the model as JSON and .npy files (no pickle) into ``directory``, atomically."""
        with temp_dir(directory.parent, directory.name) as tmp:
            (tmp / "vocab.json").write_text(json.dumps(self.vocab, ensure_ascii=False), encoding="utf-8")
            np.save(tmp / "idf.npy", self.idf)
            np.save(tmp / "components_t.npy", self.components_t)
            meta = {"id": self.embedder_id, "kind": "lsa", "baseline_unknown": self.baseline_unknown,
                    "oov_dims": self.oov_dims}
            (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
            commit_dir(tmp, directory)

    @classmethod
    def load(cls, directory: Path) -> LsaEmbedder:
        """The model saved in ``directory``."""
        try:
            meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
            vocab = json.loads((directory / "vocab.json").read_text(encoding="utf-8"))
            idf = np.load(directory / "idf.npy")
            components_t = np.load(directory / "components_t.npy")
            if components_t.ndim != 2 or idf.shape != (len(vocab),) or components_t.shape[0] != len(vocab):
                raise ValueError("its files do not fit together")
            return cls(meta["id"], vocab, idf, components_t.T, float(meta.get("baseline_unknown", 0.0)),
                       int(meta.get("oov_dims", 0)))
        except (OSError, ValueError, EOFError, KeyError, TypeError) as exc:
            raise StoreError(
                f"the embedding model in {directory} is damaged ({exc}); run `cehua kb rebuild` to fit it again"
            ) from exc


def needs_refit(embedder: Embedder, fitted_on: int, total_chunks: int, new_texts: Iterable[str]) -> bool:
    """True when the corpus has outgrown the local model: grown ``DRIFT_GROWTH`` times since the fit and
    the new text measurably outside its vocabulary."""
    if not isinstance(embedder, LsaEmbedder) or total_chunks < DRIFT_GROWTH * max(fitted_on, 1):
        return False
    return drifts(embedder, new_texts)


def drifts(embedder: LsaEmbedder, new_texts: Iterable[str]) -> bool:
    """True when ``new_texts`` are measurably outside the local model's vocabulary."""
    return embedder.unknown_share(new_texts) - embedder.baseline_unknown >= DRIFT_OOV


class OpenAIEmbedder:
    """Embeddings from an OpenAI-compatible endpoint (``settings.embedding_model``)."""

    _failed_at: dict[str, float] = {}
    _failed_lock = threading.Lock()

    def __init__(self, settings: Settings):
        if not settings.embedding_model:
            raise ModelError("no embedding model configured; set CEHUA_EMBEDDING_MODEL")
        self.model = settings.embedding_model
        self._settings = settings
        key = f"{settings.openai_base_url or 'openai'}|{self.model}"
        self.embedder_id = "oa-" + hashlib.sha1(key.encode()).hexdigest()[:10]

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for ``texts``, requested in batches (indexing: the configured timeout and retries)."""
        settings = self._settings
        return self._request(texts, settings.model_timeout, settings.model_max_retries)

    def embed_query(self, text: str) -> np.ndarray:
        """The vector of one search query within ``QUERY_EMBED_TIMEOUT`` seconds and no retry; after a
        failure the endpoint is left alone for ``REMOTE_RETRY_AFTER`` seconds (ModelError at once)."""
        with self._failed_lock:
            failed = self._failed_at.get(self.embedder_id)
        if failed is not None and time.monotonic() - failed < REMOTE_RETRY_AFTER:
            raise ModelError(f"embedding model '{self.model}' failed moments ago; searching by words only")
        try:
            vector = self._request([text], min(self._settings.model_timeout, QUERY_EMBED_TIMEOUT), 0)
        except ModelError:
            with self._failed_lock:
                self._failed_at[self.embedder_id] = time.monotonic()
            raise
        with self._failed_lock:
            self._failed_at.pop(self.embedder_id, None)
        return vector[0]

    def recent_failure(self) -> str | None:
        """What to tell a searcher while the endpoint is being left alone after a failure."""
        with self._failed_lock:
            failed = self._failed_at.get(self.embedder_id)
        if failed is None or time.monotonic() - failed >= REMOTE_RETRY_AFTER:
            return None
        return (f"the embedding model '{self.model}' is failing; these results come from word search only "
                "(check OPENAI_BASE_URL/OPENAI_API_KEY or unset CEHUA_EMBEDDING_MODEL)")

    def _request(self, texts: list[str], timeout: float, retries: int) -> np.ndarray:
        from openai import OpenAI

        vectors: list[list[float]] = []
        settings = self._settings
        try:
            # A client per call: its connections are closed when the call ends, whoever holds the embedder.
            with OpenAI(
                api_key=settings.openai_api_key, base_url=settings.openai_base_url, timeout=timeout,
                max_retries=retries,
            ) as client:
                for i in range(0, len(texts), 64):
                    batch = [t[:6000] or " " for t in texts[i:i + 64]]
                    response = client.embeddings.create(model=self.model, input=batch)
                    vectors.extend(item.embedding for item in sorted(response.data, key=lambda d: d.index))
            matrix = np.array(vectors, dtype=np.float32).reshape(len(texts), -1)
        except Exception as exc:  # the endpoint: HTTP errors, timeouts, and replies that are not embeddings
            raise ModelError(
                f"embedding model '{self.model}' failed ({type(exc).__name__}: {exc}); check OPENAI_BASE_URL/"
                "OPENAI_API_KEY or unset CEHUA_EMBEDDING_MODEL to use the local embedding"
            ) from exc
        if matrix.shape[1] == 0 or not np.all(np.isfinite(matrix)):
            raise ModelError(f"embedding model '{self.model}' returned no usable vectors; check the endpoint")
        return _normalize_rows(matrix)


def query_vector(embedder: Embedder, text: str) -> np.ndarray:
    """The vector of one search query (a remote endpoint gets a short deadline; ModelError when it fails)."""
    if isinstance(embedder, OpenAIEmbedder | LsaEmbedder):
        return embedder.embed_query(text)
    return embedder.embed([text])[0]


def uses_remote_embeddings(settings: Settings) -> bool:
    """True when an OpenAI-compatible embedding endpoint is configured."""
    return bool(settings.embedding_model and settings.openai_api_key)
