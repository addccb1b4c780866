"""Festival dates: a festival the plan dates must fall on that date in that year (端午 2026 is June 19), and a
festival campaign must not start after its festival is over (a 七夕 plan run 8/10–8/19 when 七夕 is 8/8)."""

from __future__ import annotations

import datetime as dt

from assistant.briefs.festivals import festival_date, festival_name, festival_period, festivals_in
from assistant.validators.common import chapter_at, day, finding
from assistant.validators.statements import stated_festivals
from assistant.validators.timeline import RETURN_CAMPAIGN, execution_phase
from core.errors import BriefError
from core.plan import Brief, Finding, Plan
from core.text.scripts import to_simplified
from knowledge.templates import Template


def check_festivals(plan: Plan, brief: Brief | None = None, template: Template | None = None) -> list[Finding]:
    """A ``festival_date_mismatch`` error for each festival the prose gives a wrong date for its year, and a
    ``campaign_after_festival`` warning when the campaign's festival is over before its execution starts."""
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
            zh=f"{year}年{zh_name}是{_zh_day(true_day)},不是{_zh_day(given)}:"
               f"请改正日期并检查依此排定的时间。",
            en=f"{festival_name(stated.festival.name, 'en')} {year} falls on {day(plan, true_day)}, not "
               f"{given.month:02d}-{given.day:02d}: fix the date and any schedule built on it.",
            line=stated.line, chapter=stated.chapter,
        ))
    return findings + _after_festival(plan, brief)


def _after_festival(plan: Plan, brief: Brief | None) -> list[Finding]:
    """The warning for an execution phase that starts after the days of the festival the campaign is for (the
    brief's occasion, else the festival its title names), of the year nearest the start (春节 2027 for a plan
    from 2026-12-20); none for a campaign named as one run after its festival (返场)."""
    execution = execution_phase(plan.phases)
    named = to_simplified((brief.occasion if brief is not None and brief.occasion else "") or plan.title)
    found = festivals_in(named)
    if execution is None or execution.start is None or not found or RETURN_CAMPAIGN.search(named):
        return []
    festival, start = found[0][0], execution.start
    try:
        periods = [festival_period(festival.name, year) for year in (start.year - 1, start.year, start.year + 1)]
    except BriefError:
        return []
    first, last = min(periods, key=lambda period: abs((period[0] - start).days))
    if start <= last:
        return []
    zh_name, en_name = festival_name(festival.name, "zh-Hans"), festival_name(festival.name, "en")
    zh_days = _zh_day(first) + (f"至{_zh_day(last)}" if last != first else "")
    en_days = day(plan, first) + (f" to {day(plan, last)}" if last != first else "")
    return [finding(
        plan, "campaign_after_festival", "warning",
        zh=f"执行阶段「{execution.name}」从{day(plan, start)}开始,在{first.year}年{zh_name}({zh_days})之后:"
           f"节日过后才开始活动,请检查日期;若是节后返场活动,请在标题中写明「返场」。",
        en=f"The execution phase '{execution.name}' starts on {day(plan, start)}, after {en_name} {first.year} "
           f"({en_days}): check the dates; if the campaign runs after the festival on purpose, say 'encore' in the title.",
        line=execution.line, chapter=chapter_at(plan, execution.line),
    )]


def _zh_day(value: dt.date) -> str:
    return f"{value.month}月{value.day}日"


__all__ = ["check_festivals"]
