"""Recovering the heading hierarchy of a cleaned guidebook, even where the text has no line breaks."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_NUM = "一二三四五六七八九十百零〇"
# Numbering styles, most specific first; each match is (style, numbering text).
_NUMBERING = re.compile(
    rf"(?P<chapter>第[\d{_CN_NUM}]+[章篇部编](?:[:：])?)"
    rf"|(?P<section>第[\d{_CN_NUM}]+节(?:[:：])?)"
    rf"|(?P<pian>篇[\d{_CN_NUM}]+)"
    rf"|(?P<dotted>\d{{1,2}}(?:\.\d{{1,2}}){{1,3}})(?![\d.])"
    rf"|(?P<cn_dun>[{_CN_NUM}]+、)"
    rf"|(?P<cn_paren>[（(][{_CN_NUM}]+[）)])"
    rf"|(?P<num_dun>\d{{1,2}}、)"
)
_TITLE_PREFIX = re.compile(
    rf"^(?:第[\d{_CN_NUM}]+[章篇部编节]|[{_CN_NUM}]+、|[（(][{_CN_NUM}]+[）)]|\d+(?:\.\d+)*)[:：\s]*"
)
_BOUNDARY = set("\n。！？；;:：!?）)")
_SENTENCE_END = re.compile(r"[。；;，,！？!?、：:]$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_PIAN_SUFFIX = re.compile(rf"篇[\d{_CN_NUM}]+$")


@dataclass
class Heading:
    """A heading found in the cleaned text: where it is and how deep."""

    start: int
    end: int
    style: str
    label: str  # e.g. "3.1.1 价格促销策略"


@dataclass
class Section:
    """A stretch of cleaned text under one heading path."""

    path: tuple[str, ...]
    start: int
    end: int
    heading_end: int  # where the body starts (after the heading text)


def find_sections(simplified: str, toc_titles: list[str]) -> list[Section]:
    """Sections of ``simplified`` (cleaned text in Simplified script), in order, covering all of it."""
    if toc_titles:
        headings = _headings_from_toc(simplified, toc_titles)
        if len(headings) < max(2, len(toc_titles) // 4):
            headings = _headings_from_layout(simplified)
    else:
        headings = _headings_from_layout(simplified)
    return _sections(simplified, headings)


def _label(numbering: str, title: str) -> str:
    numbering = numbering.strip().rstrip(":：")
    title = title.strip(" :：\u3000")
    if not numbering:
        return title
    if not title:
        return numbering
    if numbering.endswith(("、", "）", ")")):
        return numbering + title
    return f"{numbering} {title}"


def _style_of(numbering: str) -> str:
    m = _NUMBERING.fullmatch(numbering.strip().rstrip(":："))
    if m is None:
        m = _NUMBERING.fullmatch(numbering.strip())
    if m is None:
        return "none"
    style = m.lastgroup or "none"
    if style == "dotted":
        return f"dotted{m.group().count('.') + 1}"
    return style


def _headings_from_toc(text: str, titles: list[str]) -> list[Heading]:
    """Headings located by searching the TOC titles, in order, in the body text."""
    headings: list[Heading] = []
    cursor = 0
    for raw_title in titles:
        prefix = _TITLE_PREFIX.match(raw_title)
        key = raw_title[prefix.end():] if prefix else raw_title
        key = key.strip()
        if len(key) < 2:
            continue
        found = _locate(text, key, cursor)
        if found is None:
            continue
        start, numbering = found
        key_start = text.index(key, start)
        end = key_start + len(key)
        headings.append(Heading(start, end, _style_of(numbering) if numbering else "none", _label(numbering, key)))
        cursor = end
    return headings


def _locate(text: str, key: str, cursor: int) -> tuple[int, str] | None:
    """Where the heading ``key`` starts at or after ``cursor`` (numbering included) and its numbering."""
    fallback: tuple[int, str] | None = None
    pos = text.find(key, cursor)
    while pos != -1:
        before = text[max(cursor, pos - 12):pos]
        m = re.search(
            rf"(第[\d{_CN_NUM}]+[章篇部编节][:：]?|[{_CN_NUM}]+、|[（(][{_CN_NUM}]+[）)]|\d{{1,2}}(?:\.\d{{1,2}}){{0,3}}\.?[:：]?)\s*$",
            before,
        )
        if m is not None:
            return pos - len(m.group()), m.group().strip().rstrip(".")
        if pos == 0 or text[pos - 1] in _BOUNDARY or pos == cursor:
            return pos, ""
        if fallback is None:
            fallback = (pos, "")
        pos = text.find(key, pos + 1)
    return fallback


def _headings_from_layout(text: str) -> list[Heading]:
    """Headings recognised by their numbering on short lines, or inline chapters in unbroken text."""
    headings: list[Heading] = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        start = pos + lead
        pos += len(line) + 1
        if len(stripped) > 400:
            headings.extend(_inline_headings(text, start, start + len(stripped)))
            continue
        if not stripped or len(stripped) > 40 or _SENTENCE_END.search(stripped.rstrip(":：")):
            continue
        md = _MD_HEADING.match(stripped)
        if md:
            headings.append(Heading(start, start + len(stripped), f"md{len(md.group(1))}", md.group(2)))
            continue
        m = _NUMBERING.match(stripped)
        if stripped[-1] in ":：" and m is None:
            continue  # "具体安排如下：" introduces a list; only numbered lines may end with a colon
        if m:
            style = _style_of(m.group())
            headings.append(Heading(start, start + len(stripped), style, _label(m.group(), stripped[m.end():])))
            continue
        if _PIAN_SUFFIX.search(stripped):
            headings.append(Heading(start, start + len(stripped), "pian", stripped))
    return headings


def _inline_headings(text: str, start: int, end: int) -> list[Heading]:
    """Chapter and dotted headings inside a long unbroken line; the title runs to the first punctuation."""
    found: list[Heading] = []
    pattern = re.compile(
        rf"(第[\d{_CN_NUM}]+章[:：]?|(?<![\d.])\d{{1,2}}(?:\.\d{{1,2}}){{1,2}}(?![\d.]))(?=[\u4e00-\u9fff])"
    )
    for m in pattern.finditer(text, start, end):
        title = re.match(r"[\u4e00-\u9fff]{2,20}", text[m.end():end])
        if title is None:
            continue
        found.append(Heading(m.start(), m.end() + len(title.group()), _style_of(m.group()),
                             _label(m.group(), title.group())))
    return found


def _sections(text: str, headings: list[Heading]) -> list[Section]:
    """Sections between consecutive headings, each with its heading path (styles ranked by first use)."""
    sections: list[Section] = []
    first = headings[0].start if headings else len(text)
    if first > 0:
        sections.append(Section((), 0, first, 0))
    stack: list[tuple[str, str]] = []  # (style, label)
    for i, heading in enumerate(headings):
        end = headings[i + 1].start if i + 1 < len(headings) else len(text)
        styles = [s for s, _ in stack]
        if heading.style in styles and heading.style != "none":
            del stack[styles.index(heading.style):]
        elif heading.style == "none" and stack and stack[-1][0] == "none":
            stack.pop()
        stack.append((heading.style, heading.label))
        sections.append(Section(tuple(label for _, label in stack), heading.start, end, heading.end))
    return sections
