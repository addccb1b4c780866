"""A plan whose whole activity window lies before today (``core.clock.today()``, i.e. CEHUA_TODAY)."""

from __future__ import annotations

import re

from assistant.validators.common import chapter_at, day, finding, text_lines
from assistant.validators.statements import StatedPeriod, plan_year, stated_periods
from core.clock import today
from core.plan import Brief, Finding, Plan
from core.text.dates import EN_WEEKDAY, find_dates
from knowledge.templates import Template

# How far into a line of the time chapter its window may start (「- 」, 「时间:」), after a weekday.
_OPENING = 6
_WEEKDAY = re.compile(rf"\s*(?:[-*•]\s*)?(?:{EN_WEEKDAY},?\s*)?", re.I)


def _time_chapter_windows(plan: Plan, year: int) -> list[StatedPeriod]:
    """Date ranges that open a line of the plan's time chapter (「## 二、時間」 then 「2027/10/22 – 11/7」):
    the window, written where the heading already says it is one."""
    out: list[StatedPeriod] = []
    for tl in text_lines(plan):
        if tl.chapter.key != "timeline" or tl.in_table:
            continue
        found = find_dates(tl.text, year)
        lead = _WEEKDAY.match(tl.text)
        if found and found[0].end is not None and found[0].pos <= max(_OPENING, lead.end() if lead else 0):
            out.append(StatedPeriod(found[0].start, found[0].end, tl.line, tl.chapter))
    return out


def check_dates_in_past(plan: Plan, brief: Brief | None = None, template: Template | None = None) -> list[Finding]:
    """A ``date_in_past`` warning when every dated phase and stated activity period ends before today.

    Only plans that write their year count (「2026年6月1日」, 2026/5/10): 「6月1日」 alone is next June."""
    year = plan_year(plan)
    if year is None:
        return []
    spans = [(p.start, p.end, p.line) for p in plan.phases if p.start is not None and p.end is not None]
    periods = stated_periods(plan) or _time_chapter_windows(plan, year)
    spans += [(s.start, s.end, s.line) for s in periods]
    if not spans:
        return []
    now = today()
    last = max(end for _, end, _ in spans)
    if last >= now:
        return []
    first = min(start for start, _, _ in spans)
    line = periods[0].line if periods else min((ln for _, _, ln in spans if ln is not None), default=None)
    chapter = periods[0].chapter if periods else chapter_at(plan, line)
    return [finding(
        plan, "date_in_past", "warning",
        zh=f"活动时间{day(plan, first)}至{day(plan, last)}已全部早于今天({day(plan, now)}):"
           f"如是新方案,请改成今后的日期;如是复盘旧方案,可忽略。",
        en=f"The whole window, {day(plan, first)} to {day(plan, last)}, is before today ({day(plan, now)}): move it "
           f"to coming dates if this is a new plan; ignore this if you are reviewing a past one.",
        line=line, chapter=chapter,
    )]


__all__ = ["check_dates_in_past"]
