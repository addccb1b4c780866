"""Festivals and shopping days resolved to dates: lunar ones through the lunar calendar, 清明, 冬至 and the other
solar-term days through chinese_calendar's table of the 24 solar terms."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import chinese_calendar
from lunardate import LunarDate

from core import clock
from core.errors import BriefError
from core.text.scripts import to_simplified


@dataclass(frozen=True)
class Festival:
    """A festival: its canonical (Simplified) name, the names people use, how to find its date."""

    name: str
    aliases: tuple[str, ...]
    kind: str  # "lunar", "solar", "term" (a solar term: month is the month it falls in), "weekday"
    month: int = 0
    day: int = 0
    # For "weekday" festivals: the n-th given weekday of the month (Mother's Day: 2nd Sunday of May).
    nth: int = 0
    weekday: int = 0
    # How many days "X期间" covers, starting on the festival (国庆 is a 7-day holiday).
    period_days: int = 1
    # Days before the festival day that its holiday starts (除夕 for 春节).
    period_offset: int = 0
    english: str = ""


FESTIVALS: tuple[Festival, ...] = (
    Festival("春节", ("春节", "过年", "新春", "农历新年", "大年初一", "chinese new year", "spring festival",
                    "lunar new year", "正月初一"), "lunar", 1, 1, period_days=8, period_offset=1, english="Spring Festival"),
    Festival("除夕", ("除夕", "大年三十", "年三十", "大年夜", "new year's eve (lunar)"), "lunar", 1, 1, period_offset=0,
             english="Chinese New Year's Eve"),
    Festival("元宵", ("元宵节", "元宵", "上元节", "正月十五", "lantern festival"), "lunar", 1, 15, english="Lantern Festival"),
    Festival("端午", ("端午节", "端午", "端阳节", "五月初五", "dragon boat festival", "duanwu"), "lunar", 5, 5, period_days=3,
             english="Dragon Boat Festival"),
    Festival("七夕", ("七夕节", "七夕", "乞巧节", "qixi festival", "qixi", "chinese valentine's day"), "lunar", 7, 7,
             english="Qixi Festival"),
    Festival("中秋", ("中秋节", "中秋", "八月十五", "mid-autumn festival", "mid autumn festival", "mid-autumn", "moon festival"),
             "lunar", 8, 15, period_days=3, english="Mid-Autumn Festival"),
    Festival("重阳", ("重阳节", "重阳", "double ninth festival", "chongyang"), "lunar", 9, 9,
             english="Double Ninth Festival"),
    Festival("腊八", ("腊八节", "腊八", "腊月初八", "laba festival"), "lunar", 12, 8, english="Laba Festival"),
    Festival("小年", ("小年", "腊月二十三", "小年夜"), "lunar", 12, 23, english="Little New Year"),
    # The year-end banquet firms in Taiwan and southern China hold for their staff and customers (腊月十六).
    Festival("尾牙", ("尾牙", "尾牙宴", "weiya"), "lunar", 12, 16, english="Weiya (year-end banquet)"),
    Festival("清明", ("清明节", "清明", "qingming festival", "tomb-sweeping day", "qingming"), "term", 4,
             period_days=3, english="Qingming Festival"),
    # Solar terms shops sell on: 冬至 dumplings and 汤圆, 立秋's 「秋天的第一杯奶茶」, 立冬 dumplings, 夏至 noodles.
    Festival("冬至", ("冬至节", "冬至", "winter solstice", "dongzhi"), "term", 12, english="Winter Solstice"),
    Festival("立春", ("立春", "start of spring"), "term", 2, english="Start of Spring"),
    Festival("夏至", ("夏至", "summer solstice"), "term", 6, english="Summer Solstice"),
    Festival("立秋", ("立秋", "start of autumn"), "term", 8, english="Start of Autumn"),
    Festival("立冬", ("立冬", "start of winter"), "term", 11, english="Start of Winter"),
    Festival("元旦", ("元旦", "new year's day"), "solar", 1, 1, period_days=3,
             english="New Year's Day"),
    Festival("情人节", ("情人节", "valentine's day", "valentines day", "valentine"), "solar", 2, 14,
             english="Valentine's Day"),
    Festival("妇女节", ("妇女节", "三八节", "女神节", "女王节", "三八", "38节", "women's day"), "solar", 3, 8,
             english="Women's Day"),
    Festival("劳动节", ("劳动节", "五一", "5.1", "labor day", "labour day", "may day"), "solar", 5, 1,
             period_days=5, english="Labour Day"),
    Festival("520", ("520", "网络情人节"), "solar", 5, 20, english="520"),
    Festival("儿童节", ("儿童节", "六一", "children's day"), "solar", 6, 1, english="Children's Day"),
    Festival("618", ("618", "6.18", "六一八", "年中大促"), "solar", 6, 18, english="618"),
    Festival("教师节", ("教师节", "teachers' day", "teacher's day"), "solar", 9, 10, english="Teachers' Day"),
    Festival("国庆", ("国庆节", "国庆", "十一黄金周", "黄金周", "national day"), "solar", 10, 1, period_days=7,
             english="National Day"),
    Festival("万圣节", ("万圣节", "halloween"), "solar", 10, 31, english="Halloween"),
    Festival("双十一", ("双十一", "双11", "11.11", "光棍节", "double 11", "double eleven", "singles' day",
                     "singles day"), "solar", 11, 11, english="Double 11"),
    Festival("双十二", ("双十二", "双12", "12.12", "double 12", "double twelve"), "solar", 12, 12,
             english="Double 12"),
    Festival("平安夜", ("平安夜", "christmas eve"), "solar", 12, 24, english="Christmas Eve"),
    Festival("圣诞", ("圣诞节", "圣诞", "christmas", "xmas"), "solar", 12, 25, english="Christmas"),
    Festival("母亲节", ("母亲节", "mother's day", "mothers day"), "weekday", 5, nth=2, weekday=6,
             english="Mother's Day"),
    Festival("父亲节", ("父亲节", "father's day", "fathers day"), "weekday", 6, nth=3, weekday=6,
             english="Father's Day"),
    Festival("感恩节", ("感恩节", "thanksgiving"), "weekday", 11, nth=4, weekday=3, english="Thanksgiving"),
)

_BY_ALIAS: dict[str, Festival] = {}
for _f in FESTIVALS:
    for _alias in (_f.name, *_f.aliases):
        _BY_ALIAS.setdefault(_alias.lower(), _f)

# Longest names first so 双十一 is found before 十一, 中秋节 before 中秋.
_ALIASES_BY_LENGTH = sorted(_BY_ALIAS, key=len, reverse=True)
_ASCII_ALIAS = re.compile(r"^[\x00-\x7f]+$")


def _is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def find_festival(name: str) -> Festival | None:
    """The festival called ``name`` in either script or English (端午節, 双11, Mid-Autumn), or None."""
    key = to_simplified(name.strip()).lower()
    key = key.removesuffix("期间")
    return _BY_ALIAS.get(key) or _BY_ALIAS.get(key.removesuffix("节"))


def festivals_in(text: str) -> list[tuple[Festival, int, int]]:
    """Every festival named in ``text`` as (festival, start, end) offsets, in order, longest names first.

    ``text`` should be Simplified already (offsets refer to it); digit names such as 618 and 520 only
    count when not part of a longer number or date."""
    lower = text.lower()
    taken = [False] * len(text)
    found: list[tuple[Festival, int, int]] = []
    for alias in _ALIASES_BY_LENGTH:
        start = 0
        while (pos := lower.find(alias, start)) >= 0:
            end = pos + len(alias)
            start = pos + 1
            if any(taken[pos:end]):
                continue
            if _ASCII_ALIAS.match(alias):
                before = lower[pos - 1] if pos else " "
                after = lower[end] if end < len(lower) else " "
                if _is_ascii_alnum(before) or _is_ascii_alnum(after) or before in "./-" or after in "./-%":
                    continue
                if alias[0].isdigit() and (after in "月日号年万元块" or before in "年月"):
                    continue
            after_char = lower[end : end + 1]
            before_char = lower[pos - 1 : pos]
            if alias in ("五一", "六一", "三八") and (
                (after_char and after_char in "万千百十元块") or (before_char and before_char in "十百千万第")
            ):
                continue
            for i in range(pos, end):
                taken[i] = True
            found.append((_BY_ALIAS[alias], pos, end))
    return sorted(found, key=lambda item: item[1])


def _nth_weekday(year: int, month: int, nth: int, weekday: int) -> dt.date:
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (nth - 1))


def _solar_term(name: str, year: int, month: int) -> dt.date:
    """The day in ``month`` of ``year`` that the solar term ``name`` falls on (清明 2026 → 04-05, 冬至 2026 → 12-22)."""
    first = dt.date(year, month, 1)
    days = chinese_calendar.get_solar_terms(first, first.replace(day=28) + dt.timedelta(days=4))
    return next(day for day, term in days if term == name)


def festival_date(name: str, year: int) -> dt.date:
    """The date of festival ``name`` in ``year`` (端午 2026 → 2026-06-19; 清明 2026 → 2026-04-05; 冬至 2026 → 2026-12-22).

    Raises BriefError (field 'occasion') naming festivals that work when the name is unknown."""
    festival = find_festival(name)
    if festival is None:
        raise BriefError(
            f"festival '{name}' is not one Cehua knows: use a name such as 春节, 端午, 中秋, 国庆, 双十一 or 618",
            field="occasion",
        )
    return _date_of(festival, year)


def _date_of(festival: Festival, year: int) -> dt.date:
    if not 1901 <= year <= 2099:
        raise BriefError(
            f"festival '{festival.name}' in {year}: Cehua knows festival dates for 1901–2099; "
            f"give the year, e.g. {clock.today().year}",
            field="occasion",
        )
    if festival.kind == "lunar":
        if festival.name == "除夕":
            return LunarDate(year, 1, 1).to_solar_date() - dt.timedelta(days=1)
        return LunarDate(year, festival.month, festival.day).to_solar_date()
    if festival.kind == "term":
        return _solar_term(festival.name, year, festival.month)
    if festival.kind == "weekday":
        return _nth_weekday(year, festival.month, festival.nth, festival.weekday)
    return dt.date(year, festival.month, festival.day)


def festival_period(name: str, year: int) -> tuple[dt.date, dt.date]:
    """The days 「X期间」 covers in ``year``: the public holiday where there is one (国庆 10-01..10-07)."""
    festival = find_festival(name)
    day = festival_date(name, year)
    assert festival is not None
    start = day - dt.timedelta(days=festival.period_offset)
    return start, start + dt.timedelta(days=festival.period_days - 1)


def next_festival(name: str, today: dt.date | None = None) -> dt.date:
    """The next date of festival ``name`` after ``today`` (default: the real today)."""
    today = today or clock.today()
    for year in (today.year, today.year + 1):
        day = festival_date(name, year)
        if day > today:
            return day
    return festival_date(name, today.year + 2)


def festival_name(name: str, script: str = "zh-Hans") -> str:
    """The festival's name: English for ``script`` 'en', else Simplified (shown in the reader's script where
    it leaves Cehua); the input when unknown."""
    festival = find_festival(name)
    if festival is None:
        return name
    if script == "en":
        return festival.english or festival.name
    return festival.name


__all__ = ["FESTIVALS", "Festival", "festival_date", "festival_name", "festival_period", "festivals_in",
           "find_festival", "next_festival"]
