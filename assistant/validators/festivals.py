"""Festival dates: a festival the plan dates must fall on that date in that year (端午 2026 is June 19)."""

from __future__ import annotations

from assistant.briefs.festivals import festival_date, festival_name
from assistant.validators.common import day, finding
from assistant.validators.statements import stated_festivals
from core.errors import BriefError
from core.plan import Brief, Finding, Plan
from knowledge.templates import Template


def check_festivals(plan: Plan, brief: Brief | None = None, template: Template | None = None) -> list[Finding]:
    """A ``festival_date_mismatch`` error for each festival the prose gives a wrong date for its year."""
    findings: list[Finding] = []
    for stated in stated_festivals(plan):
        given = stated.given
        try:
            true_days = {year: festival_date(stated.festival.name, year) for year in stated.years}
        except BriefError:
            continue  # a year outside the calendar Cehua knows: nothing to compare with
        if any((d.month, d.day) == (given.month, given.day) for d in true_days.values()):
            continue
        year = given.year if given.year in true_days else stated.years[0]
        true_day = true_days[year]
        zh_name = festival_name(stated.festival.name, "zh-Hans")
        findings.append(finding(
            plan, "festival_date_mismatch", "error",
            zh=f"{year}年{zh_name}是{true_day.month}月{true_day.day}日,不是{given.month}月{given.day}日:"
               f"请改正日期并检查依此排定的时间。",
            en=f"{festival_name(stated.festival.name, 'en')} {year} falls on {day(plan, true_day)}, not "
               f"{given.month:02d}-{given.day:02d}: fix the date and any schedule built on it.",
            line=stated.line, chapter=stated.chapter,
        ))
    return findings


__all__ = ["check_festivals"]
