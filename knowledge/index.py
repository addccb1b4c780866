"""The live index searched: BM25 over Chinese-aware tokens and dense vectors, their candidates ordered by
the learned ranking model (``knowledge.ranking``), and the relevance model's features for the best passages."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TypeVar, overload

import numpy as np
from scipy import sparse

from core.errors import ModelError
from core.text import cantonese, segment
from core.text.question import Analysis, Word
from knowledge import cedict
from knowledge.associations import load_table
from knowledge.bridges import Bridges
from knowledge.chroma_store import VectorStore
from knowledge.chunk import Chunk
from knowledge.embed import Embedder, query_vector
from knowledge.precedents import Precedent, Precedents, precedent, precedents_in_use
from knowledge.ranking import Candidate, features, han_pairs, heading_of, lead_in, ranking_model
from knowledge.relevance import COVERAGE_PASSAGES, PHRASING_WEIGHT, Term, features_for
from knowledge.segments import SegmentSet
from knowledge.senses import Senses
from knowledge.synonyms import alternatives, expand_query
from knowledge.tokens import DEFAULT_MODE, tokenize
from knowledge.wordweights import (
    TypoFixer,
    chance_pieces,
    general_zipf,
    informativeness,
    known_in_general,
    lift,
    listed_zipf,
    pieces_informativeness,
)

# Rows each of BM25 and dense search offers the ranking model (knowledge.ranking).
CANDIDATES = 40
# Clauses that do not ask (「我们是一家奶茶店」「双十一我们想做满减」) still steer retrieval, this much.
CONTEXT_WEIGHT = 0.3
# A question word the index never uses (下雨) searches BM25 also by the index words nearest it in meaning
# (天气: ``knowledge.bridges``), at most this many, each counting this much times its similarity: the
# smallest weight of those measured (0.3, 0.6, 1.0) that brought the answers of the dev sets' look halves
# among the candidates; the ranking model then weighs them like any candidate (``soft_coverage``).
BRIDGE_WORDS = 3
BRIDGE_WEIGHT = 0.3
# The passages answering the labelled questions nearest a question join its candidates (a paraphrase no
# question word leads to: 「活动数据多久盯一次」 to 8.2.3 监控频率), when its answer phrases name at most this many
# passages: a phrase many passages hold names none of them.
PRECEDENT_ROWS = 3
EMBEDDING_CACHE = 512
ANSWER_CACHE = 8192  # answer phrases whose rows a generation remembers
ROW_CACHE = 16384  # rows whose text and last heading a generation remembers
# A word the guidebooks never use is a mis-cut when the word its edge makes with a neighbour is this much
# commoner in general Chinese (Zipf): 线上 (4.9) against 节线 (1.4), never 标注 against 商标 in 商标注册.
SEAM_MARGIN = 1.0
_HAN_WORD = re.compile(r"^[\u3400-\u9fff]+$")
PREFETCH_BATCH = 16  # searches asked of the vector store in one call by prefetch_dense (larger batches measured slower)

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


def _expanded(ask: str, context: str) -> tuple[str, str]:
    """A search's asking clauses and context with the words they stand for (打广告 → also 广告)."""
    return expand_query(ask), expand_query(context) if context else ""


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
        self._vectors: dict[str, np.ndarray] = {}
        self._prefetched: dict[tuple[str, str], list[int]] = {}  # see prefetch_dense
        self._facts: dict[int, tuple[str, str, bool]] = {}  # see _row_facts
        self._answer_rows: dict[tuple[str, ...], list[int]] = {}  # see answer_rows
        self._profiles: dict[int, tuple[Precedents, sparse.csc_matrix]] = {}  # see _asked_like

    def search(self, ask: str, k: int, context: str = "", terms: Sequence[Term] = (), alike: str | None = None,
               neighbours: Sequence[tuple[Precedent, float]] | None = None) -> list[Hit]:
        """The best ``k`` rows for the asking clause(s) ``ask`` (Simplified), steered a little by the
        ``context`` clauses, in the order the ranking model (``knowledge.ranking``) puts what BM25 and
        dense search found for the question's ``terms`` (``alike``: what labelled questions are compared with,
        ``knowledge.precedents.alike_text``; the clauses when not given; ``neighbours``: the labelled questions
        nearest ``alike``, when the caller has them already); a hit's score is how likely it holds the answer."""
        model = ranking_model()
        scored = [(candidate.row, model.score(measured))
                  for candidate, measured in self.candidates(ask, context, terms, alike, neighbours=neighbours)]
        scored.sort(key=lambda item: (-item[1], item[0]))
        return [Hit(row, model.probability(score)) for row, score in scored[:k]]

    def candidates(self, ask: str, context: str = "", terms: Sequence[Term] = (), alike: str | None = None,
                   precedents: Precedents | None = None,
                   neighbours: Sequence[tuple[Precedent, float]] | None = None) -> list[tuple[Candidate, dict[str, float]]]:
        """Every row BM25 or dense search finds among its best ``CANDIDATES`` for ``ask`` and ``context``, and
        every row answering one of the labelled questions nearest it (``answer_rows``), with the ranking
        model's measurements of it (``alike``: see ``search``; ``precedents``: the labelled questions, those in
        use when not given, ``knowledge.precedents.using`` — fit_ranking gives a training question the other groups';
        ``neighbours``: their nearest to ``alike``, when the caller has them already)."""
        if not self.chunks:
            return []
        n = min(CANDIDATES, len(self.chunks))
        labelled = precedents_in_use() if precedents is None else precedents
        alike = f"{ask} {context}" if alike is None else alike
        neighbours = labelled.nearest(alike) if neighbours is None else neighbours
        ask, context = _expanded(ask, context)
        by_bm25 = self._bm25_rows(ask, n, context, self._bridged(terms))
        vector = self._query_vector(ask, context)
        dense_rows = self._dense_rows(ask, n, context, vector)
        found: dict[int, Candidate] = {}
        for rank, (row, score) in enumerate(by_bm25, 1):
            found[row] = Candidate(row, rank, score, None, 0.0)
        for rank, row in enumerate(dense_rows, 1):
            found.setdefault(row, Candidate(row, None, 0.0, None, 0.0)).dense_rank = rank
        for row in self.answer_rows(neighbours):
            found.setdefault(row, Candidate(row, None, 0.0, None, 0.0))
        for candidate in found.values():
            stored = self.segments.vector(candidate.row)
            if stored.shape == vector.shape:
                candidate.dense = float(stored @ vector)
        best = by_bm25[0][1] if by_bm25 else 0.0
        pairs = han_pairs(ask)
        associated = load_table()
        asked = self._asked_like(labelled, alike)
        out = []
        for c in found.values():
            text, heading, opens = self._row_facts(c.row)
            answered = precedent(neighbours, "".join(text.split())) if neighbours else 0.0
            out.append((c, features(c, text, heading, terms, pairs, best, self.bridges.near, opens, associated,
                                    answered, float(asked[c.row]))))
        return out

    def _asked_like(self, labelled: Precedents, alike: str) -> np.ndarray:
        """``Precedents.asked_like`` of ``alike`` for every row, the rows' profiles worked out once per set of
        labelled questions (the shipped ones, or a fit's folds)."""
        kept = self._profiles.get(id(labelled))
        if kept is None or kept[0] is not labelled:
            if len(self._profiles) >= 8:
                self._profiles.clear()
            kept = self._profiles[id(labelled)] = (labelled, labelled.profiles(
                lambda answers: self.answer_rows([(Precedent("", answers, ""), 0.0)]), len(self.chunks)))
        return labelled.asked_like(kept[1], alike)

    def answer_rows(self, neighbours: Sequence[tuple[Precedent, float]]) -> list[int]:
        """The rows holding the answer of one of ``neighbours`` (labelled questions, ``Precedents.nearest``),
        of each whose answer phrases name at most ``PRECEDENT_ROWS`` rows; none on documents that do not
        write the bundled guidebooks' phrases."""
        out: list[int] = []
        for labelled, _ in neighbours:
            rows = self._answer_rows.get(labelled.answers)
            if rows is None:
                if len(self._answer_rows) >= ANSWER_CACHE:
                    self._answer_rows.clear()
                held = sorted({r for a in labelled.answers for r in self.segments.rows_holding(a, PRECEDENT_ROWS)})
                # A phrase that names too many rows returns none of them; together they must still name few.
                rows = self._answer_rows[labelled.answers] = held if len(held) <= PRECEDENT_ROWS else []
            out.extend(r for r in rows if r not in out)
        return out

    def _row_facts(self, row: int) -> tuple[str, str, bool]:
        """The lower-cased text of ``row``, the last heading of its section path (``knowledge.ranking.heading_of``)
        and whether it opens sub-sections that follow it (``knowledge.ranking.lead_in``), remembered for
        ``ROW_CACHE`` rows: every search measures its candidates, and reading a row decodes it."""
        facts = self._facts.get(row)
        if facts is None:
            if len(self._facts) >= ROW_CACHE:
                self._facts.clear()
            chunk = self.chunks[row]
            following = self.chunks[row + 1] if row + 1 < len(self.chunks) else None
            next_section = following.section if following is not None and following.doc == chunk.doc else None
            facts = self._facts[row] = (self.lower_texts[row], heading_of(chunk.section),
                                        lead_in(chunk.section, next_section))
        return facts

    def terms(self, analysis: Analysis, phrasing: frozenset[str] = frozenset()) -> list[Term]:
        """The topic and context words of an analysed question, weighted by how much each says
        (``phrasing``: words learned to be how questions are put, which say little)."""
        out: list[Term] = []
        seen: set[str] = set()
        words = self._reseamed(analysis.words)
        # A word the question asks about is a topic word even when the context mentions it too.
        for word in sorted(words, key=lambda w: w.role != "topic"):
            text = word.text
            if word.role not in ("topic", "context") or text in seen or (len(text) < 2 and not text.isascii()):
                continue
            in_corpus, in_general = self.known(text), known_in_general(text)
            if not in_corpus and not in_general and cantonese.is_phrasing(text):
                continue  # 「係點計」 cut as 系 / 点计: how a Hong Kong planner asks, no word the answer must hold
            seen.add(text)
            weight = self._weight(text, in_corpus) * (PHRASING_WEIGHT if text in phrasing else 1.0)
            out.append(Term(text, weight, word.role, in_corpus, in_general, self.lift(text)))
        return out

    def _weight(self, word: str, in_corpus: bool) -> float:
        """How much ``word`` says about the question (``knowledge.wordweights.informativeness``). A word the
        guidebooks never use, that general Chinese writes no more often than its pieces would stand together
        by chance (老问, 来算 of 「老板老问我」「来算一下」: ``chance_pieces``) and that no lexicon has as a word —
        neither the general word vectors, CC-CEDICT (团建), Hong Kong Cantonese nor the planner words (满减:
        ``core.text.segment.is_planner_word``) — says what its pieces say."""
        weight = informativeness(word)
        if in_corpus or word in self.bridges.vectors or cantonese.tag(word) or segment.is_planner_word(word):
            return weight
        pieces = chance_pieces(word)
        if not pieces or cedict.is_word(word):
            return weight
        return min(weight, pieces_informativeness(pieces))

    def lift(self, term: str) -> float:
        """How many times (log10) more of this index's chunks use ``term`` (or a word it stands for) than
        general Chinese would lead one to expect of chunks this long (``knowledge.wordweights.lift``)."""
        return lift(self._chunk_share(term), general_zipf(term), self.segments.avg_len)

    def _chunk_share(self, term: str) -> float:
        """Share of chunks using ``term`` or a word it stands for; a compound the index holds only as
        character pairs counts as often as its rarest pair."""
        if not self.chunks:
            return 0.0
        used = 0
        for alt in alternatives(term):
            count = self.chunks_using(alt)
            if not count and len(alt) > 2 and not alt.isascii() and self._pairs_known(alt):
                count = min(self.doc_freq_of("#" + alt[i:i + 2]) for i in range(len(alt) - 1))
            used = max(used, count)
        return used / len(self.chunks)

    def _reseamed(self, words: Sequence[Word]) -> list[Word]:
        """``words`` with each word the guidebooks never use that is the seam of two words cut wrongly
        (电商节 | 线上 cut as 电商 / 节线 / 上; 不太 | 行 as 不 / 太行) replaced by the guidebook word its edge
        makes with a neighbour: a rare word that is a mis-cut must not count as what the question asks about.
        An edge joins grammar only into a word general Chinese lists (不太), never into two characters
        whose frequency is a guess from their parts (试用期 | 多长时间 is no mis-cut of 期多); and only a
        character the segmenter left on its own is a neighbour's edge: a word it cut whole keeps its
        characters (万一 | 下雨 is no mis-cut of 一下)."""
        out: list[Word] = []
        for i, word in enumerate(words):
            text = word.text
            if word.role != "topic" or not 2 <= len(text) <= 3 or not _HAN_WORD.match(text) or self.known(text):
                out.append(word)
                continue
            before = words[i - 1] if i and words[i - 1].clause == word.clause else None
            after = words[i + 1] if i + 1 < len(words) and words[i + 1].clause == word.clause else None
            seam = next(((piece, neighbour) for piece, neighbour in (
                (before.text[-1:] + text[0] if before else "", before),
                (text[-1] + after.text[:1] if after else "", after),
            ) if neighbour is not None and len(neighbour.text) == 1 and len(piece) == 2 and _HAN_WORD.match(piece)
                and general_zipf(piece) >= general_zipf(text) + SEAM_MARGIN
                and (self.known(piece) or (neighbour.role == "form" and listed_zipf(piece) > 0))), None)
            if seam is None:
                out.append(word)
            elif self.known(seam[0]):  # 节线 | 上 → 线上, a word of the guidebooks
                out.append(replace(word, text=seam[0]))
            # else the word's edge belongs to grammar (不 | 太行 → 不太): it says nothing of the topic
        return out

    def features(self, terms: Sequence[Term], hits: Sequence[Hit], ask: str) -> dict[str, float]:
        """The relevance model's features for ``hits`` found for ``terms`` (see ``knowledge.relevance``)."""
        rows = [h.row for h in hits]
        vector = self._embed(expand_query(ask)) if rows else None
        dense = 0.0
        if vector is not None and np.any(vector):
            top = np.stack([self.segments.vector(r) for r in rows[:COVERAGE_PASSAGES]])
            dense = float(np.max(top @ vector)) if top.shape[1] == vector.shape[0] else 0.0
        # BM25 is judged on what the question is about (its topic words), not on every word of its
        # asking clauses: 「老板想跟隔壁品牌搞个联合促销,这个到底是啥意思」 asks about 联合促销, not 老板.
        about = " ".join(t.text for t in terms if t.role == "topic") or ask
        return features_for(terms, [self.lower_texts[r] for r in rows], [self.chunks[r].doc for r in rows],
                            self.bm25_share(expand_query(about)), dense, alternatives)

    def bm25_share(self, query: str) -> float:
        """The best BM25 score for ``query`` over the most its words could score together (0..1); a
        word the index does not know could have scored as much as its rarest word."""
        words = set(tokenize(query, "words"))
        known = [t for t in words if t in self.vocab]
        if not known or not self.segments.size:
            return 0.0
        rarest = self.rarest_ceiling
        ceiling = float(sum(self.segments.token_ceiling(t) for t in known)) + rarest * (len(words) - len(known))
        return float(np.max(self.segments.bm25_scores(known))) / ceiling if ceiling else 0.0

    def _embed(self, text: str) -> np.ndarray:
        """The embedding of ``text``, remembered for a while: retrieval and the relevance features both
        need the question's vector, and a remote embedder should be asked once."""
        vector = self._vectors.get(text)
        if vector is None:
            try:
                vector = query_vector(self.embedder, text)
            except ModelError as exc:  # an embedding endpoint that fails: search by words alone
                log.warning("searching by words only: %s", exc.message)
                return np.zeros(1, dtype=np.float32)
            if len(self._vectors) >= EMBEDDING_CACHE:
                self._vectors.clear()
            self._vectors[text] = vector
        return vector

    @cached_property
    def rarest_ceiling(self) -> float:
        """The highest score any one token gives any chunk."""
        return self.segments.max_token_score()

    @cached_property
    def bridges(self) -> Bridges:
        """The index words nearest in meaning to a question's words (general-language word vectors)."""
        # BM25 tokens are jieba words and "#"-marked character pairs; a pair the vectors know is a word (门店).
        return Bridges(w.lstrip("#") for w in self.segments.terms())

    @cached_property
    def typos(self) -> TypoFixer:
        """Slips put right against this generation's own words."""
        # Words, and the character pairs the guidebooks write (竞品 is a pair, jieba cuts 竞 / 品).
        words = {w.lstrip("#") for w in self.segments.terms()}
        return TypoFixer(words, self.segments.contains, self.chunks_using)

    @cached_property
    def senses(self) -> Senses:
        """Which Chinese word an English word means to this generation (the sense model against the words
        its guidebooks use)."""
        return Senses(self.doc_freq_of, rows=self.segments.rows_of)

    def doc_freq_of(self, term: str) -> int:
        """How many chunks hold the token ``term``."""
        return self.segments.doc_freq(term)

    def chunks_using(self, word: str) -> int:
        """How many chunks use ``word``: as a word of its own or, two characters, as a character pair."""
        return max(self.doc_freq_of(word), self.doc_freq_of("#" + word))

    def _bm25_rows(self, query: str, n: int, context: str = "",
                   bridged: Sequence[tuple[str, float]] = ()) -> list[tuple[int, float]]:
        extra = tokenize(context, DEFAULT_MODE) if context else []
        weighted = [(token, weight) for word, weight in bridged for token in tokenize(word, DEFAULT_MODE)]
        return self.segments.bm25_scored(tokenize(query, DEFAULT_MODE), n, extra, CONTEXT_WEIGHT, weighted)

    def _bridged(self, terms: Sequence[Term]) -> list[tuple[str, float]]:
        """The index words nearest the question's words the index never uses, each with the weight its
        BM25 tokens get (``BRIDGE_WEIGHT`` times its similarity, less for a context word)."""
        out: list[tuple[str, float]] = []
        for term in terms:
            if term.known_in_corpus:
                continue
            role = 1.0 if term.role == "topic" else CONTEXT_WEIGHT
            out.extend((word, BRIDGE_WEIGHT * role * similarity)
                       for word, similarity in self.bridges.near(term.text)[:BRIDGE_WORDS])
        return out

    def prefetch_dense(self, queries: Sequence[tuple[str, str]]) -> None:
        """Ask the vector store about many searches' (asking clauses, context) at once: a relevance fit
        runs thousands of searches, and one batched query costs a fraction of a call each. Their
        ``search`` takes the dense rows from here until ``forget_prefetched``."""
        if self.store is None or not self.chunks:
            return
        n = min(CANDIDATES, len(self.chunks))
        pairs = [_expanded(ask, context) for ask, context in queries]
        for start in range(0, len(pairs), PREFETCH_BATCH):
            batch = [(p, self._query_vector(*p)) for p in pairs[start:start + PREFETCH_BATCH]]
            batch = [(p, v) for p, v in batch if np.any(v)]
            if not batch:
                continue
            try:
                found = self.store.query_many(np.stack([v for _, v in batch]), n + 10)
            except Exception:  # noqa: BLE001 - searches ask the store one by one instead
                return
            for (pair, _), hits in zip(batch, found, strict=True):
                rows = [self.rows[i] for i, _ in hits if i in self.rows][:n]
                if len(rows) >= n:
                    self._prefetched[pair] = rows

    def forget_prefetched(self) -> None:
        self._prefetched.clear()

    def _query_vector(self, query: str, context: str) -> np.ndarray:
        vector = self._embed(query)
        if context:
            vector = vector + CONTEXT_WEIGHT * self._embed(context)
            norm = float(np.linalg.norm(vector))
            vector = vector / norm if norm else vector
        return vector

    def _dense_rows(self, query: str, n: int, context: str, vector: np.ndarray) -> list[int]:
        """The ``n`` rows nearest ``vector``, the query vector of ``query`` and ``context``."""
        prefetched = self._prefetched.get((query, context))
        if prefetched is not None and n == min(CANDIDATES, len(self.chunks)):
            return prefetched
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

    def known(self, term: str) -> bool:
        """True when the corpus has ``term`` or a word it stands for (4p → 产品策略) as a word, or every
        character pair of one of them."""
        return any(alt in self.vocab or self._pairs_known(alt) for alt in alternatives(term))

    def _pairs_known(self, term: str) -> bool:
        if term.isascii() or len(term) < 2:
            return False
        return all("#" + term[i:i + 2] in self.vocab for i in range(len(term) - 1))
