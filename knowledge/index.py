"""One generation of the index: BM25 over Chinese-aware tokens plus dense vectors, built and searched."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from core.errors import StoreError
from core.text.question import Analysis
from knowledge.chroma_store import VectorStore
from knowledge.chunk import Chunk
from knowledge.embed import Embedder
from knowledge.relevance import COVERAGE_PASSAGES, PHRASING_WEIGHT, Term, coverage, features_for
from knowledge.synonyms import alternatives, expand_query
from knowledge.tokens import DEFAULT_MODE, tokenize
from knowledge.wordweights import TypoFixer, informativeness, known_in_general

# Reciprocal-rank fusion of the BM25 and dense lists (k=60 is the usual constant; equal weights
# measured as well as any other split on our question sets).
RRF_K = 60
CANDIDATES = 40
BM25_WEIGHT = 1.0
DENSE_WEIGHT = 1.0
# The fused top RERANK_DEPTH are re-ordered with a little weight on how much of the question each
# passage covers; that lifts passages that answer all of it over ones that share one rare word.
RERANK_DEPTH = 20
COVERAGE_BLEND = 0.3
# Clauses that do not ask (「我们是一家奶茶店」「双十一我们想做满减」) still steer retrieval, this much.
CONTEXT_WEIGHT = 0.3
EMBEDDING_CACHE = 512


def build_generation(directory: Path, chunks: list[Chunk], tokens: list[list[str]], vectors: np.ndarray) -> None:
    """Write a generation (chunk table, BM25 index, vectors) into the new ``directory``."""
    import bm25s

    directory.mkdir(parents=True, exist_ok=False)
    with open(directory / "chunks.json", "w", encoding="utf-8") as handle:
        json.dump([c.model_dump() for c in chunks], handle, ensure_ascii=False)
    np.save(directory / "vectors.npy", vectors.astype(np.float32))
    if not chunks:
        return  # an emptied knowledge base: nothing to index, searches find nothing
    retriever = bm25s.BM25()
    retriever.index([t or ["\u0000"] for t in tokens], show_progress=False)
    retriever.save(str(directory / "bm25"), show_progress=False)


@dataclass
class Hit:
    """A chunk row and its fused score."""

    row: int
    score: float


class Generation:
    """A loaded generation, ready to answer queries (read-only, safe to share between threads)."""

    def __init__(self, directory: Path, embedder: Embedder, vectors_store: VectorStore | None):
        import bm25s

        try:
            with open(directory / "chunks.json", encoding="utf-8") as handle:
                self.chunks = [Chunk.model_validate(c) for c in json.load(handle)]
            self.vectors = np.load(directory / "vectors.npy", mmap_mode="r")
            self.bm25 = (
                bm25s.BM25.load(str(directory / "bm25"), mmap=False, show_progress=False) if self.chunks else None
            )
        except (OSError, ValueError) as exc:
            raise StoreError(f"index in {directory} is unreadable ({exc}); run `cehua kb rebuild`") from exc
        self.embedder = embedder
        self.store = vectors_store
        self.rows = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        self.vocab: dict[str, int] = self.bm25.vocab_dict if self.bm25 is not None else {}
        indptr = np.asarray(self.bm25.scores["indptr"]) if self.bm25 is not None else np.zeros(1)
        self.doc_freq = np.diff(indptr)
        self.lower_texts = [c.index_text().lower() for c in self.chunks]
        self._vectors: dict[str, np.ndarray] = {}

    def search(self, ask: str, k: int, context: str = "", terms: Sequence[Term] = ()) -> list[Hit]:
        """The best ``k`` rows for the asking clause(s) ``ask`` (Simplified), steered a little by the
        ``context`` clauses, re-ordered by how much of the question's ``terms`` each row covers."""
        if not self.chunks:
            return []
        n = min(CANDIDATES, len(self.chunks))
        fused: dict[int, float] = {}
        ask, context = expand_query(ask), expand_query(context) if context else ""  # 打广告 → also 广告
        for rank, row in enumerate(self._bm25_rows(ask, n, context)):
            fused[row] = fused.get(row, 0.0) + BM25_WEIGHT / (RRF_K + rank + 1)
        for rank, row in enumerate(self._dense_rows(ask, n, context)):
            fused[row] = fused.get(row, 0.0) + DENSE_WEIGHT / (RRF_K + rank + 1)
        best = (BM25_WEIGHT + DENSE_WEIGHT) / (RRF_K + 1)
        ranked = sorted(fused.items(), key=lambda item: -item[1])[: max(k, RERANK_DEPTH)]
        topic = [t for t in terms if t.role == "topic"]
        # Rank-fusion order blended with how much of the question each passage itself covers.
        scored = [
            (row, (1 - COVERAGE_BLEND) * score / best
             + COVERAGE_BLEND * coverage(topic, [self.lower_texts[row]], alternatives))
            for row, score in ranked
        ]
        scored.sort(key=lambda item: -item[1])
        return [Hit(row, score) for row, score in scored[:k]]

    def terms(self, analysis: Analysis, phrasing: frozenset[str] = frozenset()) -> list[Term]:
        """The topic and context words of an analysed question, weighted by how much each says
        (``phrasing``: words learned to be how questions are put, which say little)."""
        out: list[Term] = []
        seen: set[str] = set()
        # A word the question asks about is a topic word even when the context mentions it too.
        for word in sorted(analysis.words, key=lambda w: w.role != "topic"):
            text = word.text
            if word.role not in ("topic", "context") or text in seen or (len(text) < 2 and not text.isascii()):
                continue
            seen.add(text)
            weight = informativeness(text) * (PHRASING_WEIGHT if text in phrasing else 1.0)
            out.append(Term(text, weight, word.role, self.known(text), known_in_general(text)))
        return out

    def features(self, terms: Sequence[Term], hits: Sequence[Hit], ask: str) -> dict[str, float]:
        """The relevance model's features for ``hits`` found for ``terms`` (see ``knowledge.relevance``)."""
        rows = [h.row for h in hits]
        vector = self._embed(expand_query(ask)) if rows else None
        dense = float(np.max(np.asarray(self.vectors[rows[:COVERAGE_PASSAGES]]) @ vector)) if vector is not None else 0.0
        return features_for(terms, [self.lower_texts[r] for r in rows], [self.chunks[r].doc for r in rows],
                            self.bm25_share(expand_query(ask)), dense, alternatives)

    def bm25_share(self, query: str) -> float:
        """The best BM25 score for ``query`` over the most its words could score together (0..1); a
        word the index does not know could have scored as much as its rarest word."""
        words = set(tokenize(query, "words"))
        known = [t for t in words if t in self.vocab]
        if not known or self.bm25 is None:
            return 0.0
        rarest = float(np.max(self.token_ceiling)) if self.token_ceiling.size else 0.0
        ceiling = float(sum(self.token_ceiling[self.vocab[t]] for t in known)) + rarest * (len(words) - len(known))
        return float(np.max(self.bm25.get_scores(known))) / ceiling if ceiling else 0.0

    def _embed(self, text: str) -> np.ndarray:
        """The embedding of ``text``, remembered for a while: retrieval and the relevance features both
        need the question's vector, and a remote embedder should be asked once."""
        vector = self._vectors.get(text)
        if vector is None:
            vector = self.embedder.embed([text])[0]
            if len(self._vectors) >= EMBEDDING_CACHE:
                self._vectors.clear()
            self._vectors[text] = vector
        return vector

    @cached_property
    def token_ceiling(self) -> np.ndarray:
        """For each token id, the highest score it gives any chunk."""
        if self.bm25 is None:
            return np.zeros(0)
        data = np.asarray(self.bm25.scores["data"])
        indptr = np.asarray(self.bm25.scores["indptr"])
        ceiling = np.zeros(len(indptr) - 1)
        nonempty = np.diff(indptr) > 0
        ceiling[nonempty] = np.maximum.reduceat(data, indptr[:-1][nonempty]) if data.size else 0.0
        return ceiling

    @cached_property
    def typos(self) -> TypoFixer:
        """Slips put right against this generation's own words."""
        corpus = "\n".join(self.lower_texts)
        # Words, and the character pairs the guidebooks write (竞品 is a pair, jieba cuts 竞 / 品).
        words = {w.lstrip("#") for w in self.vocab}
        return TypoFixer(words, corpus.__contains__,
                         lambda w: max(self.doc_freq_of(w), self.doc_freq_of("#" + w)))

    def doc_freq_of(self, term: str) -> int:
        """How many chunks hold the token ``term``."""
        token_id = self.vocab.get(term)
        if token_id is None or token_id >= len(self.doc_freq):
            return 0
        return int(self.doc_freq[token_id])

    def _bm25_rows(self, query: str, n: int, context: str = "") -> list[int]:
        tokens = [t for t in tokenize(query, DEFAULT_MODE) if t in self.vocab]
        if not tokens or self.bm25 is None:
            return []
        scores = self.bm25.get_scores(tokens)
        extra = [t for t in tokenize(context, DEFAULT_MODE) if t in self.vocab] if context else []
        if extra:
            scores = scores + CONTEXT_WEIGHT * self.bm25.get_scores(extra)
        top = np.argpartition(-scores, min(n, len(scores) - 1))[:n]
        top = top[np.argsort(-scores[top])]
        return [int(r) for r in top if scores[r] > 0]

    def _dense_rows(self, query: str, n: int, context: str = "") -> list[int]:
        vector = self._embed(query)
        if context:
            vector = vector + CONTEXT_WEIGHT * self._embed(context)
            norm = float(np.linalg.norm(vector))
            vector = vector / norm if norm else vector
        if not np.any(vector):
            return []
        if self.store is not None:
            try:
                found = self.store.query(vector, n + 10)
            except Exception:  # a store that fails is replaced by the exact in-process search below
                found = []
            rows = [self.rows[i] for i, _ in found if i in self.rows][:n]
            if len(rows) >= min(n, len(self.chunks)):
                return rows
        scores = np.asarray(self.vectors @ vector)
        top = np.argpartition(-scores, min(n, len(scores) - 1))[:n]
        return [int(r) for r in top[np.argsort(-scores[top])]]

    def known(self, term: str) -> bool:
        """True when the corpus has ``term`` (or a word it stands for) as a word, or every character pair of it."""
        if any(alt in self.vocab for alt in alternatives(term)):
            return True
        if term.isascii() or len(term) < 2:
            return False
        return all("#" + term[i:i + 2] in self.vocab for i in range(len(term) - 1))
