"""Which of a dictionary's Chinese words an English word means here: a fitted choice, not the dictionary's order.

CC-CEDICT (``cedict``) gives many Chinese words for one English word: "save" is 拯救, 挽救, 节省, 保存 …,
"credit" 信贷, 信用, 荣誉. Which one a planner means shows in three things:

- what the guidebooks write (a word they use, and how many of their chunks use it: 节省, 信用);
- the dictionary itself (whether it is the word's main sense, how common it is in general Chinese);
- the question's other words: a sense close in meaning to them (general-language word vectors,
  ``wordvectors``) is the one meant — "layout" beside "channel" is 布局, "save" beside "discount" is 节省.

The first two are weighed by a conditional logit fitted on the hand glossary (``glossary.tsv``: for each of
its English phrases the dictionary also glosses, which of the dictionary's words the glossary chose;
``tests/bench/fit_senses.py``): its top word is the glossary's for 0.82 of 392 phrases, cross-validated,
where the dictionary's order (main senses only, the guidebooks' words first) gave 0.54. How much the question's
other words count was chosen on the look half of the English dev questions, by which sense the expected
passage writes; it decides only between near-equal candidates (its weight barely moved the answers measured).
When the guidebooks use none of the words, the one they use that is nearest in meaning to a candidate stands
for it, if it is near enough (出纳 → 财务 at 0.70 is not; 洗发精 → 洗发水 is).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.errors import DocumentError
from knowledge import cedict
from knowledge.wordvectors import WordVectors, word_vectors
from knowledge.wordweights import listed_zipf

MODEL_PATH = Path(__file__).with_name("senses_model.json")
FEATURES = ("main", "zipf", "known", "uses", "position", "share")
# Neighbours of a word the guidebooks never use that are searched for one they do use.
NEAREST_SEARCHED = 40


@dataclass(frozen=True)
class SenseModel:
    """The fitted weights of the sense features, how much the question's other words count, and how near in
    meaning a guidebook word must be to stand for a candidate the guidebooks never use."""

    weights: dict[str, float]
    context: float
    stand_in: float

    def score(self, features: dict[str, float]) -> float:
        return sum(self.weights[name] * features[name] for name in FEATURES)


def features(word: str, main: bool, uses: Callable[[str], int], english: Sequence[str] = ()) -> dict[str, float]:
    """What the model weighs of one candidate for an English word (``english``: its base forms): main sense,
    general Zipf, whether the guidebooks use it as a word, the log of how many of their chunks do, and how
    much the candidate means that English word among its own glosses (``cedict.glossed``: the log of where
    it stands, and the log of its share of their English use)."""
    used = uses(word)
    at, share = cedict.glossed(word, english)
    return {"main": float(main), "zipf": listed_zipf(word), "known": float(used > 0), "uses": math.log1p(used),
            "position": math.log1p(at), "share": share}


@lru_cache(maxsize=1)
def default_model() -> SenseModel:
    try:
        data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
        return SenseModel({name: float(data["weights"][name]) for name in FEATURES}, float(data["context"]),
                          float(data["stand_in"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(f"{MODEL_PATH}: cannot read the sense model ({exc}); run tests/bench/fit_senses.py "
                            "or reinstall Cehua") from exc


class Senses:
    """Ranks a dictionary's Chinese words for an English word by the fitted model, the question's other words
    and the guidebooks' words (``uses``: in how many of their chunks a word stands as a word of its own; a
    character pair inside another word is no use of it: 速成 in 迅速成为)."""

    def __init__(self, uses: Callable[[str], int], model: SenseModel | None = None,
                 vectors: WordVectors | None = None, rows: Callable[[str], frozenset[int]] | None = None):
        self.uses = uses
        self.model = model or default_model()
        self._vectors = vectors
        self._rows = rows

    def together(self, word: str, context: Sequence[str]) -> int:
        """How many of the ``context`` words share a guidebook chunk with ``word`` (0 without the chunks each
        word stands in): the words of a question that the guidebooks write together are what it is about."""
        if self._rows is None:
            return 0
        own = self._rows(word)
        return sum(1 for other in dict.fromkeys(context) if other != word and own & self._rows(other)) if own else 0

    def known(self, word: str) -> bool:
        return self.uses(word) > 0

    @property
    def vectors(self) -> WordVectors:
        # Not kept on self: ``_neighbours`` scans the shared vectors through a per-word cache only while
        # ``_vectors`` is unset (a scan of all 55k words per candidate made the relevance fit minutes long).
        return self._vectors if self._vectors is not None else word_vectors()

    def rank(self, candidates: Sequence[tuple[str, bool]], context: Sequence[str] = (),
             english: Sequence[str] = ()) -> tuple[str, ...]:
        """``candidates`` (word, main sense) for the English word ``english`` (its base forms) best first: by
        the model, plus how near in meaning each is to the ``context`` words (the question's other words, in
        Chinese). When the guidebooks use none of them, the guidebook word nearest in meaning to one stands
        first, if near enough."""
        if not candidates:
            return ()
        scores = [self.model.score(features(w, main, self.uses, english)) for w, main in candidates]
        if context and self.model.context:
            known_context, matrix = self.vectors.rows(c for c in context if c not in dict(candidates))
            if known_context:
                for i, (word, _) in enumerate(candidates):
                    vector = self.vectors.vector(word)
                    if vector is not None:
                        scores[i] += self.model.context * float(np.mean(matrix @ vector))
        order = sorted(range(len(candidates)), key=lambda i: -scores[i])
        ranked = tuple(candidates[i][0] for i in order)
        if not any(self.known(w) for w in ranked):
            stand_in = self.stand_in(ranked)
            if stand_in is not None:
                return (stand_in, *ranked)
        return ranked

    def _neighbours(self, word: str) -> list[tuple[str, float]]:
        if self._vectors is None:
            return _general_neighbours(word)
        return self._vectors.nearest(word, NEAREST_SEARCHED)

    def stand_in(self, words: Sequence[str]) -> str | None:
        """The guidebook word nearest in meaning to one of ``words`` (the likeliest first), at least
        ``stand_in`` similar; None when none is."""
        best: tuple[float, str] | None = None
        for word in words:
            for near, similarity in self._neighbours(word):
                if similarity < self.model.stand_in:
                    break
                if self.known(near) and len(near) >= 2 and (best is None or similarity > best[0]):
                    best = (similarity, near)
                    break
        return best[1] if best else None


@lru_cache(maxsize=4096)
def _general_neighbours(word: str) -> list[tuple[str, float]]:
    """The words nearest in meaning to ``word`` in the general-language vectors (a scan of all of them, so
    each word's are kept)."""
    return word_vectors().nearest(word, NEAREST_SEARCHED)


__all__ = ["FEATURES", "MODEL_PATH", "SenseModel", "Senses", "default_model", "features"]
