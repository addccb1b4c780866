"""Chapters by meaning: every chapter the plan's kind requires must be there — as a chapter, as a numbered
sub-item (「1、目标市场:」「(一)…」), or as a section doing its job under another name (活动一/二/三 are
the offer; 宣传单 and 报纸广告 under 活动流程 are the promotion), which is reported as ``info``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.validators.common import finding, location, message, text_lines
from core.plan import Brief, Chapter, Finding, Plan
from core.text.dates import find_dates
from core.text.scripts import to_simplified
from knowledge.chapter_text import kind_of_question, kind_of_text
from knowledge.templates import (
    Template,
    TemplateChapter,
    chapter_kind,
    chapter_named,
    choose_template,
    normalize_heading,
)

# Sub-headings inside chapter bodies: '### 风险' / '（一）应急预案' / '1、目标市场:' / '活动一:…' / '**效果评估**'.
_SUBHEADING = re.compile(
    r"^\s*(?:#{2,6}\s+(?P<md>.+)"
    r"|(?P<num>(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}\s*[、.．)）]|[一二三四五六七八九十]{1,3}\s*[、.．]"
    r"|活[动動][一二三四五六七八九十\d]{1,3}\s*[:：、]?)\s*[^。；;，,]{2,24}?)\s*(?:[:：].*)?"
    r"|\*\*(?P<bold>[^*]{2,30})\*\*\s*[:：]?)\s*$"
)
# 「活动时间:2027年3月1日」「目标人群:白领」 inside another chapter: a labelled line doing a chapter's job.
_LABEL = re.compile(r"^\s*(?:[-*•]\s*)?(?:\*\*)?(?P<label>[^\s:：*|]{2,8})(?:\*\*)?\s*[:：]\s*\S")
_AMOUNT_CELL = re.compile(r"^[\s\d,.%¥￥万元wWkK-]*$")
# A section names a required chapter's job when it holds this many of the chapter's signal words.
MIN_SIGNALS = 2


@dataclass
class SubHeading:
    text: str
    chapter: Chapter
    line: int | None


def sub_headings(plan: Plan) -> list[SubHeading]:
    """Heading-like lines inside chapter bodies (numbered sub-items, '###' headings, bold lines)."""
    out: list[SubHeading] = []
    for tl in text_lines(plan):
        if tl.in_table:
            continue
        m = _SUBHEADING.match(tl.text)
        if m:
            out.append(SubHeading(m.group("md") or m.group("num") or m.group("bold") or "", tl.chapter, tl.line))
    return out


_JOINED = re.compile(r"\s*(?:与|與|及|和|暨|、|&|/|＆| and )\s*")


def _names(template: Template, wanted: TemplateChapter, text: str) -> bool:
    """Whether a heading names ``wanted``: its best match, a 4+ character name inside it, or one part of a
    heading joining two chapters (「主题与玩法」 names the theme and the offer)."""
    matched = chapter_kind(template, text)
    if matched is not None and matched.key == wanted.key:
        return True
    normal = normalize_heading(text)
    if any(len(name) >= 4 and name in normal for name in template.names(wanted)):
        return True
    parts = [p for p in _JOINED.split(text) if p.strip()]
    return len(parts) > 1 and any((m := chapter_kind(template, p)) is not None and m.key == wanted.key for p in parts)


def _labelled(plan: Plan, template: Template, wanted: TemplateChapter) -> tuple[str, Chapter, int | None] | None:
    """The first 「label: value」 line (outside tables) whose label names ``wanted``."""
    for tl in text_lines(plan):
        if tl.in_table:  # an overview table: | 活动时间 | 2027年1月20日 |
            cells = [c.strip(" *") for c in tl.text.strip().strip("|").split("|")]
            # Budget lines (| 宣传推广 | 60,000 |) name what money is for, not where the plan says it.
            label = cells[0] if (len(cells) >= 2 and 2 <= len(cells[0]) <= 8 and tl.chapter.key != "budget"
                                 and not _AMOUNT_CELL.match(cells[1])) else ""
        else:
            m = _LABEL.match(tl.text)
            label = m.group("label") if m else ""
        if label and _names(template, wanted, label):
            return label, tl.chapter, tl.line
    return None


def _doing_the_job(plan: Plan, wanted: TemplateChapter) -> tuple[Chapter, list[str], int | None] | None:
    """The chapter whose text uses the most of ``wanted``'s signal words (at least MIN_SIGNALS)."""
    if not wanted.signals:
        return None
    signals = _signals(tuple(wanted.signals))
    best: tuple[Chapter, list[str], int | None] | None = None
    for chapter in plan.chapters:
        text = to_simplified(chapter.body).lower()
        found = [m.group(0) for m in (s.search(text) for s in signals) if m]
        hits = [h for h in dict.fromkeys(found) if not any(h != o and h in o for o in found)]  # 传单 in 宣传单
        if len(hits) < MIN_SIGNALS or (best is not None and len(hits) <= len(best[1])):
            continue
        first = next((tl.line for tl in text_lines(plan) if tl.chapter is chapter
                      and any(h in to_simplified(tl.text).lower() for h in hits)), None)
        best = (chapter, hits, first)
    return best


