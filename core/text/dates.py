"""Dates and periods as planners write them: 2026-11-01, 2026/6/1, 11月1日, 10/20, 6.1, Oct 20,
ranges such as 11月1日到11日 (the end inherits month and year), and lengths such as 为期一周 / 共16天."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core.errors import BriefError
from core.text.amounts import normalize_number_text
from core.text.numerals import parse_english_number, parse_number

DATE_EXAMPLE = "write a date such as 2026-11-01 or 11月1日"

_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
           "sept": 9, "oct": 10, "nov": 11, "dec": 12}
_MON = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sept|sep|oct|nov|dec)[a-z]*\.?"

_TOKEN = re.compile(
    r"(?P<ymd>(?<!\d)(?P<y>\d{4})\s*(?:年|[-/.])\s*(?P<m>\d{1,2})\s*(?:月|[-/.])\s*(?P<d>\d{1,2})(?!\d)\s*(?:日|号)?)"
    r"|(?P<mdcn>(?<!\d)(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})(?!\d)\s*(?:日|号)?)"
    r"|(?P<mdslash>(?<![\d/.])(?P<m3>\d{1,2})/(?P<d3>\d{1,2})(?![\d/]))"
    r"|(?P<mddot>(?<![\d./])(?P<m4>\d{1,2})\.(?P<d4>\d{1,2})(?![\d.%])(?!\s*(?:万|元|折|倍|亿|w|k|m|%|块)))"
    rf"|(?P<en1>\b(?P<mon1>{_MON})\s+(?P<d5>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y5>\d{{4}})\b)?)"
    rf"|(?P<en2>\b(?P<d6>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon2>{_MON})(?:,?\s+(?P<y6>\d{{4}})\b)?)",
    re.IGNORECASE,
)
EN_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# Between the two ends of a range: 至 / 到 / - / to …, after an optional weekday (周四) or 起.
_CONNECTOR = re.compile(
    r"(?:\s*[(（]\s*(?:周|星期|礼拜)[一二三四五六日天]\s*[)）])?\s*(?:起\s*)?(?:至|到|~|～|-|—|–|－|to|until|through|thru)\s*"
    rf"(?:{EN_WEEKDAY},?\s+)?",  # 「… to Sunday 11 October」
    re.IGNORECASE,
)
_DAY_ONLY = re.compile(r"(?P<d>\d{1,2})(?!\d)\s*(?P<mark>日|号)?")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)(20\d{2})(?=\s*(?:年|[-/.]\d))")


@dataclass
class DateMention:
    """A date or date range found in text, with where it was found and whether its year was written."""

    start: dt.date
    end: dt.date | None
    pos: int
    endpos: int
    year_given: bool


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _token_parts(m: re.Match[str]) -> tuple[int | None, int, int, str]:
    """(year or None, month, day, kind) of a date token match."""
    if m.group("ymd"):
        return int(m.group("y")), int(m.group("m")), int(m.group("d")), "ymd"
    if m.group("mdcn"):
        return None, int(m.group("m2")), int(m.group("d2")), "mdcn"
    if m.group("mdslash"):
        return None, int(m.group("m3")), int(m.group("d3")), "slash"
    if m.group("mddot"):
        return None, int(m.group("m4")), int(m.group("d4")), "dot"
    if m.group("en1"):
        year = m.group("y5")
        return (int(year) if year else None), _MONTHS[m.group("mon1").lower()[:3]], int(m.group("d5")), "en"
    year = m.group("y6")
    return (int(year) if year else None), _MONTHS[m.group("mon2").lower()[:3]], int(m.group("d6")), "en"


def infer_year(text: str) -> int | None:
    """The year a text is about: the most often written 20xx year, the earliest on a tie; None if none."""
    s = normalize_number_text(text)
    years = [int(y) for y in _YEAR_IN_TEXT.findall(s)]
    years += [int(y) for y in re.findall(r"(?<!\d)(20\d{2})\s*年", s)]
    # English dates that write their year: 10 October 2026, Oct 10, 2026.
    years += [int(y) for m in _TOKEN.finditer(s) if (y := m.group("y5") or m.group("y6"))]
    if not years:
        return None
    return min(set(years), key=lambda y: (-years.count(y), y))


def titled_year(title: str, text: str) -> int | None:
    """The year a plan is about: the one 20xx year its title writes (「茗香茶业2027年度营销计划」, however often
    its review chapter writes 2026), else ``infer_year(text)``."""
    written = {int(y) for y in re.findall(r"(?<!\d)(20\d{2})(?!\d)", normalize_number_text(title or ""))}
    return written.pop() if len(written) == 1 else infer_year(text)


def find_dates(text: str, default_year: int | None = None, *, dots: bool = False) -> list[DateMention]:
    """Every date and date range in ``text`` in order. Dates without a year take the year of the previous
    date in the text, else ``default_year`` (skipped when there is none). ``dots`` also reads 6.1 as
    June 1st (only where a number like 6.1 cannot be an amount, e.g. a timeline table)."""
    s = normalize_number_text(text)
    mentions: list[DateMention] = []
    pos = 0
    last_year = default_year
    while (m := _TOKEN.search(s, pos)) is not None:
        pos = m.end()
        year, month, day, kind = _token_parts(m)
        if kind == "dot" and not dots:
            continue
        year_given = year is not None
        use_year = year if year is not None else last_year
        if use_year is None:
            continue
        start = _safe_date(use_year, month, day)
        if start is None:
            continue
        if year_given:
            last_year = year
        end: dt.date | None = None
        endpos = m.end()
        conn = _CONNECTOR.match(s, m.end())
        if conn:
            nxt = _TOKEN.match(s, conn.end())
            if nxt and not (_token_parts(nxt)[3] == "dot" and not dots):
                y2, m2, d2, _ = _token_parts(nxt)
                end = _safe_date(y2 if y2 is not None else start.year, m2, d2)
                if end is not None and y2 is None and end.month < start.month:
                    end = _safe_date(start.year + 1, m2, d2)  # 12月25日至1月5日 crosses the year
                if y2 is not None:
                    last_year = y2
                    if not year_given:
                        # 「Oct 20 to Oct 27, 2027」: the year written once at the end covers both.
                        start = _safe_date(y2 if month <= m2 else y2 - 1, month, day) or start
                        year_given = True
                endpos = nxt.end()
            else:
                day_only = _DAY_ONLY.match(s, conn.end())
                # 「11月1日到11日」: a bare day needs 日/号 after a Chinese date, nothing after 6.1-18 / Oct 20-27.
                if day_only and (day_only.group("mark") or kind in ("dot", "en", "slash")):
                    end = _safe_date(start.year, start.month, int(day_only.group("d")))
                    if end is not None:
                        endpos = day_only.end()
            pos = max(pos, endpos)
        mentions.append(DateMention(start, end, m.start(), endpos, year_given))
    return mentions


def parse_date(value: str | dt.date, default_year: int | None = None, *, field: str = "date",
               source: str = "brief") -> dt.date:
    """The single date written in ``value`` (2026-11-01, 2026/6/1, 11月1日, Oct 20 …).

    Raises BriefError naming ``field`` and ``source`` when it is not a date, or has no year and
    ``default_year`` is None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    found = find_dates(text, default_year, dots=True)
    if len(found) == 1 and found[0].end is None and found[0].pos == 0 and found[0].endpos >= len(
        normalize_number_text(text).rstrip()
    ):
        return found[0].start
    raise BriefError(f"{field} '{text}' in {source}: {DATE_EXAMPLE}", field=field)


