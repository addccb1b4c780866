"""Guidance sentences: short, clean quotes from retrieved passages that a section can cite."""

from __future__ import annotations

import re

from core.adlaw import has_claim
from core.text.scripts import to_simplified
from knowledge.passage import Passage

_PINYIN = re.compile(r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü\s]{1,12}[)）]")
_SENTENCE_END = re.compile(r"(?<=[。!?;！？；])")
_LEADING_ENUM = re.compile(r"^\s*(?:[(（]?\d{1,2}[)）.、]|[-•·]|\d+(?:\.\d+)+)\s*")
# Section numbers glued to text by scraping ("7.1.4广告预算合理分配…") are cut at the last number.
_GLUED_NUMBER = re.compile(r"^.*?\d+(?:\.\d+)+(?=[\u4e00-\u9fff])")
_BOILERPLATE = ("版权", "下载", "温馨提示", "阅读", "本文档", "本站", "小编", "举报", "页", "目录", "TOC")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CN_ENUM = re.compile(r"[一二三四五六七八九十]+、|第[一二三四五六七八九十]+[章节]")


def _drop_glued_title(sentence: str, titles: list[str]) -> str:
    """The sentence without a heading scraped onto its front: 「渠道风险防范关注渠道风险…」 or
    「活动促销策略活动促销策略是指…」 (a title repeated, or the passage's own section title)."""
    for size in range(min(12, len(sentence) // 2), 2, -1):
        if sentence[:size] == sentence[size:2 * size]:
            return sentence[size:]
    for title in titles:
        if len(title) >= 3 and sentence.startswith(title) and len(sentence) > len(title) + 8:
            return sentence[len(title):]
    return sentence


def clean_text(text: str) -> str:
    """Passage text without pinyin annotations such as '(chuàng)' or stray whitespace."""
    text = _PINYIN.sub("", text)
    return re.sub(r"\s+", "", text)


def _bigrams(text: str) -> set[str]:
    han = "".join(_HAN.findall(text))
    return {han[i:i + 2] for i in range(len(han) - 1)}


def _acceptable(sentence: str, min_chars: int, max_chars: int) -> bool:
    if not (min_chars <= len(sentence) <= max_chars):
        return False
    if any(word in sentence for word in _BOILERPLATE):
        return False
    # Numbers in a quote (dates, amounts, durations) could contradict the plan's own facts.
    if re.search(r"\d", sentence) or re.search(r"[零一二三四五六七八九十百千万]+(?:天|日|元|%|个月|周)", sentence):
        return False
    if has_claim(sentence) or "__" in sentence or "xx" in sentence.lower():
        return False
    return len(_HAN.findall(sentence)) >= len(sentence) * 0.7


def sentences(passage: Passage, *, min_chars: int = 14, max_chars: int = 70) -> list[str]:
    """Clean, self-contained sentences from ``passage`` in Simplified script that are safe to quote."""
    text = to_simplified(clean_text(passage.text))
    titles = [re.sub(r"^[\d.\s]+", "", t).strip() for t in to_simplified(passage.section).split(">")]
    out: list[str] = []
    for raw in _SENTENCE_END.split(text):
        sentence = _GLUED_NUMBER.sub("", raw).strip()
        sentence = _LEADING_ENUM.sub("", sentence).strip(":：,，、 ")
        sentence = _drop_glued_title(sentence, titles)
        if _CN_ENUM.search(sentence):
            continue
        if sentence.endswith((";", "；")):
            sentence = sentence[:-1] + "。"
        if _acceptable(sentence, min_chars, max_chars) and sentence not in out:
            out.append(sentence)
    return out


# A sentence shares at least this many character bigrams with the section's query before it is quoted:
# no quote is better than filler.
MIN_OVERLAP = 2


def pick_quotes(numbered: list[tuple[int, Passage]], query: str, *, limit: int = 2,
                min_overlap: int = MIN_OVERLAP) -> list[tuple[str, int]]:
    """Up to ``limit`` sentences that best match ``query`` (each sharing at least ``min_overlap``
    bigrams with it), each with the citation number of its passage, at most one per passage, best
    passage first."""
    terms = _bigrams(to_simplified(query))
    picked: list[tuple[float, int, str, int]] = []
    for rank, (number, passage) in enumerate(numbered):
        best: tuple[float, str] | None = None
        for sentence in sentences(passage):
            overlap = len(terms & _bigrams(sentence))
            if overlap < min_overlap:
                continue
            score = overlap - 0.01 * abs(len(sentence) - 40)
            if best is None or score > best[0]:
                best = (score, sentence)
        if best is not None and best[0] > 0:
            picked.append((best[0], rank, best[1], number))
    picked.sort(key=lambda item: (-item[0], item[1]))
    return [(sentence, number) for _, _, sentence, number in picked[:limit]]
