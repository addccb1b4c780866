"""What to suggest when the guidebooks do not answer a question: related sections, or what they cover."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.chat.question import question_terms
from core.text.scripts import to_simplified
from knowledge.passage import Passage
from knowledge.wordweights import informativeness

MAX_RELATED = 3
MAX_TOPICS = 8
_NUMBERING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百\d]+[章节篇部分]|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]"
    r"|\d+(?:\.\d+)*[.、．]?)\s*"
)
# A word general Chinese uses more than about once in 30,000 words (安排, 设置, 方法, 问题: Zipf above 4.5)
# is too general to make a section related: 「婚礼流程怎么安排」 has nothing to do with 「分工安排」.
SPECIFIC_INFORMATIVENESS = 2.5


def bare_title(heading: str) -> str:
    """A heading without its numbering (「第七章 广告宣传与推广」 → 「广告宣传与推广」)."""
    return _NUMBERING.sub("", heading).strip()


def related_sections(question: str, passages: Sequence[Passage]) -> list[str]:
    """Titles of the retrieved sections whose own heading names a specific word of the question
    (「绩效考核指标体系构建」 for 「员工绩效面谈怎么做?」); empty when none is really related."""
    terms = [t for t in question_terms(question) if len(t) >= 2 and informativeness(t) >= SPECIFIC_INFORMATIVENESS]
    found: list[str] = []
    for passage in passages:
        heading = bare_title(passage.section.split(">")[-1]) if passage.section else ""
        if heading and heading not in found and any(t in to_simplified(heading).lower() for t in terms):
            found.append(heading)
    return found[:MAX_RELATED]


def covered_topics(sections: Sequence[tuple[str, str]]) -> list[str]:
    """The guidebooks' top-level chapters in general terms: chapter titles taken in turn from each
    document (so every guidebook is represented), without numbering or repeats."""
    by_doc: dict[str, list[str]] = {}
    for doc_title, path in sections:
        title = bare_title(path.split(">")[0])
        chapters = by_doc.setdefault(doc_title, [])
        if len(title) > 2 and title not in chapters and not re.search(r"篇\s*\d+$|[_＿]{2}", title):
            chapters.append(title)
    topics: list[str] = []
    depth = max((len(c) for c in by_doc.values()), default=0)
    for i in range(depth):
        for chapters in by_doc.values():
            if i < len(chapters) and chapters[i] not in topics:
                topics.append(chapters[i])
    return topics[:MAX_TOPICS]
