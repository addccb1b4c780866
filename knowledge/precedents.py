"""Which passages answered questions asked like this one: labelled questions as precedents.

Planners ask about the same things in words the guidebooks do not write (「活动数据多久盯一次」 for 8.2.3
监控频率, 「做活动除了卖货还能有啥好处」 for the meaning of a campaign). Word bridges (``knowledge.bridges``,
``knowledge.associations``) mend one word at a time; a question put like an earlier, labelled one is mended
whole: the passage that answered the earlier question likely answers this one.

A precedent is a labelled question (its asking and context clauses as ``core.text.question`` reads them, in
the index's words) and the phrases its answer holds. ``Precedents.nearest`` finds the labelled questions
most alike a question by the cosine of their character unigrams and bigrams (``knowledge.embed.char_ngrams``),
weighted by inverse document frequency over the labelled questions, so 「多久」「一次」 count and 「活动」
hardly does; ``precedent`` is the ranking feature (``knowledge.ranking``): the similarity of the nearest
precedent whose answer a passage holds (0 when none does). The ranking model learns how far to trust it
(``tests/bench/fit_ranking.py`` measures each training question against the precedents of the other
question groups, as a question never seen would be). Precedents answer in the bundled guidebooks' phrases,
so on other documents the feature is 0 and the ranking is what the other features make it.

The precedents live in ``precedents_model.json`` beside this module, written by ``fit_ranking.py`` from the
questions the ranking model is fitted on.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from core.errors import StoreError
from core.text.scripts import compact_simplified, detect_script
from knowledge.embed import char_ngrams

MODEL_PATH = Path(__file__).with_name("precedents_model.json")
# How many labelled questions (of distinct groups) a question is compared with, and how alike one must be
# to count at all: below it, what two questions share is how questions are put (怎么 / 哪些 / 活动).
NEIGHBOURS = 5
MIN_SIMILARITY = 0.3


def alike_text(asking: str, background: str) -> str:
    """What a question is compared with precedents on: its asking and context clauses in the index's words
    (``asking``, ``background``; an English question's reading in the guidebooks' terms). A labelled Chinese
    question keeps how it asks (多久, 哪些), which the English reading lacks, so an English question meets
    the labelled questions asked about the same thing; among English precedents (``labelled_text``) it
    would meet every other question on its topic alike."""
    return f"{asking} {background}"


def labelled_text(question: str, asking: str, background: str) -> str:
    """What a labelled ``question`` is stored as a precedent with (``Precedent.text``): ``alike_text``, and
    nothing for an English question, whose reading keeps what it is about and loses what it asks
    (「What emergencies should a contingency plan cover?」 and 「Do we really need a contingency plan?」 both
    read 应急 活动 应急预案: one would be the other's nearest precedent, whatever each asks)."""
    return "" if detect_script(question) == "en" else alike_text(asking, background)


def normalized(text: str) -> str:
    """``text`` as answers are matched: Simplified, lower-cased, without whitespace."""
    return compact_simplified(text).lower()


@dataclass(frozen=True)
class Precedent:
    """A labelled question: its clauses in the index's words (``text``), the phrases its answer holds
    (``answers``, ``normalized``) and its group (rephrasings of one question share one)."""

    text: str
    answers: tuple[str, ...]
    group: str


class Precedents:
    """Labelled questions, searchable by how alike a question is put."""

    def __init__(self, items: Iterable[Precedent]):
        self.items: list[Precedent] = list(items)
        grams = [char_ngrams(p.text) for p in self.items]
        vocab: dict[str, int] = {}
        for gs in grams:
            for gram in set(gs):
                vocab.setdefault(gram, len(vocab))
        df = np.zeros(len(vocab))
        for gs in grams:
            for gram in set(gs):
                df[vocab[gram]] += 1
        self._vocab = vocab
        self._idf = np.log((1 + len(self.items)) / (1 + df)) + 1.0
        rows, cols, values = [], [], []
        for i, gs in enumerate(grams):
            for col, value in self._weights(gs).items():
                rows.append(i)
                cols.append(col)
                values.append(value)
        # Column-major: a question reads only the columns of its own n-grams.
        self._matrix = sparse.csc_matrix((values, (rows, cols)), shape=(len(self.items), len(vocab)))
        self._groups = [p.group for p in self.items]

    def _weights(self, grams: Sequence[str]) -> dict[int, float]:
        """The unit-length weights (sublinear count times idf) of ``grams``, by vocabulary column."""
        counts: dict[int, int] = {}
        for gram in grams:
            col = self._vocab.get(gram)
            if col is not None:
                counts[col] = counts.get(col, 0) + 1
        weights = {col: (1.0 + math.log(n)) * self._idf[col] for col, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {col: w / norm for col, w in weights.items()} if norm else {}

    def nearest(self, text: str, n: int = NEIGHBOURS) -> list[tuple[Precedent, float]]:
        """The ``n`` labelled questions most alike ``text`` (the question's clauses in the index's words), one
        per group, with their similarity (at least ``MIN_SIMILARITY``), best first."""
        if not self.items:
            return []
        weights = self._weights(char_ngrams(text))
        if not weights:
            return []
        cols = np.fromiter(weights, dtype=np.int64)
        vector = np.fromiter(weights.values(), dtype=np.float64)
        similarity = np.asarray(self._matrix[:, cols] @ vector).ravel()
        candidates = np.flatnonzero(similarity >= MIN_SIMILARITY)
        out: list[tuple[Precedent, float]] = []
        seen: set[str] = set()
        for i in candidates[np.argsort(-similarity[candidates], kind="stable")]:
            group = self._groups[i]
            if group in seen:
                continue
            seen.add(group)
            out.append((self.items[i], float(similarity[i])))
            if len(out) >= n:
                break
        return out

    def profiles(self, rows_of: Callable[[tuple[str, ...]], Sequence[int]], size: int) -> sparse.csc_matrix:
        """For each of ``size`` passages, how the labelled questions it answers are put: the sum of their
        weights (``rows_of``: the passages holding a labelled question's answer phrases), scaled to unit
        length; a passage answering none has none."""
        rows, cols = [], []
        for i, labelled in enumerate(self.items):
            for row in rows_of(labelled.answers):
                rows.append(row)
                cols.append(i)
        answered = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, len(self.items)))
        summed = sparse.csr_matrix(answered @ self._matrix)
        norms = np.sqrt(np.asarray(summed.multiply(summed).sum(axis=1)).ravel())
        scale = sparse.diags(np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0))
        return sparse.csc_matrix(scale @ summed)

    def asked_like(self, profiles: sparse.csc_matrix, text: str) -> np.ndarray:
        """How alike ``text`` (a question's clauses in the index's words) is put to the labelled questions each
        passage answers, together (the cosine with its row of ``profiles``): a passage many questions like it
        were answered by, though none alike enough alone to be a ``nearest`` one."""
        weights = self._weights(char_ngrams(text)) if text.strip() else {}
        if not weights:
            return np.zeros(profiles.shape[0])
        cols = np.fromiter(weights, dtype=np.int64)
        vector = np.fromiter(weights.values(), dtype=np.float64)
        return np.asarray(profiles[:, cols] @ vector).ravel()