_DURATION = re.compile(
    r"(?:为期|历时|持续|共计|共|总计|合计|全程|(?:活动)?(?:周期|时长|天数)\s*[:：为]?|period of|for|lasting|lasts|over)\s*"
    r"(?P<n>\d+|[零一二两三四五六七八九十百半]+)\s*(?:个)?\s*(?P<unit>天|日|周|星期|礼拜|个月|月|days?|weeks?|months?)",
    re.IGNORECASE,
)
# 「9月10日-9月25日(16天)」: a bare length in brackets right after a range.
_DURATION_BRACKET = re.compile(r"[(（]\s*(?:共|计|共计)?\s*(?P<n>\d+|[一二两三四五六七八九十]+)\s*(?P<unit>天|日|days?)\s*[)）]",
                               re.IGNORECASE)
# English lengths: 'for two weeks', 'over 10 days', and the adjective a planner writes before a noun ('a four-week
# push', 'a 10-day sprint', 'a twenty-one-day run'); the number is read by parse_english_number.
_EN_COUNT = r"(?:\d+|an?|[a-z]+(?:[- ][a-z]+)?)"
_DURATION_EN = re.compile(
    rf"(?:for|lasting|lasts|over|spanning)\s+(?P<n>{_EN_COUNT})\s+(?P<unit>days?|weeks?|months?)\b",
    re.IGNORECASE,
)
_DURATION_EN_ADJ = re.compile(r"\b(?P<n>\d+|[a-z]+(?:-[a-z]+)?)-(?P<unit>day|week|month)\b", re.IGNORECASE)


