"""Which words of a passage a question's words point to, learned from labelled questions.

Planners ask 「客服回复要多久」 where the guidebook writes 「1小时内响应客户咨询」, and 「会员的点数」 where it
writes 积分: the question's words are not the passage's, so neither word search nor the character-n-gram
embedding connects them. What does connect them is how questions were answered before: across the
labelled questions (``relevance_train.jsonl``: each with the passage holding its answer), a question
word that keeps coming with passage words it does not share — 多久 with a duration, 应对 with 措施 — is
associated with them (a translation model in the manner of Berger and Lafferty, estimated by counting,
not by EM).

A question's words are the words of its asking clause, question words included (多久, 多少, 哪些: they
say what kind of answer is wanted). A passage's words are its jieba words, and marks for the kinds of
answer it holds (``answer_marks``: a duration, a head count, an amount, a share, a list), so that
「多久」 can learn to point to any duration and not to one passage's 「1小时」.

The association of question word q with passage word w is how much more often w is in the passage that
answers a question holding q than in the answers of all questions, counted once per question (its
rephrasings share one count) and shrunk towards nothing for words few questions use. Only words linked
in at least ``MIN_QUESTIONS`` different questions, and the ``PER_WORD`` strongest links of each word, are
kept. The ranking model (``knowledge.ranking``) reads ``Associations.score`` as one of its measurements;
``tests/bench/fit_ranking.py`` fits both (the ranking on associations fitted without each question's
group, so it learns how far they hold for questions they were not learned from).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel

from core.errors import StoreError
from core.text.question import QUESTION_WORDS, Analysis
from knowledge.tokens import words as jieba_words

MODEL_PATH = Path(__file__).with_name("associations.json")
# A link must be seen in this many questions (rephrasing groups), and say at least MIN_STRENGTH more
# than the passage word's share of all answers; each question word keeps its PER_WORD strongest.
MIN_QUESTIONS = 2
MIN_STRENGTH = 0.15
PER_WORD = 8
# Pseudo-counts of questions without the link added to each word's count: a word seen in two questions
# links at most 2 / (2 + SHRINK).
SHRINK = 2.0
# An expected phrase found in more passages than this names no single answer: the question teaches nothing.
MAX_ANSWERS = 3

# The kinds of answer a passage holds, each a mark its word set carries (a word no text writes): a unit
# written right after a number (1小时, 两周, 2名, 3000元, 5万元), a share, or a list (three items set off by
# 、, or enumerated (1) (2)). Found by plain string search: every search measures its new candidates.
_COUNTED = {
    "〈时长〉": ("小时", "分钟", "天", "日内", "周", "星期", "个月", "年内"),
    "〈人数〉": ("名", "人", "位"),
    "〈金额〉": ("元",),
}
_NUMERALS = frozenset("0123456789一二两三四五六七八九十百半几")
_BETWEEN = frozenset("个万千 ")  # between a number and its unit: 两个月, 5万元
_SHARES = ("%", "％", "百分之")
_ENUMERATED = ("(2)", "（2）", "2)", "2）")
_CONTENT = re.compile(r"[\u3400-\u9fff]|[a-z]{2,}")


def _counted(text: str, units: tuple[str, ...]) -> bool:
    """True when one of ``units`` follows a number in ``text``."""
    for unit in units:
        at = text.find(unit)
        while at > 0:
            before = at - 1
            while before > 0 and text[before] in _BETWEEN:
                before -= 1
            if text[before] in _NUMERALS:
                return True
            at = text.find(unit, at + 1)
    return False


def answer_marks(text: str) -> frozenset[str]:
    """The kinds of answer lower-cased Simplified ``text`` holds (durations, head counts, amounts, shares,
    lists), as marks."""
    marks = {mark for mark, units in _COUNTED.items() if _counted(text, units)}
    if any(share in text for share in _SHARES):
        marks.add("〈比例〉")
    if text.count("、") >= 2 or any(item in text for item in _ENUMERATED):
        marks.add("〈列表〉")
    return frozenset(marks)


def passage_words(text: str) -> frozenset[str]:
    """What a passage offers a question: its content words (two characters or more) and its answer marks."""
    return frozenset(w for w in jieba_words(text) if len(w) >= 2 and _CONTENT.search(w)) | answer_marks(text)


def question_words(analysis: Analysis) -> list[str]:
    """The words of a question's asking clause(s) that associations are learned for: its topic words of
    two characters or more and its question words, each once, in order."""
    out: list[str] = []
    for word in analysis.words:
        text = word.text
        if text in out:
            continue
        if (word.role == "topic" and len(text) >= 2 and _CONTENT.search(text)) or (
                word.role == "form" and text in QUESTION_WORDS):
            out.append(text)
    return out


@dataclass(frozen=True)
class Example:
    """One labelled question: its group (rephrasings share one), its words and its answer's words."""

    group: str
    words: Sequence[str]
    answer: frozenset[str]


class Associations(BaseModel):
    """Learned links from question words to passage words, strongest first, with their strength (0..1)."""

    links: dict[str, list[tuple[str, float]]]
    trained_on: str = ""

    def linked(self, words: Iterable[str]) -> list[list[tuple[str, float]]]:
        """The links of each of ``words`` that has any (words a question shares with a passage are word
        search's business; these are the ones it does not share)."""
        return [found for w in words if (found := self.links.get(w))]

    @staticmethod
    def score(linked: Sequence[Sequence[tuple[str, float]]], text: str, marks: frozenset[str]) -> float:
        """How strongly a passage (lower-cased ``text`` and its ``answer_marks``) holds what the question's
        ``linked`` words point to: the mean over those words of their strongest link it holds."""
        if not linked:
            return 0.0
        total = 0.0
        for links in linked:
            total += next((s for w, s in links if (w in marks if w[0] == "〈" else w in text)), 0.0)
        return total / len(linked)


def fit_associations(examples: Sequence[Example], trained_on: str = "") -> Associations:
    """Links counted over ``examples``: each group counts once, split evenly between its rephrasings."""
    sizes: dict[str, int] = defaultdict(int)
    for example in examples:
        sizes[example.group] += 1
    word_count: dict[str, float] = defaultdict(float)
    pair_count: dict[tuple[str, str], float] = defaultdict(float)
    pair_groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    answer_count: dict[str, float] = defaultdict(float)
    total = 0.0
    for example in examples:
        weight = 1.0 / sizes[example.group]
        total += weight
        for w in example.answer:
            answer_count[w] += weight
        for q in set(example.words):
            word_count[q] += weight
            for w in example.answer:
                if w == q or w in q or q in w:
                    continue
                pair_count[q, w] += weight
                pair_groups[q, w].add(example.group)
    links: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for (q, w), count in pair_count.items():
        if len(pair_groups[q, w]) < MIN_QUESTIONS:
            continue
        strength = count / (word_count[q] + SHRINK) - answer_count[w] / total
        if strength >= MIN_STRENGTH:
            links[q].append((w, round(strength, 4)))
    return Associations(links={q: sorted(found, key=lambda x: (-x[1], x[0]))[:PER_WORD]
                               for q, found in sorted(links.items())}, trained_on=trained_on)


@lru_cache(maxsize=1)
def association_model() -> Associations:
    """The shipped associations."""
    try:
        return Associations.model_validate_json(MODEL_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"{MODEL_PATH} is missing or damaged ({exc}); reinstall Cehua or run "
                         "tests/bench/fit_ranking.py") from exc


__all__ = ["MODEL_PATH", "Associations", "Example", "answer_marks", "association_model", "fit_associations",
           "passage_words", "question_words"]
