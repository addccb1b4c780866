"""Guidebook passages as units: sentences, list items and headings, as the extractive answer sees them.

Scraped guidebooks glue section titles to their text (「3.1.1价格促销策略价格促销…」), number list
items in several styles at once ((1), 1), 1., 一、, a、, or not at all), and put short lines under a
heading. This module splits a passage into units, strips glued headings, and tells items, lead-ins
and headings apart, so answers can quote whole sentences and whole lists.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.chat.question import bigrams
from core.text.numerals import parse_ordinal
from core.text.scripts import to_simplified
from knowledge.passage import Passage

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n+")
_MARKERS = (
    r"[(（]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s*[)）]|(?<![(（\d])\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫]"
    r"|(?<![\d.])\d{1,2}[.．](?!\d)"
    # 「2、」 numbers an item only at the start of a sentence or clause: 「满100减10、满200减30」 is one phrase.
    r"|(?<![^\s。；;：:！？!?，,)）])\d{1,2}、"
    r"|(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,2}、|(?<![A-Za-z])[a-h]、"
)
_ITEM_START = re.compile(rf"(?=(?:{_MARKERS}))")
_ITEM_MARKER = re.compile(rf"^\s*(?:{_MARKERS}|[-•·*]\s)")
INTRODUCES_LIST = re.compile(r"[:：]\s*$|(?:如下|以下|包括|主要有|几种|几个方面|几点)[^。]{0,12}[:：]?\s*$")
_NUMBERING = re.compile(r"^\s*(?:第[一二三四五六七八九十百\d]+[章节篇部分]+|\d+(?:\.\d+){1,3})\s*")
# Words that show a heading-like start is really the subject of its sentence (「联合促销策略是…」).
_SUBJECT_FOLLOWERS = ("是", "的", "指", "即", "主要", "包括", "一般", "通常", "可以", "应")
ENDS_SENTENCE = ("。", "；", ";", "!", "！", "?", "？", "…")

_STYLES = (
    ("paren", re.compile(r"^\s*[(（]\s*\d")), ("cnparen", re.compile(r"^\s*[(（]\s*[一二三四五六七八九十]")),
    ("half", re.compile(r"^\s*\d{1,2}[)）]")),
    ("circled", re.compile(r"^\s*[①②③④⑤⑥⑦⑧⑨⑩⑪⑫]")), ("dun", re.compile(r"^\s*\d{1,2}、")),
    ("dot", re.compile(r"^\s*\d{1,2}[.．]")), ("cn", re.compile(r"^\s*[一二三四五六七八九十]")),
    ("letter", re.compile(r"^\s*[a-h]、")),
)

HEADING_CHARS = 16
MAX_ITEM_CHARS = 110


@dataclass
class Unit:
    """One sentence (or list item) of a passage."""

    text: str  # as shown: verbatim, without a section heading glued to its front
    passage: int  # index in the passage list
    position: int  # index within its passage
    is_item: bool
    style: str = ""  # how an item is numbered ("paren", "dot", …, "line" for a run of short lines)
    simplified: str = ""  # what is scored: the unit, plus what follows a lead-in or heading
    grams: set[str] = field(default_factory=set)
    score: float = 0.0
    section_heading: bool = False  # a heading line of the guidebook (「5.3价格促销策略」): context, never a quote
    heading: str = ""  # the heading scored with it (its section's title for a first unit), in Simplified
    # The title of the section it sits in, in Simplified, for every unit of the section: what all its sentences are
    # about (「酒店七夕特别菜品设计」 for each sentence under it, not only the first).
    section_title: str = ""
    heading_led: bool = False  # it answers by its heading more than by its own words: the heading's list is asked for
    features: dict[str, float] = field(default_factory=dict)  # what the quote ranker reads (``quote_ranker``)
    into_list: bool = False  # its quote runs on into the list a following lead-in announces (the ranker chose so)
    # What quoting it could say (alone, or on into the next list) and the ranker's reading of each.
    variants: list[tuple[str, dict[str, float]]] = field(default_factory=list)

    @property
    def introduces(self) -> bool:
        return bool(INTRODUCES_LIST.search(self.text))

    @property
    def is_short_line(self) -> bool:
        return len(self.text) <= HEADING_CHARS and not self.text.endswith(ENDS_SENTENCE)

    @property
    def is_heading(self) -> bool:
        return self.section_heading or (self.is_short_line and self.style != "line")


def split_units(text: str) -> list[str]:
    """The sentences and list items of ``text``, in order, each stripped."""
    units: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if not sentence or not sentence.strip():
            continue
        for piece in _ITEM_START.split(sentence):
            piece = piece.strip()
            if piece:
                units.append(piece)
    return units


def headings_of(section: str) -> list[tuple[list[str], str]]:
    """For each heading of a section path, top first: the ways it is written, and its bare title."""
    result: list[tuple[list[str], str]] = []
    for part in section.split(">"):
        part = part.strip()
        if part:
            result.append((sorted({part, part.replace(" ", "")}, key=len, reverse=True),
                           _NUMBERING.sub("", part).strip()))
    return result


def strip_headings(text: str, headings: Sequence[tuple[Sequence[str], str]]) -> str:
    """``text`` without the section numbers and titles glued to its front (「3.1.1价格促销策略价格…」).

    Headings are glued top first, so each is removed at most once and only after the ones above
    it. A bare title is only a heading right after a section number; otherwise a sentence that
    starts with those words (「市场细分主要采用…」) keeps its subject."""
    level = 0
    while True:
        after_number = False
        number = _NUMBERING.match(text)
        if number and len(text) - number.end() > 6:
            text, after_number = text[number.end():], True
        for offset, (variants, bare) in enumerate(headings[level:]):
            candidates = [*variants, bare] if after_number and len(bare) >= 2 else list(variants)
            heading = next((h for h in candidates if text.startswith(h) and len(text) - len(h) > 6
                            and not text[len(h):].startswith(_SUBJECT_FOLLOWERS)), None)
            if heading is not None:
                text = text[len(heading):].lstrip(" :：")
                level += offset + 1
                break
        else:
            return text


def passage_units(passages: Sequence[Passage], list_question: bool) -> list[list[Unit]]:
    """Each passage's units, with the text each is scored on (a lead-in or heading with what follows
    it, an item with its explanation, the first unit with the passage's own heading)."""
    per_passage: list[list[Unit]] = []
    for p_index, passage in enumerate(passages):
        headings = headings_of(passage.section)
        own_heading = _NUMBERING.sub("", passage.section.split(">")[-1]).strip() if passage.section else ""
        units = []
        titles = {bare for _, bare in headings if bare}
        for position, raw in enumerate(split_units(passage.text)):
            if is_section_heading(raw, titles):
                units.append(Unit(raw, p_index, position, False, section_heading=True))
                continue
            text = strip_headings(raw, headings).lstrip(":：,，、;；. ") or raw
            is_item = bool(_ITEM_MARKER.match(text))
            units.append(Unit(text, p_index, position, is_item, style_of(text) if is_item else ""))
        mark_section_items(units)
        mark_line_items(units)
        mark_label_items(units)
        title = to_simplified(own_heading).lower()
        for unit in units:
            if unit.section_heading:
                # Scored on nothing of its own: the heading is context for the sentences under it.
                unit.simplified, unit.grams = "", set()
                title = to_simplified(_NUMBERING.sub("", unit.text).strip()).lower()
                continue
            unit.section_title = title
            # A lead-in or a heading is only as good as what it leads to, an item is explained by
            # the sentences after it: score them together.
            follow: list[Unit] = []
            nxt = units[unit.position + 1:unit.position + 3]
            if unit.introduces:
                follow = nxt
            elif unit.is_heading and nxt:
                follow = nxt if list_question else ([nxt[0]] if not nxt[0].is_item else [])
            elif unit.is_item:
                follow = explanation(units, unit.position)
            above = units[unit.position - 1] if unit.position else None
            if above is not None and above.section_heading:
                prefix = _NUMBERING.sub("", above.text).strip()
            else:
                prefix = own_heading if unit.position == 0 else ""
            unit.heading = to_simplified(prefix).lower()
            unit.simplified = to_simplified(prefix + unit.text + "".join(f.text for f in follow)).lower()
            unit.grams = bigrams(unit.simplified)
        per_passage.append(units)
    return per_passage


