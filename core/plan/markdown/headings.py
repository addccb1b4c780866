"""Which lines of a plan are its title and its chapter headings: Markdown headings (ATX '#' and setext
'===' / '---'), 一、/第一章 lines, and weaker signs (1、, (一), bold lines) when several of them name
template chapters."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.plan.markdown.blocks import Blocks
from core.plan.model import ChapterMatcher
from core.text.numbering import strip_numbering

_CN = "一二三四五六七八九十壹贰貳叁參肆伍陆陸柒捌玖拾"  # 壹、貳、 number chapters in Taiwanese plans
# Top-level numbering without '#': 一、背景 / 第一章 背景 / 第1部分 背景.
_TOP_NUMBERED = re.compile(
    rf"^\s*(?:\*\*)?\s*(?:[{_CN}]{{1,3}}\s*[、.．]|第\s*[{_CN}\d]{{1,3}}\s*(?:章|部分|篇|节|節)\s*[:：、.．]?)\s*(?P<text>\S.*?)\s*(?:\*\*)?\s*$"
)
# 「5.」 numbers a line, 「5.28-6.20」 and 「1.1」 do not: a digit after the point makes a date, a decimal or a sub-number.
_ARABIC_NUMBERED = re.compile(r"^\s*(?:\*\*)?\s*(?:\d{1,2}\s*[、.．](?!\d)|(?=活[动動][一二三四五六七八九十]{1,2}\s*[:：、]))\s*(?P<text>\S.*?)\s*(?:\*\*)?\s*$")
_BRACKET_NUMBERED = re.compile(rf"^\s*(?:\*\*)?\s*[（(]\s*[{_CN}]{{1,3}}\s*[)）]\s*[、.．]?\s*(?P<text>\S.*?)\s*(?:\*\*)?\s*$")
_BOLD_LINE = re.compile(r"^\s*\*\*(?P<text>[^*]{2,30}?)\*\*\s*[:：]?\s*$")
_SENTENCE_END = re.compile(r"[。；;，,！!？?]$")


# A bare line heading a block in plain text (「推廣背景」 alone after a blank line): short, no sentence or list marks.
_BARE_LINE = re.compile(r"^(?P<text>[^\s|>#*+•\-\d][^|]{1,29}?)\s*[:：]?\s*$")
_BARE_MAX_HAN = 12
BARE = 11
MIN_BARE_CHAPTERS = 3  # weaker than any mark: more of them must name chapters


@dataclass
class Heading:
    index: int  # 0-based line index
    level: int  # 1..6 for '#', 7 for 一、/第一章 lines, 8 for 1、, 9 for (一), 10 for bold lines, 11 bare lines
    text: str
    end: int  # 0-based line index after the heading (past a setext underline)
    inline: str = ""  # text after a colon on the same line (一、活动主题:月满团圆)


def find_headings(blocks: Blocks) -> list[Heading]:
    """Every heading-like line, outside code fences and tables, with its level (1-6 Markdown, 7 一、,
    8 1、, 9 (一), 10 bold), in line order."""
    out = [Heading(h.index, h.level, h.text, h.end) for h in blocks.headings]
    for i, line in enumerate(blocks.lines):
        if i in blocks.fenced or i in blocks.heading_lines or "|" in line:
            continue
        for level, regex in ((7, _TOP_NUMBERED), (8, _ARABIC_NUMBERED), (9, _BRACKET_NUMBERED), (10, _BOLD_LINE)):
            nm = regex.match(line)
            if not nm:
                continue
            text = line.strip().strip("*").strip()
            inline = ""
            colon = re.search(r"[:：]", nm.group("text"))
            if colon:
                head = nm.group("text")[: colon.start()].strip()
                inline = nm.group("text")[colon.end() :].strip()
                text = text[: len(text) - len(nm.group("text"))] + head if text.endswith(nm.group("text")) else head
                if not head or len(head) > 20:
                    break
            elif len(nm.group("text")) > 30 or _SENTENCE_END.search(nm.group("text")):
                break
            out.append(Heading(i, level, text, i + 1, inline))
            break
        else:
            if _bare(blocks, i):
                out.append(Heading(i, BARE, line.strip().rstrip(":：").strip(), i + 1))
    return sorted(out, key=lambda h: h.index)


# A line a block of text may end with: a full sentence, or a list item. Word keeps each paragraph apart without the
# blank line Markdown needs, so a bare heading paragraph follows the last paragraph's full stop directly.
_BLOCK_END = re.compile(r"(?:[。！!？?；;]|\.)\s*$|^\s*(?:[-*+•]|\d{1,2}[.、)）])\s")


def _ends_block(blocks: Blocks, i: int) -> bool:
    """Whether a bare line may head a block right after line ``i``: a blank line, a heading, a sentence's end or a
    list item (a Word plan's paragraphs: 「端午前賣出 3 萬盒。」 then 「目標客群」)."""
    line = blocks.lines[i]
    return not line.strip() or i in blocks.heading_lines or bool(_BLOCK_END.search(line))


def _table_at(lines: list[str], i: int) -> bool:
    """Whether line ``i`` starts a table (a Word table comes after a blank line: 「預算」, blank, its rows)."""
    return i < len(lines) and lines[i].lstrip().startswith("|")


def _bare(blocks: Blocks, i: int) -> bool:
    """Whether line ``i`` is a bare line heading a block: after a blank line, a sentence or a list item (or first),
    before text, short, and
    neither a sentence nor a list item, table row or quote."""
    lines = blocks.lines
    line = lines[i].strip()
    if (not line or (i > 0 and not _ends_block(blocks, i - 1))
            or i + 1 >= len(lines) or not (lines[i + 1].strip() or _table_at(lines, i + 2))
            or i in blocks.bullet_items):
        return False
    m = _BARE_LINE.match(line)
    if m is None or _SENTENCE_END.search(line) or re.search(r"[，,。；;！!？?、]", line):
        return False
    return len(re.findall(r"[\u4e00-\u9fff]", line)) <= _BARE_MAX_HAN and len(line.split()) <= 5


def chapter_headings(heads: list[Heading], template: ChapterMatcher | None) -> tuple[Heading | None, list[Heading]]:
    """(title heading or None, chapter headings) chosen from every heading-like line; without a
    ``template`` no heading names a chapter, so only the headings' structure counts."""
    def names_chapter(text: str) -> bool:
        return template is not None and template.match(text) is not None

    md = [h for h in heads if h.level <= 6]
    title: Heading | None = None
    first_text = min((h.index for h in heads if h.level < BARE), default=-1)
    bare = [h for h in heads if h.level == BARE and names_chapter(h.text)]
    heads = [h for h in heads if h.level < BARE]
    if md:
        first = md[0]
        rest = md[1:]
        alone = rest and all(h.level > first.level for h in rest)
        numbered_rest = rest and all(strip_numbering(h.text) != h.text for h in rest)
        later = [h for h in heads if h.level > 6 and h.index > first.index]
        if not rest:
            # One '#' line: the title of a plan whose chapters are numbered lines (or bare lines naming chapters:
            # 「推廣背景」「目標客群」 each alone after a blank line), unless it names a chapter.
            if later or not names_chapter(first.text) or len([h for h in bare if h.index > first.index]) >= MIN_BARE_CHAPTERS:
                title, md = first, []
        elif alone or (first.level == 1 and strip_numbering(first.text) == first.text and numbered_rest
                       and not names_chapter(first.text)):
            title, md = first, rest
    if md:
        top = min(h.level for h in md)
        return title, [h for h in md if h.level == top]
    numbered = [h for h in heads if h.level == 7 and (title is None or h.index > title.index)]
    if numbered:
        return title, numbered
    # Weaker signs of a heading count only when several of them name template chapters.
    for level in (8, 9, 10):
        found = [h for h in heads if h.level == level and (title is None or h.index > title.index)]
        if sum(1 for h in found if names_chapter(h.text)) >= 2:
            if title is None and not names_chapter(found[0].text) and found[0].index == first_text:
                return found[0], found[1:]  # 「**中秋方案**」 on the first line is the title
            return title, found
    # Bare lines count only those naming chapters (a short line of text is no heading), and only several of them.
    found = [h for h in bare if title is None or h.index > title.index]
    if len(found) >= MIN_BARE_CHAPTERS:
        return title, found
    return title, []


__all__ = ["Heading", "chapter_headings", "find_headings"]
