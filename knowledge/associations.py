"""Which guidebook words answer a planner's word: associations learned from questions and their answers.

Planners write 牌子 where the guidebooks write 品牌, 弱点 for 劣势 or 薄弱环节, 区隔 for 细分, 通路 for 渠道.
General-language word vectors (``knowledge.bridges``) know many such words are near, but near is not the
same as "the answer writes it": 弱点's nearest words include 优势 and 缺点, and 区隔 has no vector at all.

``learn`` reads labelled questions (the words of each, the passage that answers it, and the passages search
ranked above it that do not) and counts, for each question word the answer does not write, which of its
plausible guidebook words (``Plausible``: words CC-CEDICT glosses alike, 区隔 and 细分 both "segmentation";
the general-language vectors' nearest; words sharing a character) the answer writes more often than the
passages competing with it. What the data never shows bridging is never counted, so the table holds no
hand-written pair and grows only with labelled questions.

``association`` is the ranking feature built on the table (``knowledge.ranking``): the weighted share of a
question's words that a passage does not write but writes a learned guidebook word for, each counting the
strength of the strongest such word it writes.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core.errors import StoreError
from knowledge.relevance import Term

MODEL_PATH = Path(__file__).with_name("associations_model.json")
# A word asked once and bridged once counts 1 / (1 + SMOOTHING): one question is weaker evidence than many
# (measured on the look halves, cross-fitted: 0.5, 1 and 3 give the same recall@5; 1 the best MRR@10).
SMOOTHING = 1.0
# How many passages search ranks highest without the answer each question compares its answer with.
COMPETITORS = 15
# Plausible guidebook words by the general-language vectors: at most this many, at least this near (below
# 0.4 the neighbours are topical company; a wider net, 40 at 0.3, measured worse).
NEAREST = 20
MIN_SIMILARITY = 0.4
ROUND = 4
_HAN_WORD = re.compile(r"^[\u3400-\u9fff]{2,}$")


@dataclass(frozen=True)
class Example:
    """One labelled question: its words (``Term``s), its own text, the texts that answer it and those of the
    passages search ranked highest that do not (best first)."""

    terms: Sequence[Term]
    question: str
    answers: Sequence[str]
    competitors: Sequence[str]


@dataclass
class Counts:
    """What labelled questions showed: per question word, how much more often answers than competitors
    wrote each plausible guidebook word (``evidence``), and how many questions asked the word without their
    answer writing it (``asked``). Counts add and subtract, so a fit can leave a part of its questions out."""

    evidence: defaultdict[str, defaultdict[str, float]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    asked: Counter[str] = field(default_factory=Counter)

    def __sub__(self, other: Counts) -> Counts:
        out = Counts()
        for word, counted in self.evidence.items():
            theirs: Mapping[str, float] = other.evidence.get(word, {})
            out.evidence[word].update({w: v - theirs.get(w, 0.0) for w, v in counted.items()})
        out.asked = Counter(self.asked)
        out.asked.subtract(other.asked)
        return out

    def table(self) -> dict[str, dict[str, float]]:
        """Question word → its guidebook words with their strength (0..1), the ones with evidence for only."""
        out: dict[str, dict[str, float]] = {}
        for word, counted in sorted(self.evidence.items()):
            strengths = {w: s for w, v in sorted(counted.items())
                         if (s := round(v / (self.asked[word] + SMOOTHING), ROUND)) > 0}
            if strengths:
                out[word] = strengths
        return out


class Plausible:
    """The guidebook words a question word might be written as (cached per word): those CC-CEDICT glosses
    with one of its glosses, the general-language vectors' nearest, and those sharing a character with it."""

    def __init__(self, index_words: Iterable[str], near: Callable[[str], Sequence[tuple[str, float]]],
                 glossed_alike: Callable[[str], Iterable[str]]):
        self.words = frozenset(w for w in index_words if _HAN_WORD.match(w))
        self._near = near
        self._glossed_alike = glossed_alike
        self._by_char: dict[str, set[str]] = defaultdict(set)
        for w in self.words:
            for char in w:
                self._by_char[char].add(w)
        self._cache: dict[str, frozenset[str]] = {}

    def __call__(self, word: str) -> frozenset[str]:
        found = self._cache.get(word)
        if found is None:
            out: set[str] = {w for w in self._glossed_alike(word) if w in self.words}
            out.update(w for w, similarity in self._near(word) if similarity >= MIN_SIMILARITY and w in self.words)
            if _HAN_WORD.match(word):
                for char in set(word):
                    out.update(self._by_char.get(char, ()))
            out.discard(word)
            found = self._cache[word] = frozenset(out)
        return found


def count(examples: Iterable[Example], plausible: Callable[[str], frozenset[str]]) -> Counts:
    """The evidence of ``examples``: for each question word an answer does not write, each plausible guidebook
    word the question does not write either counts 1 when the answer writes it, less the share of the
    competing passages that write it (a word every passage writes tells nothing)."""
    counts = Counts()
    for example in examples:
        if not example.answers:
            continue
        answers = "\n".join(example.answers)
        competitors = example.competitors[:COMPETITORS]
        for term in example.terms:
            if term.text in answers:
                continue
            counts.asked[term.text] += 1
            for word in plausible(term.text):
                if word in example.question:
                    continue
                share = sum(word in text for text in competitors) / len(competitors) if competitors else 0.0
                counts.evidence[term.text][word] += (word in answers) - share
    return counts


def association(terms: Sequence[Term], text: str, table: Mapping[str, Mapping[str, float]]) -> float:
    """Weighted share of ``terms`` that ``text`` (lower-cased Simplified) does not write but writes a learned
    guidebook word for, each counting the strength of the strongest one it writes."""
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    bridged = 0.0
    for term in terms:
        words = table.get(term.text)
        if not words or term.text in text:
            continue
        bridged += term.weight * max((s for w, s in words.items() if w in text), default=0.0)
    return bridged / total


def save(table: Mapping[str, Mapping[str, float]], trained_on: str, path: Path = MODEL_PATH) -> None:
    """Write the learned table (``load_table`` reads it)."""
    path.write_text(json.dumps({"trained_on": trained_on, "table": table}, ensure_ascii=False, indent=0,
                               sort_keys=True) + "\n", encoding="utf-8")


@lru_cache(maxsize=1)
def load_table() -> dict[str, dict[str, float]]:
    """The shipped table: question word → guidebook words and their strength."""
    try:
        data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
        return {str(k): {str(w): float(s) for w, s in v.items()} for k, v in data["table"].items()}
    except (OSError, ValueError, KeyError, AttributeError) as exc:
        raise StoreError(f"{MODEL_PATH} is missing or damaged ({exc}); reinstall Cehua or run "
                         "tests/bench/fit_ranking.py") from exc


__all__ = ["MODEL_PATH", "Counts", "Example", "Plausible", "association", "count", "load_table", "save"]