def is_section_heading(line: str, titles: set[str]) -> bool:
    """True for a line that is only a guidebook heading: a numbered title (「5.3价格促销策略」
    「第七章 广告宣传与推广」) or one of the passage's own section titles, with no sentence after it."""
    line = line.strip()
    if not line or line.endswith(ENDS_SENTENCE) or len(line) > HEADING_CHARS + 8:
        return False
    number = _NUMBERING.match(line)
    bare = line[number.end():].strip() if number else line
    return bool(number and bare and len(bare) <= HEADING_CHARS) or bare in titles


def explanation(units: list[Unit], index: int) -> list[Unit]:
    """The sentences after item ``index`` that belong to it: up to the next item, or for an item
    that announces a list of its own (「1.场外布置:」), that nested list."""
    item = units[index]
    result: list[Unit] = []
    # A sub-section as an item is explained by all it holds, its own list included.
    within = item.style == "section"
    for unit in units[index + 1:index + (7 if item.introduces or within else 4)]:
        if unit.style == item.style or not within and (
                unit.is_heading or (unit.is_item and (not item.introduces or unit.style == item.style))):
            break
        result.append(unit)
    return result


def with_explanation(units: list[Unit], index: int) -> tuple[str, set[int]]:
    """Item ``index`` followed by its explanation, within the item length budget."""
    text, members = units[index].text, {index}
    for unit in explanation(units, index):
        if len(text) + len(unit.text) > MAX_ITEM_CHARS:
            break
        text += unit.text if text.endswith(ENDS_SENTENCE) or text.endswith((":", "：")) else " " + unit.text
        members.add(unit.position)
    return text, members