def precedent(neighbours: Sequence[tuple[Precedent, float]], text: str) -> float:
    """The similarity of the nearest of ``neighbours`` whose answer ``text`` (``normalized``) holds, 0 when
    it holds none of theirs."""
    return max((similarity for p, similarity in neighbours if any(a in text for a in p.answers)), default=0.0)


def save(items: Iterable[Precedent], trained_on: str, path: Path = MODEL_PATH) -> None:
    """Write the precedents (``load_precedents`` reads them), each distinct question once."""
    seen: set[tuple[str, tuple[str, ...]]] = set()
    rows = []
    for p in items:
        if (p.text, p.answers) not in seen:
            seen.add((p.text, p.answers))
            rows.append([p.text, list(p.answers), p.group])
    path.write_text(json.dumps({"trained_on": trained_on, "questions": rows}, ensure_ascii=False, indent=0) + "\n",
                    encoding="utf-8")


@lru_cache(maxsize=1)
def load_precedents() -> Precedents:
    """The shipped precedents."""
    try:
        data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
        return Precedents(Precedent(str(text), tuple(str(a) for a in answers), str(group))
                          for text, answers, group in data["questions"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreError(f"{MODEL_PATH} is missing or damaged ({exc}); reinstall Cehua or run "
                         "tests/bench/fit_ranking.py") from exc


# The precedents a fit measures its training questions against (``using``); searches otherwise read the shipped ones.
_IN_USE: ContextVar[Precedents | None] = ContextVar("precedents_in_use", default=None)


def precedents_in_use() -> Precedents:
    """The precedents searches compare questions with: the shipped ones, or the ones a fit put in use."""
    return _IN_USE.get() or load_precedents()


@contextmanager
def using(chosen: Precedents) -> Iterator[None]:
    """Searches within this block compare questions with ``chosen`` (a fit measuring a training question
    against the precedents of the other question groups only, as a question never seen would be)."""
    token = _IN_USE.set(chosen)
    try:
        yield
    finally:
        _IN_USE.reset(token)


__all__ = ["MODEL_PATH", "Precedent", "Precedents", "alike_text", "labelled_text", "load_precedents", "normalized",
           "precedent", "precedents_in_use", "save", "using"]
