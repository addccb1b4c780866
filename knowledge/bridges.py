"""The guidebook words nearest in meaning to a question's words, by general-language word vectors.

Planners write 下雨 where a guidebook writes 天气变化, 门市 where it writes 店铺, 牌子 for 品牌: no word is
shared, so BM25, the LSA vectors and every coverage feature miss the passage. The general-language
vectors (``knowledge.wordvectors``) know these words are near. ``Bridges`` holds the vectors of the words
an index uses (its BM25 word tokens that the vectors know: a few thousand for the guidebooks, at most the
vectors' 55k whatever the corpus) and gives, for a question word, the index words nearest to it.

``soft_coverage`` is the ranking feature built on it: like ``coverage``, the weighted share of the
question's topic words a passage holds, but a word the passage does not write counts by the similarity of
the nearest word it does write (下雨 in a passage about 天气 counts about 0.7). The vectors do not tell
antonyms apart (涨价 ~ 降价 0.74), so a word written exactly always counts more (1.0) than any near one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from knowledge.relevance import Term
from knowledge.wordvectors import WordVectors, word_vectors

# How many index words a question word bridges to at most, and how near (cosine) they must be: below
# about 0.5 the vectors' neighbours are topical company (下雨 → 夏天), not the same thing.
NEAREST = 8
MIN_SIMILARITY = 0.5
CACHE = 4096  # question words whose nearest index words a Bridges remembers
_HAN_WORD = re.compile(r"^[\u3400-\u9fff]{2,}$")


class Bridges:
    """Nearest index words of question words (read-only after construction; the cache is per process)."""

    def __init__(self, index_words: Iterable[str], vectors: WordVectors | None = None):
        self.vectors = vectors if vectors is not None else word_vectors()
        self.index_vectors = WordVectors(*self.vectors.rows(w for w in index_words if _HAN_WORD.match(w)))
        self._near: dict[str, tuple[tuple[str, float], ...]] = {}

    @property
    def words(self) -> list[str]:
        """The index words the vectors know."""
        return self.index_vectors.words

    def nearest(self, word: str, k: int) -> list[tuple[str, float]]:
        """The ``k`` index words (other than ``word``) nearest ``word`` with their cosine, nearest first, at any
        similarity; none for a word the vectors do not know. Not remembered: ``near`` is the cached use."""
        vector = self.vectors.vector(word)
        return [] if vector is None else self.index_vectors.nearest_to(vector, k, exclude=word)

    def near(self, word: str) -> tuple[tuple[str, float], ...]:
        """Up to ``NEAREST`` index words (other than ``word``) at least ``MIN_SIMILARITY`` near ``word``,
        nearest first; none for a word the vectors do not know."""
        found = self._near.get(word)
        if found is None:
            found = tuple((near, round(similarity, 4)) for near, similarity in self.nearest(word, NEAREST)
                          if similarity >= MIN_SIMILARITY)
            if len(self._near) >= CACHE:
                self._near.clear()
            self._near[word] = found
        return found


def soft_coverage(terms: Sequence[Term], text: str, alternatives: Callable[[str], tuple[str, ...]],
                  near: Callable[[str], Sequence[tuple[str, float]]], found: Sequence[bool] | None = None) -> float:
    """Weighted share of ``terms`` that ``text`` holds (a word or a guidebook word for it: 1), or else
    the similarity of the nearest word to it that ``text`` writes (``near``: nearest first; ``found``:
    whether ``text`` writes each term or a guidebook word for it, when already known)."""
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    covered = 0.0
    for i, term in enumerate(terms):
        if found[i] if found is not None else any(alt in text for alt in alternatives(term.text)):
            covered += term.weight
            continue
        similarity = next((s for word, s in near(term.text) if word in text), 0.0)
        covered += similarity * term.weight
    return covered / total


__all__ = ["Bridges", "soft_coverage"]
