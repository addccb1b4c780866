"""Chapter numbering as plans write it: 三、 for the third chapter, and the numbering people put
in front of headings (一、 1. 1.1 (一) 第一章 第1部分 Part 2:), which matching strips."""

from __future__ import annotations

import re

from core.text.numerals import chinese_numeral

# Numbering people put in front of headings: 一、 / 1. / 1.1 / (一) / 第一章 / 第1部分 / Part 2: / 一 .
_CN_NUM = "一二三四五六七八九十百零〇两壹贰貳叁參肆伍陆陸柒捌玖拾"
_NUMBERING = re.compile(
    rf"^\s*(?:"
    rf"第\s*[{_CN_NUM}\d]+\s*(?:章|节|節|部分|篇|条|條|项|項|步|阶段|階段)\s*[:：、.．]?"
    rf"|[（(]\s*[{_CN_NUM}\d]+\s*[)）]\s*[、.．]?"
    rf"|[{_CN_NUM}]+\s*[、.．:：]"
    rf"|[{_CN_NUM}]{{1,3}}\s+(?=\S)"
    rf"|\d+(?:\s*[.．]\s*\d+)*\s*[、.．:：)）]?"
    rf"|(?:chapter|part|section)\s+[\dIVXivx]+\s*[:.]?"
    rf"|[IVX]+\s*[.、]"
    rf")\s*",
    re.IGNORECASE,
)


def numbered(index: int, title: str, *, chinese: bool = True) -> str:
    """The heading of chapter ``index`` (0-based): '三、目标客群与范围', or '3. Audience' when not ``chinese``."""
    if not chinese:
        return f"{index + 1}. {title}"
    return f"{chinese_numeral(index + 1)}、{title}"


def strip_numbering(heading: str) -> str:
    """The heading text without leading markdown hashes and chapter numbering (一、 1. 第一章 …)."""
    text = heading.strip().lstrip("#").strip()
    text = text.strip("*_ ").strip()
    previous = None
    while previous != text:
        previous = text
        text = _NUMBERING.sub("", text, count=1).strip()
    return text


__all__ = ["numbered", "strip_numbering"]
