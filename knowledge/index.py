"""The live index searched: BM25 over Chinese-aware tokens fused with dense vectors, and how well the
best passages cover the question (good_match)."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar, overload

import numpy as np

from core.errors import ModelError
from knowledge.chroma_store import VectorStore
from knowledge.chunk import Chunk
from knowledge.embed import Embedder, query_vector
from knowledge.segments import SegmentSet
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

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Hit:
    """A chunk row and its fused score."""

    row: int
    score: float


class _Rows(Sequence[T]):
    """Rows of the index read on demand (only the few a query looks at are ever decoded)."""

    def __init__(self, size: int, get: Callable[[int], T]):
        self._size = size
        self._get = get

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, row: int) -> T: ...
    @overload
    def __getitem__(self, row: slice) -> list[T]: ...
    def __getitem__(self, row: int | slice) -> T | list[T]:
        if isinstance(row, slice):
            return [self._get(r) for r in range(*row.indices(self._size))]
        if not -self._size <= row < self._size:
            raise IndexError(row)
        return self._get(row % self._size)


class _Vocabulary:
    """``term in vocab``: whether any segment has ``term`` as a BM25 token."""

    def __init__(self, segments: SegmentSet):
        self._segments = segments

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self._segments.has_term(term)


class Generation:
    """The live index, ready to answer queries (read-only, safe to share between threads)."""

    def __init__(self, segments: SegmentSet, embedder: Embedder, vectors_store: VectorStore | None,
                 chunk_rows: dict[str, int]):
        self.segments = segments
        self.embedder = embedder
        self.store = vectors_store
        self.rows = chunk_rows
        self.chunks: Sequence[Chunk] = _Rows(segments.size, segments.chunk)
        self.lower_texts: Sequence[str] = _Rows(segments.size, segments.lower_text)
        self.vocab = _Vocabulary(segments)

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
        return self.segments.bm25_top(tokenize(query, DEFAULT_MODE), n)

    def _dense_rows(self, query: str, n: int) -> list[int]:
        try:
            vector = query_vector(self.embedder, query)
        except ModelError as exc:  # an embedding endpoint that fails: search by words alone
            log.warning("searching by words only: %s", exc.message)
            return []
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
        return self.segments.dense_top(vector, n)

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
        return self.segments.doc_freq(term)
