"""One generation of the index: BM25 over Chinese-aware tokens plus dense vectors, built and searched."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import StoreError
from knowledge.chroma_store import VectorStore
from knowledge.chunk import Chunk
from knowledge.embed import Embedder
from knowledge.synonyms import alternatives, expand_query
from knowledge.tokens import DEFAULT_MODE, INTENT_WORDS, content_terms, tokenize

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
# good_match: IDF-weighted share of the question's content words found in the top passages of one
# document. Off-topic questions we tried (held-out, tests/data/out_of_scope_extra.jsonl and ~190 more
# marketing-adjacent probes) mostly stay under 0.53; on-topic ones reach 0.58+.
COVERAGE_PASSAGES = 3
GOOD_MATCH_COVERAGE = 0.55
# A question of at most this many content words needs one passage holding all of them.
SHORT_QUESTION_TERMS = 2
INTENT_WEIGHT = 0.3  # 好处, 方法, 原则…: say what kind of answer is wanted, rarely repeated by the text
UNKNOWN_TERM_WEIGHT = 2.0  # words the corpus never mentions
# A light verb with its result (做到, 做成, 弄好, 搞定): phrasing the guidebooks never use, not a subject.
# Only a result complement counts: 办理 (apply for a licence) and 用车 are subjects of their own.
_LIGHT_VERB = re.compile(r"^[做弄搞整办用来去][到成好完掉出起定对全齐妥]$")


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

    def search(self, query_simplified: str, k: int) -> tuple[list[Hit], float]:
        """The best ``k`` rows for a Simplified query, and how well they cover its content terms."""
        if not self.chunks:
            return [], 0.0
        n = min(CANDIDATES, len(self.chunks))
        fused: dict[int, float] = {}
        expanded = expand_query(query_simplified)  # 打广告 → also 广告, 电影院 → also 影城
        for rank, row in enumerate(self._bm25_rows(expanded, n)):
            fused[row] = fused.get(row, 0.0) + BM25_WEIGHT / (RRF_K + rank + 1)
        for rank, row in enumerate(self._dense_rows(expanded, n)):
            fused[row] = fused.get(row, 0.0) + DENSE_WEIGHT / (RRF_K + rank + 1)
        best = (BM25_WEIGHT + DENSE_WEIGHT) / (RRF_K + 1)
        ranked = sorted(fused.items(), key=lambda item: -item[1])[: max(k, RERANK_DEPTH)]
        terms = self._weighted_terms(query_simplified)
        # Rank-fusion order blended with how much of the question each passage itself covers.
        scored = [
            (row, (1 - COVERAGE_BLEND) * score / best + COVERAGE_BLEND * self._coverage(terms, [row]))
            for row, score in ranked
        ]
        scored.sort(key=lambda item: -item[1])
        hits = [Hit(row, score) for row, score in scored[:k]]
        # Coverage by the top passages of one document: an answer comes from one guidebook, and terms
        # scattered over unrelated documents (信用卡 here, 逾期 there) do not make a question answerable.
        by_doc: dict[str, list[int]] = {}
        for row, _ in scored[:COVERAGE_PASSAGES]:
            by_doc.setdefault(self.chunks[row].doc, []).append(row)
        coverage = max((self._coverage(terms, rows) for rows in by_doc.values()), default=0.0)
        if len(terms) <= SHORT_QUESTION_TERMS:
            # 「公众号怎么申请」: with two words, one rare word found somewhere must not carry the question;
            # one passage has to hold both, each word counting the same (what-kind words still less).
            flat = [(term, INTENT_WEIGHT if term in INTENT_WORDS else 1.0) for term, _ in terms]
            whole = max((self._coverage(flat, [row]) for row, _ in scored[:COVERAGE_PASSAGES]), default=0.0)
            coverage = min(coverage, whole)
        return hits, coverage

    def _bm25_rows(self, query: str, n: int) -> list[int]:
        tokens = [t for t in tokenize(query, DEFAULT_MODE) if t in self.vocab]
        if not tokens or self.bm25 is None:
            return []
        scores = self.bm25.get_scores(tokens)
        top = np.argpartition(-scores, min(n, len(scores) - 1))[:n]
        top = top[np.argsort(-scores[top])]
        return [int(r) for r in top if scores[r] > 0]

    def _dense_rows(self, query: str, n: int) -> list[int]:
        vector = self.embedder.embed([query])[0]
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

    def coverage(self, query: str, rows: list[int]) -> float:
        """Share (IDF-weighted) of the query's content terms found in the passages at ``rows``."""
        return self._coverage(self._weighted_terms(query), rows)

    def _weighted_terms(self, query: str) -> list[tuple[str, float]]:
        total_docs = len(self.chunks)
        weighted = []
        for term in content_terms(query):
            if _LIGHT_VERB.match(term) and not self._known(term):
                continue  # 「做到」「做成」「弄好」: how to do it, not what it is about
            weight = math.log(1.0 + total_docs / (max(self._doc_freq(alt) for alt in alternatives(term)) + 0.5))
            if term in INTENT_WORDS:
                weight *= INTENT_WEIGHT
            elif not self._known(term):
                # A subject the guidebooks never mention (高铁, 装饰器) says most about being off-topic.
                weight *= UNKNOWN_TERM_WEIGHT
            weighted.append((term, weight))
        return weighted

    def _coverage(self, terms: list[tuple[str, float]], rows: list[int]) -> float:
        if not terms or not rows:
            return 0.0
        texts = [self.lower_texts[r] for r in rows]
        weight_sum = 0.0
        covered = 0.0
        for term, weight in terms:
            weight_sum += weight
            if any(alt in t for alt in alternatives(term) for t in texts):
                covered += weight
            elif len(term) >= 3 and not term.isascii():
                # A compound the passages spell out in parts half counts.
                pairs = [term[i:i + 2] for i in range(len(term) - 1)]
                if all(any(p in t for t in texts) for p in pairs):
                    covered += weight * 0.5
        return covered / weight_sum if weight_sum else 0.0

    def _known(self, term: str) -> bool:
        """True when the corpus has ``term`` (or a word it stands for) as a word, or every character pair of it."""
        if any(alt in self.vocab for alt in alternatives(term)):
            return True
        if term.isascii() or len(term) < 2:
            return False
        return all("#" + term[i:i + 2] in self.vocab for i in range(len(term) - 1))

    def _doc_freq(self, term: str) -> int:
        token_id = self.vocab.get(term)
        if token_id is None or token_id >= len(self.doc_freq):
            return 0
        return int(self.doc_freq[token_id])
