"""Festival dates: a festival the plan dates must fall on that date in that year (端午 2026 is June 19)."""

from __future__ import annotations

from assistant.briefs.festivals import festival_date, festival_name
from assistant.plan import Brief, Finding, Plan
from assistant.validators.common import day, finding
from assistant.validators.statements import stated_festivals
from knowledge.templates import Template


def check_festivals(plan: Plan, brief: Brief | None = None, template: Template | None = None) -> list[Finding]:
    """A ``festival_date_mismatch`` error for each festival the prose gives a wrong date for its year."""
    findings: list[Finding] = []
    for stated in stated_festivals(plan):
        true_day = festival_date(stated.festival.name, stated.year)
        given = stated.given
        if given.year != stated.year and not (given.month == 2 and given.day == 29):
            given = given.replace(year=stated.year)
        if given == true_day:
            continue
        zh_name = festival_name(stated.festival.name, "zh-Hans")
        findings.append(finding(
            plan, "festival_date_mismatch", "error",
            zh=f"{stated.year}年{zh_name}是{true_day.month}月{true_day.day}日,不是{given.month}月{given.day}日:"
               f"请改正日期并检查依此排定的时间。",
            en=f"{festival_name(stated.festival.name, 'en')} {stated.year} falls on {day(plan, true_day)}, not "
               f"{day(plan, given)}: fix the date and any schedule built on it.",
            line=stated.line, chapter=stated.chapter,
        ))
    return findings


__all__ = ["check_festivals"]
