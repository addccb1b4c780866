"""Durations that contradict each other: 「整体时间规划为一个月」 over three 15-day phases, and day-numbered
tasks (「第16–20天」) past the length of the phase they belong to (a 15-day 筹备阶段)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.validators.common import TextLine, day, finding, text_lines
from assistant.validators.timeline import phase_role
from core.plan import Brief, Chapter, Finding, Plan
from core.text.numerals import parse_number
from core.text.scripts import to_simplified
from knowledge.templates import Template

_NUM = r"\d+|[一二两三四五六七八九十百半]+"
# A length: 15天 / 一个月 / 两周 — not 第15天, not the end of a range 第11–15天, not a date 10月.
_LENGTH = re.compile(rf"(?<![第\d–—\-~～至到])(?P<n>{_NUM})\s*(?P<unit>天|周|星期|个月|個月)")
# 「整体时间规划为」「整个开业活动为期」「整个大促为期」: the whole, what it is (a few characters), then the length.
_TOTAL = re.compile(r"(?:整体|总体|全部|整个|总)(?:的)?[\u4e00-\u9fff]{0,6}?\s*(?:为期|历时|为|是|共|约|:|：)")
_PHASE = re.compile(r"(?P<name>第[一二三四五六七八九十\d]{1,2}阶段|[\u4e00-\u9fff]{2,6}?(?:阶段|期))(?!间|間)")
_DAY_RANGE = re.compile(r"第\s*(?P<a>\d{1,3})\s*(?:[–—\-~～至到]\s*(?:第)?\s*(?P<b>\d{1,3}))?\s*天")
_NOT_PHASE = re.compile(r"^(?:期间|长期|短期|日期|周期|时期|同期|假期|档期|预期|星期|初期)$")
_MONTH_DAYS = (28, 31)
_SPAN_WORDS = re.compile(r"共|为期|历时|全程|持续|周期|時間|时间|期间")


@dataclass
class _Length:
    days: int
    low: int
    high: int
    text: str


def _length(m: re.Match[str]) -> _Length | None:
    raw = m.group("n")
    half = raw.endswith("半") and len(raw) > 1  # 一个半月
    value = float(raw) if raw.isdigit() else parse_number(raw.removesuffix("半"))
    if value is None or value <= 0:
        return None
    n = value + (0.5 if half else 0.0)
    unit = m.group("unit")
    if unit in ("个月", "個月"):
        return _Length(round(n * 30), round(n * _MONTH_DAYS[0]), round(n * _MONTH_DAYS[1]), m.group(0))
    days = round(n * 7) if unit in ("周", "星期") else round(n)
    return _Length(days, days, days, m.group(0))


def _phase_name(text: str) -> str | None:
    for m in _PHASE.finditer(text):
        name = re.sub(r"^(?:\d+[)）.、]|[（(]\d+[)）])", "", m.group("name"))
        if not _NOT_PHASE.match(name):
            return name.removesuffix("阶段").removesuffix("期") or name
    return None


def check_durations(plan: Plan, brief: Brief | None = None, template: Template | None = None) -> list[Finding]:
    """``duration_mismatch`` errors: a stated total length that the phases' lengths do not add up to, and
    day-numbered tasks (第16–20天) beyond the stated length of their phase (or of the whole activity)."""
    findings: list[Finding] = []
    by_chapter: dict[int, list[TextLine]] = {}
    for tl in text_lines(plan):
        by_chapter.setdefault(id(tl.chapter), []).append(tl)
    for chapter in plan.chapters:
        lines = by_chapter.get(id(chapter), [])
        if not any("天" in tl.text or "周" in tl.text or "月" in tl.text for tl in lines):
            continue  # no length, no day number: nothing to contradict
        findings += _total_vs_phases(plan, chapter, lines)
        findings += _days_past_phase(plan, lines)
    return findings


def _total_vs_phases(plan: Plan, chapter: Chapter, lines: list[TextLine]) -> list[Finding]:
    findings: list[Finding] = []
    for i, tl in enumerate(lines):
        text = to_simplified(tl.text)
        total_at = _TOTAL.search(text)
        if not total_at:
            continue
        m = _LENGTH.search(text, total_at.end())
        total = _length(m) if m and m.start() - total_at.end() <= 4 else None
        if total is None or m is None:
            continue
        phases: dict[str, int] = {}
        for later in lines[i:i + 12]:
            later_text = to_simplified(later.text)
            name = _phase_name(later_text[m.end():] if later is tl else later_text)
            if name is None or name in phases:
                continue
            length = next((x for x in map(_length, _LENGTH.finditer(later_text)) if x is not None), None)
            if length is not None and later is not tl:
                phases[name] = length.days
        if len(phases) < 2:
            findings += _total_vs_dates(plan, chapter, tl, total, lines[i + 1:i + 12])
            continue
        added = sum(phases.values())
        if total.low <= added <= total.high:
            continue
        parts = "+".join(str(d) for d in phases.values())
        findings.append(finding(
            plan, "duration_mismatch", "error",
            zh=f"「{total.text}」与各阶段时长不符:{'、'.join(phases)}共{parts}={added}天。请统一总时长或各阶段天数。",
            en=f"The stated total '{total.text}' disagrees with its phases: {parts} = {added} days. Make the total "
               f"and the phase lengths agree.",
            line=tl.line, chapter=chapter,
        ))
    return findings


def _total_vs_dates(plan: Plan, chapter: Chapter, stated: TextLine, total: _Length,
                    below: list[TextLine]) -> list[Finding]:
    """The error for a whole length (「整个开业活动为期两周,分三段:」) that the dated phases listed right below it do
    not span, from the first one's start to the last one's end; preparation and review phases are not the activity
    the length is of."""
    lines = {tl.line for tl in below if tl.chapter is stated.chapter}
    listed = [p for p in plan.phases if p.line in lines and phase_role(p.name) not in ("prepare", "wrapup")]
    starts = [p.start for p in listed if p.start is not None]
    ends = [p.end for p in listed if p.end is not None]
    if len(listed) < 2 or len(starts) < len(listed) or len(ends) < len(listed):
        return []
    first, last = min(starts), max(ends)
    days = (last - first).days + 1
    if total.low <= days <= total.high:
        return []
    names = "、".join(p.name for p in listed)
    return [finding(
        plan, "duration_mismatch", "error",
        zh=f"「{total.text}」与下列阶段的日期不符:{names}从{day(plan, first)}到{day(plan, last)},共{days}天。"
           f"请统一总时长或各阶段日期。",
        en=f"The stated length '{total.text}' disagrees with the phases below it: {', '.join(p.name for p in listed)} "
           f"run from {day(plan, first)} to {day(plan, last)}, {days} days. Make the length and the dates agree.",
        line=stated.line, chapter=chapter,
    )]


def _days_past_phase(plan: Plan, lines: list[TextLine]) -> list[Finding]:
    findings: list[Finding] = []
    lengths: dict[str, int] = {}
    recent: tuple[str | None, int, int] | None = None  # (phase, days, index) of the last length stated
    for i, tl in enumerate(lines):
        text = to_simplified(tl.text)
        name = _phase_name(_DAY_RANGE.sub("", text))
        stated = next((x for x in map(_length, _LENGTH.finditer(_DAY_RANGE.sub("", text))) if x is not None), None)
        if stated is not None and not _TOTAL.search(text):
            if name is not None:
                lengths.setdefault(name, stated.days)
                recent = (name, stated.days, i)
            elif _SPAN_WORDS.search(text):
                recent = (None, stated.days, i)  # 「共31天」 frames the day numbers below; 「7天无理由退换」 does not
        elif stated is not None:
            recent = (None, stated.days, i)
        ranges = [(int(m.group("a")), int(m.group("b") or m.group("a"))) for m in _DAY_RANGE.finditer(text)]
        if not ranges:
            continue
        limit: int | None = None
        phase = name
        if name is not None and name in lengths:
            limit = lengths[name]
        elif recent is not None and i - recent[2] <= 3:
            phase, limit = recent[0], recent[1]
        last = max(b for _, b in ranges)
        if limit is None or last <= limit:
            continue
        where = f"「{phase}」阶段共{limit}天" if phase else f"全程共{limit}天"
        where_en = f"the {phase} phase lasts {limit} days" if phase else f"the whole activity lasts {limit} days"
        findings.append(finding(
            plan, "duration_mismatch", "error",
            zh=f"{where},却排到了第{last}天:请把任务排进{limit}天内,或改正阶段时长。",
            en=f"{where_en}, but tasks are scheduled up to day {last}: fit them in {limit} days or fix the length.",
            line=tl.line, chapter=tl.chapter,
        ))
    return findings


__all__ = ["check_durations"]
