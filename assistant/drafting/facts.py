"""The brief's facts written the way plans write them: dates, money, the campaign window, the festival."""

from __future__ import annotations

import datetime as dt

from core.plan import Brief
from core.text.scripts import to_simplified


def cn_date(day: dt.date, *, with_year: bool = True) -> str:
    """'2026年9月10日' (or '9月10日')."""
    return f"{day.year}年{day.month}月{day.day}日" if with_year else f"{day.month}月{day.day}日"


def percent(value: float) -> str:
    """'35%' or '12.5%'."""
    return f"{value:.1f}".rstrip("0").rstrip(".") + "%"


def en_date(day: dt.date) -> str:
    """'10 September 2026'."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def window_sentence(brief: Brief, english: bool = False) -> str:
    """'活动时间:2026年9月10日至2026年9月25日,共16天。' (empty when dates are missing)."""
    if brief.start is None or brief.end is None:
        return ""
    days = (brief.end - brief.start).days + 1
    if english:
        if days == 1:
            return f"Campaign date: {en_date(brief.start)} (1 day)."
        return f"Campaign dates: {en_date(brief.start)} to {en_date(brief.end)} ({days} days)."
    if days == 1:
        return f"活动时间:{cn_date(brief.start)},共1天。"
    return f"活动时间:{cn_date(brief.start)}至{cn_date(brief.end)},共{days}天。"


_TAKES_JIE = frozenset({"元宵", "端午", "七夕", "中秋", "重阳", "腊八", "清明", "国庆", "圣诞"})


def festival_day(text: str, near: dt.date) -> tuple[str, dt.date] | None:
    """The festival ``text`` names (an occasion such as '中秋' or a title that mentions one) and its
    date closest to ``near``; None when it names no dated festival. The calendar is the briefs module's."""
    from assistant.briefs.festivals import festival_date, festivals_in, find_festival

    if not text.strip():
        return None
    festival = find_festival(text)
    if festival is None:
        found = festivals_in(to_simplified(text))
        if not found:
            return None
        festival = found[0][0]
    days = [festival_date(festival.name, year) for year in (near.year - 1, near.year, near.year + 1)]
    day = min(days, key=lambda d: abs((d - near).days))
    label = festival.name
    if label in _TAKES_JIE:
        label += "节"
    elif label[0].isdigit():
        label += "大促"  # "2026年618在6月18日" reads oddly; "618大促" still names the shopping day
    return label, day


def festival_sentence(brief: Brief, english: bool = False) -> str:
    """'2026年中秋节在9月25日。' when the brief's occasion (or title) is a festival, else ''."""
    if brief.start is None or brief.end is None:
        return ""
    middle = brief.start + (brief.end - brief.start) / 2
    found = festival_day(brief.occasion, middle) or festival_day(brief.title, middle)
    if found is None:
        return ""
    label, day = found
    if english:
        from assistant.briefs.festivals import festival_name

        return f"{festival_name(label.removesuffix('大促'), 'en')} falls on {en_date(day)}."
    return f"{day.year}年{label}在{cn_date(day, with_year=False)}。"
