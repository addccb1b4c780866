"""Which of the passages word search and dense search found answers the question: a learned ordering.

BM25 (``knowledge.segments``) and the dense embedding each give their best ``CANDIDATES`` rows. Every row
either found is described by a few measurements of how it relates to the question:

- ``bm25_rank``, ``dense_rank``: 1/rank in each list (0 when that search did not find it);
- ``bm25``: its BM25 score over the best one's; ``dense``: its cosine similarity to the question;
- ``coverage``: informativeness-weighted share of the question's topic words its text holds (a word
  counts when it holds the word or a guidebook word for it, ``knowledge.synonyms``);
- ``heading_coverage``: the same for its own heading (the last part of its section path);
- ``context_coverage``: the same for the words of the clauses that do not ask (「我们是一家奶茶店」);
- ``question_coverage``: the same for the words of every clause together (「按竞争对手来定价,一般有哪几种选择?」
  asks in words that say little, about what the clause before it names);
- ``heading_grams``: share of its heading's character pairs the asking clause writes (「价格策略调整」 for
  「定价策略要怎么调整」: a heading that paraphrases the question);
- ``asking_grams``: share of the asking clause's character pairs its heading writes;
- ``proximity``: share of neighbouring topic words it writes close together;
- ``soft_coverage``: ``coverage`` where a topic word it does not write counts by the similarity of the
  nearest word it does write, by general-language word vectors (下雨 in a passage about 天气:
  ``knowledge.bridges``);
- ``lead_in``: 1 when it is the opening of a section whose sub-sections follow it (「2.3 制定执行计划与时间表
  …需制定详细的执行计划与时间表:」 before 「2.3.1 执行计划」): its heading names what its children hold,
  its text only announces them (``lead_in``, read from the guidebook's section paths);
- ``association``: weighted share of the question's words it does not write but writes a guidebook word
  for that labelled questions showed answers write for it (牌子 → 品牌, 区隔 → 细分: ``knowledge.associations``);
- ``precedent``: the similarity of the nearest labelled question put like this one whose answer it holds
  (「活动数据多久盯一次」 asked like 「活动期间多久检查一次进度」, answered by 8.2.3 监控频率:
  ``knowledge.precedents``);
- ``asked_like``: how alike the question is put to all the labelled questions it answers, together (a
  passage asked about in these words many times, though by no one question alike enough to be a nearest one).

A linear score over them orders the candidates. Its weights are learned (``fit_ranking``) from labelled
questions — for each, pairs of a candidate holding the expected answer and one that does not, and a
logistic regression on their differences (a pairwise ranking model) — then a one-feature logistic
regression turns the score into the probability that a passage holds the answer (what ``Hit.score``
shows). The weights live in ``ranking_model.json`` beside this module; ``tests/bench/fit_ranking.py``
fits them on the relevance model's training questions (``relevance_train.jsonl``), never on the sets
they are reported on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from core.errors import StoreError
from knowledge.associations import association
from knowledge.bridges import soft_coverage
from knowledge.relevance import Term, coverage, places, proximity
from knowledge.synonyms import alternatives

MODEL_PATH = Path(__file__).with_name("ranking_model.json")
FEATURES = ("bm25_rank", "dense_rank", "coverage", "heading_coverage", "context_coverage", "heading_grams",
            "asking_grams", "dense", "bm25", "proximity", "question_coverage", "soft_coverage", "lead_in",
            "association", "precedent", "asked_like")
# Inverse regularisation of the pairwise fit, and how many candidates without the answer each question
# pairs with each of (at most three of) its candidates with it: the best-fused ones, which are the ones
# an answer has to beat.
PAIRWISE_C = 0.3
NEGATIVES = 15
POSITIVES = 3
# Section numbering before a heading's words (第三章, 3.1.2, 一、, (二)): not what the section is about.
_NUMBERING = re.compile(r"^(?:第[一二三四五六七八九十\d]+[章节篇]\s*|[\d.]+\s*|[一二三四五六七八九十]+、\s*|\d+、\s*"
                        r"|[(（][一二三四五六七八九十\d]+[)）]\s*)+")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")


@dataclass
class Candidate:
    """A row either search found: where each list put it, its BM25 score and its cosine similarity."""

    row: int
    bm25_rank: int | None
    bm25: float
    dense_rank: int | None
    dense: float


def heading_of(section: str) -> str:
    """The words of a section path's last heading, lower-cased, without its numbering."""
    return _NUMBERING.sub("", section.split(" > ")[-1] if section else "").lower()


def han_pairs(text: str) -> set[str]:
    """The character pairs of the Han runs of ``text``."""
    return {run[i:i + 2] for run in _HAN_RUN.findall(text) for i in range(len(run) - 1)}


def lead_in(section: str, next_section: str | None) -> bool:
    """True when a chunk of ``section`` opens a section whose sub-sections follow it: the next chunk of its
    document (``next_section``: its section path, None when there is none) lies under it."""
    return bool(section) and next_section is not None and next_section.startswith(section + " > ")