@lru_cache(maxsize=256)
def _signals(signals: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(s) for s in dict.fromkeys(to_simplified(s).lower() for s in signals))


def check_chapters(plan: Plan, brief: Brief | None = None, template: Template | None = None) -> list[Finding]:
    """For each chapter the template requires: nothing when a chapter or sub-item heading names it; an
    ``info`` finding "found under 「…」" when another section does its job; else a ``missing_chapter`` error.

    A heading names a chapter when it matches it best, or contains one of its names of 4+ characters
    (「活动主题与目标客群」 names both); only longer names count, so 「推广策略」 does not pass for
    活动主题与策略."""
    template = template or choose_template(plan.title, [c.title for c in plan.chapters])
    subs = sub_headings(plan)
    findings: list[Finding] = []
    taken: dict[int, TemplateChapter] = {}  # chapters read by their text, as the chapter they were read as
    for wanted in template.required:
        if any(_names(template, wanted, c.title) for c in plan.chapters):
            continue
        if any(_names(template, wanted, s.text) for s in subs):
            continue
        zh_title, title = wanted.title_in("zh-Hans"), wanted.title_in(plan.script)
        label = _labelled(plan, template, wanted)
        if label is not None:
            text, chapter, line = label
            findings.append(finding(
                plan, "chapter_found_under", "info",
                zh=f"「{zh_title}」未单列成章,见于「{chapter.title}」的「{text}」一项:内容较多时可单列一章。",
                en=f"'{title}' has no chapter of its own; found as '{text}' under '{chapter.title}': give it a "
                   f"chapter if it grows.",
                line=line, chapter=chapter,
            ))
            continue
        host = _doing_the_job(plan, wanted)
        if host is not None:
            chapter, hits, line = host
            words = "、".join(hits[:4])
            findings.append(finding(
                plan, "chapter_found_under", "info",
                zh=f"「{zh_title}」未单列成章,见于「{chapter.title}」({words}):可单列一章「{zh_title}」,便于审阅。",
                en=f"'{title}' has no chapter of its own; found under '{chapter.title}' ({', '.join(hits[:4])}): "
                   f"consider a chapter '{title}'.",
                line=line, chapter=chapter,
            ))
            continue
        read = _read_as(plan, template, wanted, taken)
        if read is not None:
            taken[id(read)] = wanted
            findings.append(finding(
                plan, "chapter_found_under", "info",
                zh=f"「{read.title}」的内容是「{zh_title}」:标题可写作「{zh_title}」,便于审阅。",
                en=f"'{read.title}' reads as the '{title}' chapter: consider naming it '{title}'.",
                line=read.line, chapter=read,
            ))
            continue
        findings.append(_missing(plan, template, wanted))
    return findings


def _read_as(plan: Plan, template: Template, wanted: TemplateChapter,
             taken: dict[int, TemplateChapter]) -> Chapter | None:
    """The first chapter whose heading no alias names (「钱」「万一出状况」: a word of it may read as another
    chapter, 状况 as 市场状况, but its text decides), that stands where
    ``wanted`` would (``slot_kinds``) and whose text reads as ``wanted``'s kind rather than any other kind that
    could stand there (``knowledge.chapter_text``), or whose question word names it ("Who's coming": the audience);
    one chapter stands for one missing chapter only, and one
    already read (「钱」 as the budget) bounds the places of the others (「万一出状况」 after it: risk or evaluation)."""
    named = [taken.get(id(c)) or chapter_kind(template, c.title) for c in plan.chapters]
    # A heading read as the job a heading above it already names (「目標客層」 by its 目标 under 「背景與目標」)
    # does another job its words do not say: its text decides, as for a heading naming nothing.
    again = {i for i, n in enumerate(named) if n is not None and id(plan.chapters[i]) not in taken
             and any(m is not None and m.key == n.key for m in named[:i])}
    named = [None if i in again else n for i, n in enumerate(named)]
    for i, chapter in enumerate(plan.chapters):
        if id(chapter) in taken or (i not in again and chapter_named(template, chapter.title) is not None):
            continue
        kinds = slot_kinds(template, named[:i] + [None] + named[i + 1:], i)
        if wanted.kind not in kinds:
            continue
        if (kind_of_text(chapter.body, kinds) == wanted.kind or kind_of_question(chapter.title) == wanted.kind
                or (wanted.kind == "timeline" and _dated_lines(chapter) >= 2)):
            return chapter
    return None