def style_of(text: str) -> str:
    """How an item is numbered: items of one list share a style; another style is another list."""
    return next((name for name, pattern in _STYLES if pattern.match(text)), "bullet")


def mark_section_items(units: list[Unit]) -> None:
    """Sub-section headings right after a lead-in (「促销策略类型主要包括以下几种:」 then 「3.1.1价格促销策略」
    「3.1.2赠品促销策略」…, each with its text) are the items of the list it announces."""
    for index, unit in enumerate(units[:-1]):
        if not (unit.introduces and not unit.section_heading and units[index + 1].section_heading):
            continue
        for later in units[index + 1:]:
            if later.section_heading:
                later.section_heading, later.is_item, later.style = False, True, "section"


def _mark_runs(units: list[Unit], belongs: Callable[[Unit], bool], style: str) -> None:
    """Runs of two or more units ``belongs`` accepts (and not already items or headings) become list items
    of ``style``."""
    run: list[Unit] = []
    for unit in [*units, None]:
        if unit is not None and not unit.is_item and not unit.section_heading and belongs(unit):
            run.append(unit)
            continue
        if len(run) >= 2:
            for member in run:
                member.is_item, member.style = True, style
        run = []


def mark_line_items(units: list[Unit]) -> None:
    """Runs of two or more short unnumbered lines (「收银人员2名」「现场导购8名」) are list items."""
    _mark_runs(units, lambda unit: unit.is_short_line and not unit.introduces, "line")


# 「客户导向原则:以客户需求为核心…」: a short label and a colon, then what it says.
_LABELLED = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{2,10}[:：](?=.{4,})")


def mark_label_items(units: list[Unit]) -> None:
    """Runs of two or more sentences that each open with a short label and a colon (「效率原则:…」
    「灵活性原则:…」), written without numbers, are list items."""
    _mark_runs(units, lambda unit: _LABELLED.match(unit.text) is not None, "label")


def item_run(units: list[Unit], index: int) -> tuple[int, int]:
    """The first and last index of the list holding item ``units[index]``: items numbered the same
    way, with the sentences explaining them; another numbering style, a heading or a lead-in ends it. Three
    sentences without an item end it too, unless the next item the sentences lead to is numbered on from the last
    (「一、明确调研目标…」, five sentences, then 「二、制定调研计划…」): a long explanation is still the list's."""
    style = units[index].style
    # Sub-sections as items hold whatever their sections hold, lists of their own included.
    within = style == "section"
    start = end = index
    gap = 0
    for j in range(index - 1, -1, -1):
        unit = units[j]
        if unit.is_item and unit.style == style:
            start, gap = j, 0
        elif unit.introduces and within or not within and (unit.is_item or unit.is_heading or unit.introduces) \
                or gap >= 3 and not _numbered_on(units, j, -1, units[start]):
            break
        else:
            gap += 0 if within else 1
    gap = 0
    for j in range(index + 1, len(units)):
        unit = units[j]
        if unit.is_item and unit.style == style:
            end, gap = j, 0
        elif not within and (unit.is_item or unit.is_heading or unit.introduces) \
                or gap >= 3 and not _numbered_on(units, j, 1, units[end]):
            break
        else:
            gap += 0 if within else 1
    return start, end


# How far past three sentences a list's next item is looked for (an item's explanation is seldom longer).
MAX_EXPLANATION_UNITS = 10
_NUMBER = re.compile(r"^\s*[(（]?\s*(\d{1,2}|[一二三四五六七八九十]{1,3}|[a-h](?=、)|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫])")


def item_number(text: str) -> int | None:
    """The number an item is written with (「(3)」 「3、」 「三、」 「c、」 「③」 → 3), or None when it has none."""
    match = _NUMBER.match(text)
    if match is None:
        return None
    mark = match.group(1)
    if mark in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫":
        return "①②③④⑤⑥⑦⑧⑨⑩⑪⑫".index(mark) + 1
    if len(mark) == 1 and "a" <= mark <= "h":
        return ord(mark) - ord("a") + 1
    return parse_ordinal(mark)


def _numbered_on(units: list[Unit], j: int, step: int, item: Unit) -> bool:
    """True when, going from ``units[j]`` by ``step`` over sentences only, the first item of ``item``'s style is
    numbered right after it (``step`` 1) or right before it (``step`` -1), within ``MAX_EXPLANATION_UNITS``."""
    number = item_number(item.text)
    if number is None:
        return False
    for k in range(j, j + step * MAX_EXPLANATION_UNITS, step):
        if not 0 <= k < len(units):
            return False
        unit = units[k]
        if unit.is_item and unit.style == item.style:
            return item_number(unit.text) == number + step
        if unit.is_item or unit.is_heading or unit.introduces:
            return False
    return False