def features(candidate: Candidate, text: str, heading: str, terms: Sequence[Term], asking_pairs: set[str],
             best_bm25: float, near: Callable[[str], Sequence[tuple[str, float]]] = lambda word: (),
             opens_children: bool = False, associated: Mapping[str, Mapping[str, float]] | None = None,
             precedented: float = 0.0, asked: float = 0.0) -> dict[str, float]:
    """The measurements of one candidate row (``text``: its lower-cased Simplified text; ``heading``: its
    section's last heading, ``heading_of``; ``opens_children``: whether it is the lead-in of sub-sections that
    follow, ``lead_in``) for a question's ``terms`` and the character pairs of its (expanded) asking clause
    (``near``: the index words nearest a question word, ``knowledge.bridges``; ``associated``: the learned
    question word → guidebook words table, ``knowledge.associations``; ``precedented``: its ``precedent``, the
    similarity of the nearest labelled question whose answer it holds, ``knowledge.precedents``; ``asked``: its
    ``asked_like``, ``Precedents.asked_like``)."""
    topic = [t for t in terms if t.role == "topic"] or list(terms)
    context = [t for t in terms if t.role == "context"]
    heading_pairs = han_pairs(heading)
    shared = len(heading_pairs & asking_pairs)
    where = places(topic, text, alternatives)  # one scan of the passage per topic word serves three features
    found = [bool(offsets) for offsets in where]
    covered = coverage(topic, [text], alternatives, found)
    context_covered = coverage(context, [text], alternatives) if context else 0.0
    topic_weight = sum(t.weight for t in topic)
    context_weight = sum(t.weight for t in context)
    return {
        "bm25_rank": 1.0 / candidate.bm25_rank if candidate.bm25_rank else 0.0,
        "dense_rank": 1.0 / candidate.dense_rank if candidate.dense_rank else 0.0,
        "coverage": covered,
        "heading_coverage": coverage(topic, [heading], alternatives),
        "context_coverage": context_covered,
        "question_coverage": (covered * topic_weight + context_covered * context_weight) / (topic_weight + context_weight)
        if topic_weight + context_weight else 0.0,
        "heading_grams": shared / len(heading_pairs) if heading_pairs else 0.0,
        "asking_grams": shared / len(asking_pairs) if asking_pairs else 0.0,
        "dense": candidate.dense,
        "bm25": candidate.bm25 / best_bm25 if best_bm25 > 0 else 0.0,
        "proximity": proximity(topic, text, alternatives, where),
        "soft_coverage": soft_coverage(topic, text, alternatives, near, found),
        "lead_in": 1.0 if opens_children else 0.0,
        "association": association(terms, text, associated) if associated else 0.0,
        "precedent": precedented,
        "asked_like": asked,
    }


class RankingModel(BaseModel):
    """Weights of the linear ranking score over ``FEATURES``, and its scaling into a probability."""

    features: list[str]
    weights: list[float]
    slope: float
    intercept: float
    trained_on: str = ""

    def score(self, measured: dict[str, float]) -> float:
        """The ranking score of one candidate (higher ranks first)."""
        return sum(w * measured.get(name, 0.0) for name, w in zip(self.features, self.weights, strict=True))

    def probability(self, score: float) -> float:
        """How likely a candidate with ranking ``score`` holds the answer."""
        z = self.slope * score + self.intercept
        return 1.0 / (1.0 + math.exp(-z)) if z > -50 else 0.0


def fit_ranking(questions: Sequence[Sequence[tuple[dict[str, float], bool]]], trained_on: str = "") -> RankingModel:
    """A model fitted on each question's candidates (their measurements, and whether each holds the
    answer): a logistic regression on the differences of answer / non-answer pairs, then the score's
    scaling into a probability on all candidates. Questions with no answer among their candidates, or
    nothing else, teach nothing about ordering and are skipped by the pairwise step."""
    from sklearn.linear_model import LogisticRegression

    diffs: list[list[float]] = []
    for candidates in questions:
        good = [m for m, holds in candidates if holds]
        bad = [m for m, holds in candidates if not holds]
        bad.sort(key=lambda m: -(m.get("bm25_rank", 0.0) + m.get("dense_rank", 0.0)))
        for g in good[:POSITIVES]:
            for b in bad[:NEGATIVES]:
                diffs.append([g.get(n, 0.0) - b.get(n, 0.0) for n in FEATURES])
    if not diffs:
        raise ValueError("ranking training needs questions with the answer among their candidates")
    x = np.array(diffs)
    both = np.vstack([x, -x])
    y = np.r_[np.ones(len(x)), np.zeros(len(x))]
    scale = both.std(axis=0)
    scale[scale == 0] = 1.0
    pairwise = LogisticRegression(C=PAIRWISE_C, fit_intercept=False, max_iter=3000).fit(both / scale, y)
    weights = (pairwise.coef_[0] / scale).tolist()
    model = RankingModel(features=list(FEATURES), weights=[round(w, 5) for w in weights], slope=1.0, intercept=0.0,
                         trained_on=trained_on)
    scores = np.array([[model.score(m)] for candidates in questions for m, _ in candidates])
    labels = np.array([int(holds) for candidates in questions for _, holds in candidates])
    calibration = LogisticRegression(max_iter=1000).fit(scores, labels)
    return model.model_copy(update={"slope": round(float(calibration.coef_[0][0]), 5),
                                    "intercept": round(float(calibration.intercept_[0]), 5)})


@lru_cache(maxsize=1)
def ranking_model() -> RankingModel:
    """The shipped ranking model."""
    try:
        return RankingModel.model_validate_json(MODEL_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"{MODEL_PATH} is missing or damaged ({exc}); reinstall Cehua or run "
                         "tests/bench/fit_ranking.py") from exc


__all__ = ["FEATURES", "MODEL_PATH", "Candidate", "RankingModel", "features", "fit_ranking", "han_pairs",
           "heading_of", "lead_in", "ranking_model"]