# Any leap year: a date range's year is not what tells a schedule (2/29 must read too).
_ANY_YEAR = 2028


def _dated_lines(chapter: Chapter) -> int:
    """How many of a chapter's lines open with a date range within their first words (「- 企業早鳥:12/10–12/31」,
    '- Pre-sale: Oct 21 – Oct 31'): a schedule, which the text model reads least well (its numbers are all 0)."""
    count = 0
    for line in chapter.body.split("\n"):
        found = find_dates(line, _ANY_YEAR, dots=True)
        count += bool(found and found[0].end is not None and found[0].pos <= 16)
    return count


def read_by_text(plan: Plan, template: Template, keys: tuple[str, ...]) -> dict[str, TemplateChapter]:
    """Headings that name no chapter but whose text reads as one of ``keys``' chapters where the plan has none
    (「三、节奏」「三、時程規劃」 over dated phases: the timeline), heading → the template's chapter, for the
    reader to take phases and budget lines from them as from a chapter named so (``_read_as``'s reading)."""
    have = {c.key for c in plan.chapters}
    out: dict[str, TemplateChapter] = {}
    taken: dict[int, TemplateChapter] = {}
    for key in keys:
        wanted = next((c for c in template.chapters if c.key == key), None)
        if wanted is None or key in have:
            continue
        # A heading naming the chapter by meaning but by none of the template's aliases ("Spend", read as 费用
        # in English; the reader matches aliases only) is that chapter for the reader too.
        meant = next((c for c in plan.chapters if c.key is None and (m := chapter_kind(template, c.title)) is not None
                      and m.key == key), None)
        if meant is not None:
            out[meant.title] = wanted
            continue
        if any(_names(template, wanted, c.title) for c in plan.chapters):
            continue
        read = _read_as(plan, template, wanted, taken)
        if read is not None:
            taken[id(read)] = wanted
            out[read.title] = wanted
    return out


def slot_kinds(template: Template, named: list[TemplateChapter | None], at: int) -> set[str]:
    """The kinds of chapter that could stand at ``at`` among the plan's chapters (``named``: the chapter each
    heading names, None for none): those the template puts after the nearest named chapter before it and
    before the nearest named one after it; every kind when the plan does not keep the template's order there."""
    order = {c.key: i for i, c in enumerate(template.chapters)}
    before = next((order[n.key] for n in reversed(named[:at]) if n is not None and n.key in order), -1)
    after = next((order[n.key] for n in named[at + 1:] if n is not None and n.key in order), len(order))
    if before >= after:
        return {c.kind for c in template.chapters}
    return {c.kind for c in template.chapters[before + 1:after]}


def _missing(plan: Plan, template: Template, wanted: TemplateChapter) -> Finding:
    """A missing_chapter error saying where the chapter belongs: before the first chapter of the plan that
    comes after it in the template's order (its ``chapter`` stays empty: no chapter of the plan is wrong)."""
    zh_title, title, kind = wanted.title_in("zh-Hans"), wanted.title_in(plan.script), template.title["zh-Hans"]
    order = {c.key: i for i, c in enumerate(template.chapters)}
    mine = order[wanted.key]
    after = next((c for c in plan.chapters if c.key in order and order[c.key] > mine and c.line is not None), None)
    zh = f"缺少必备章节「{zh_title}」:请补充这一章(模板「{kind}」要求)。"
    en = f"Missing required chapter '{title}': add it (the {template.title['en']} template requires it)."
    where = location(plan, None, None)
    if after is not None:
        zh = zh.removesuffix("。") + f",放在「{after.title}」之前。"
        en = en.removesuffix(".") + f", before '{after.title}'."
        where = location(plan, after, after.line)
    return Finding(code="missing_chapter", severity="error", message=message(plan, zh, en), location=where,
                   chapter=None, line=after.line if after is not None else None)


__all__ = ["check_chapters", "read_by_text", "slot_kinds", "sub_headings"]