@dataclass
class DurationMention:
    """A stated length such as 为期5天 (days counted inclusively) and where it was found."""

    days: int
    pos: int
    endpos: int
    unit: str


def _count(n: str) -> float | None:
    if n.isdigit():
        return float(n)
    if n == "半":
        return 0.5
    if n.startswith("半"):
        return None
    value = parse_number(n.replace("半", ""))
    if value is None:
        return None
    return value + (0.5 if n.endswith("半") else 0.0)


def find_durations(text: str) -> list[DurationMention]:
    """Every stated length in ``text`` (为期一周 → 7 days, 共16天 → 16, 半个月 → 15, for two weeks → 14)."""
    s = normalize_number_text(text)
    found: list[DurationMention] = []
    for regex in (_DURATION, _DURATION_EN, _DURATION_EN_ADJ, _DURATION_BRACKET):
        for m in regex.finditer(s):
            n = m.group("n").lower()
            english = regex is _DURATION_EN or regex is _DURATION_EN_ADJ
            count = parse_english_number(n) if english else _count(n)
            if count is None or count <= 0:
                continue
            unit = m.group("unit").lower()
            if unit in ("周", "星期", "礼拜") or unit.startswith("week"):
                days = count * 7
            elif unit in ("个月", "月") or unit.startswith("month"):
                days = count * 30
            else:
                days = count
            if unit == "月" and not n.startswith("半") and "个" not in m.group(0):
                continue  # 共3月 is more likely a month name than a length
            if any(f.pos < m.end() and m.start() < f.endpos for f in found):
                continue
            found.append(DurationMention(int(days), m.start(), m.end(), unit))
    return sorted(found, key=lambda d: d.pos)


def next_on_or_after(month: int, day: int, anchor: dt.date) -> dt.date:
    """The first ``month``-``day`` on or after ``anchor``: the year a date written without one is in, in a plan
    that runs from ``anchor`` (春节 2/6 in a plan from 2026-12-10 is 2027's; a 2/29 that year lacks is 2/28)."""
    for year in (anchor.year, anchor.year + 1):
        found = _safe_date(year, month, day) or _safe_date(year, month, day - 1)
        if found is not None and found >= anchor:
            return found
    raise AssertionError("unreachable: a month-day recurs within a year")


def years_later(day: dt.date, years: int) -> dt.date:
    """``day`` the given number of years later (2/29 becomes 2/28 in a year without one)."""
    return _safe_date(day.year + years, day.month, day.day) or dt.date(day.year + years, day.month, 28)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months (clamped to the month's last day)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        result = _safe_date(year, month, d)
        if result is not None:
            return result
    raise AssertionError("unreachable")


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return add_months(day.replace(day=1), 1) - dt.timedelta(days=1)


__all__ = ["DATE_EXAMPLE", "DateMention", "DurationMention", "add_months", "find_dates", "find_durations",
           "infer_year", "month_end", "next_on_or_after", "parse_date", "titled_year", "years_later"]
