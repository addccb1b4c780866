"""When a campaign runs, read from what a planner writes: 「下个月1号到15号」, 「春节前两周到元宵节」,
「九月十日开始,到中秋当天结束」, 「12月4日当天」, 「就搞一天,下周六」, 「国庆期间」, 「为期三天」,
「一月份」, 「1月到6月」, 「明年一季度」, 「上半年」, 「2027年度」, "Feb 1 to Feb 14", "Q2 2027", "this Saturday".

The text is cut into *time anchors* (a date, a festival with its offset, a weekday, a month, a year);
each anchor resolves to a span relative to a reference day. Words around an anchor give it a role:
開始/起 make it the start, 到/至/until before it or 结束/为止 after it make it the end. The first anchor
resolves against today, later ones against the start, so 「九月十日…到中秋」 means the 中秋 after 9-10.
A window with a start but no end takes a stated length (为期一周, 两天), a one-day word (当天, 就一天), the
festival it leads up to, or, for a single date with nothing after it, that one day.

Conventions for the vaguer words (the README's "Using it" lists them with examples):
- parts of a month: 上旬/月初/初/early 1st–10th, 中旬/月中/中/mid 11th–20th, 下旬/月底/月末/月尾/late 21st–last day;
  a bare 月底/月尾/月初/月中 is this month's (or, closing a window, the start's month's);
- 「X前」 closing a window ends it the day before a day X (元旦前 → 12-31, 春节前 → 除夕) and at the end of a
  span X (月底前 → the month's last day); 「X后」 with no count starts the day after X's holiday;
- 年前/年后/过年后 are 春节's: 年后 (年后开工) is the day after the 春节 holiday (festival_period);
- 「X前后」 is the week either side of festival X's day (春节前后 → day −7 … day +7).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lunardate import LunarDate

from assistant.briefs.festivals import FESTIVALS, Festival, festival_date, festival_period, festivals_in
from assistant.briefs.numerals import chinese_count
from core.text.dates import add_months, find_dates, find_durations, month_end

Span = tuple[dt.date, dt.date]


@dataclass
class Anchor:
    """A time expression at ``pos..endpos`` of the text; ``resolve(ref)`` gives its span on or after ``ref``."""

    pos: int
    endpos: int
    resolve: Callable[[dt.date], Span]
    level: str  # "day" (a date, festival, weekday), "month", "year"
    kind: str = ""  # "range" when the anchor is itself a start-to-end range, "festival", "date", "weekday"
    point_end: bool = False  # a festival whose period (国庆 1–7) is meant when it closes a window (到国庆结束)
    festival: str = ""
    role: str = ""  # "start", "end" or ""
    offset: bool = False  # 春节前两周 / 元旦后一周: a day measured from a festival
    one_day: bool = False  # 当天 / 那天 right after it
    before: bool = False  # 「X前」 closing a window: it ends the day before a day X, at the end of a span X
    vague: bool = False  # 「圣诞节前后」: a window of its own, unless dates are written (12/20到12/31)


@dataclass
class Window:
    """The campaign's start and end (None when not said) and the festival or occasion it is built on."""

    start: dt.date | None
    end: dt.date | None
    occasion: str = ""
    # Where the text names time (dates, festivals, 月底, 年后 …): never a product or a brand.
    spans: list[tuple[int, int]] = field(default_factory=list)


_N = r"(?P<n>\d+|[零一二两三四五六七八九十半]+)"
_UNIT = r"(?P<unit>天|日|周|星期|礼拜|个月|月)"
_FESTIVAL_OFFSET = re.compile(rf"^\s*节?\s*(?:的)?\s*(?P<dir>之?前|之?后|以前|以后)\s*{_N}\s*(?:个)?\s*{_UNIT}")
_FESTIVAL_OFFSET_EN = re.compile(r"(?P<n>\d+|one|two|three|four|five|six|seven|ten|a)\s+(?P<unit>days?|weeks?|months?)"
                                 r"\s+(?P<dir>before|after)\s*(?:the\s*)?$", re.IGNORECASE)
_DURING = re.compile(r"^\s*节?\s*(?:假期)?\s*(?:[\d一二两三四五六七八九十]+\s*天\s*)?(?:期间|黄金周|小长假|长假|假期)"
                     r"|^\s*节?\s*(?=[\d一二两三四五六七八九十]+\s*天)")
_FESTIVAL_WEEKEND = re.compile(r"^\s*节?\s*(?:那个?|当|的|所在的?)\s*周末")
_ON_DAY = re.compile(r"^\s*(?:节|大促)?\s*(?:当天|当日|那天|那一天|这一天|当晚)")
_START_AFTER = re.compile(r"^\s*(?:节|当天|当日|那天)?\s*(?:开始|开启|启动|起|上线|开卖|开抢)|^\s*onwards?", re.IGNORECASE)
_END_AFTER = re.compile(r"^\s*(?:节|当天|当日|那天|假期|黄金周)?\s*(?:结束|为止|截止|收官|止|落幕)")
# 「元旦前」「月底前」 with no count after 前 (春节前两周 is an offset; 前后 is around it): the window's end.
_BEFORE_AFTER = re.compile(r"^\s*(?:节|当天)?\s*(?:之|以)?前(?![\d零一二两三四五六七八九十半几后期夕])")
_END_BEFORE = re.compile(r"(?:到|至|直到|一直到|持续到|截止到|截至|until|till|to|through|thru|ending|ends?\s+on)\s*"
                         r"(?:the\s+)?(?:明年|今年)?\s*$", re.IGNORECASE)
_START_BEFORE = re.compile(r"(?:从|自|于|from|starting|starts?\s+on|beginning)\s*(?:the\s+)?$", re.IGNORECASE)
# What joins the two ends of a span (1月到6月, 12月至明年2月), and a festival that opens one (元旦到春节; not 双十一到了).
_RANGE_JOIN = re.compile(r"\s*(?:份)?\s*(?:到|至|一直到|-|~|～|—|to|through|until)\s*(?:明年|今年|next year)?\s*",
                         re.IGNORECASE)
_RANGE_AFTER = re.compile(r"^\s*(?:节)?\s*(?:到|至|一直到|~|～|—)(?!了|来|啦)")
_PERIOD_END = re.compile(r"^\s*(?:节|假期|黄金周|长假)?\s*(?:结束|假期结束|收假)")

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_EN_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_WEEKDAY = re.compile(r"(?P<which>下下|下个?|本|这个?|今)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])(?![一二三四五六日天]*(?:个|天))")
_WEEKDAY_EN = re.compile(r"\b(?P<which>this|next|coming)?\s*(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
                         re.IGNORECASE)
_WEEKEND = re.compile(r"(?P<which>下下|下个?|本|这个?|今)?(?:周末|礼拜天?末)|\b(?P<en>this|next|coming)\s+weekend\b",
                      re.IGNORECASE)
_RELATIVE_WEEK = re.compile(r"(?:下下|下个?)(?:周|星期|礼拜)(?![一二三四五六日天末])|\bnext week\b", re.IGNORECASE)
_RELATIVE_DAY = re.compile(r"今天|明天|后天|\btoday\b|\btomorrow\b", re.IGNORECASE)
_RELATIVE_MONTH = re.compile(r"(?P<w>下下个?月|下个?月|本月|这个?月|next month|this month)", re.IGNORECASE)
_PART_OF_MONTH = re.compile(r"\s*(?:的)?\s*(?P<p>上旬|月初|初|中旬|月中|中(?![国心学华部秋午])|下旬|月底|月末|月尾|底|末|尾)")
# A part of a month with no month before it (月底前, 到月尾, 月初搞): this month's, or the start's month's.
_BARE_PART = re.compile(r"(?<![\d一二三四五六七八九十个本这下上每正腊冬闰])月(?P<p>初|中旬|中(?![国心学华部秋午])|底|末|尾)")
_PART_EN = re.compile(r"\b(?P<p>early|mid|late|end of|beginning of|start of)[- ]+(?:of\s+)?(?P<mon>january|february|march|"
                      r"april|may|june|july|august|september|october|november|december)\b", re.IGNORECASE)
_EN_PARTS = {"early": "初", "beginning of": "初", "start of": "初", "mid": "中", "late": "底", "end of": "底"}
_BARE_DAY = re.compile(r"(?<![\d/.\-])(?P<d>\d{1,2})\s*(?:号|日)(?!\d)")
_MONTH = re.compile(
    r"(?P<y>明年|今年|20\d{2}\s*年)?\s*(?:整个)?(?P<m>\d{1,2})\s*月(?P<whole>份|全月|整月|一整月|整个月|一个月)?(?!\s*\d)"
)
_MONTH_EN = re.compile(r"\b(?:in|during|for|throughout|all of)\s+(?P<mon>january|february|march|april|may|june|july|"
                       r"august|september|october|november|december)\b(?!\s+\d)", re.IGNORECASE)
_EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december")
_YEAR = re.compile(r"(?P<y>明年|今年|20\d{2}\s*年)\s*(?:度|全年|整年|一整年)|(?P<y2>20\d{2})\s*(?:年度|全年)|"
                   r"(?P<y3>明年|今年)全年|\b(?:annual|yearly|full[- ]year)\b[^.;]{0,40}?\b(?:for|in)\s+(?P<y4>20\d{2})\b|"
                   r"\b(?P<y5>20\d{2})\s+(?:annual|yearly|full[- ]year)\b", re.IGNORECASE)
_ONE_DAY = re.compile(r"(?:就|只)?(?:搞|办|做|开|办个|做个)?\s*(?:一天|1天)(?![\d])|当天|当日|just one day|one day only|a one-day|"
                      r"\bone[- ]day\b", re.IGNORECASE)
_BARE_DAYS = re.compile(rf"(?<![前后\d零一二两三四五六七八九十半]){_N}\s*(?:个)?\s*(?P<unit>天|日)(?!\s*(?:内|前|后|之))")
_BARE_WEEKS = re.compile(rf"(?<![前后下本这上\d零一二两三四五六七八九十半]){_N}\s*(?:个)?\s*(?:周|星期|礼拜)(?![末一二三四五六日天])")
_QUARTER = re.compile(r"(?P<y>明年|今年|20\d{2}\s*年)?\s*(?:的)?\s*第?(?P<q>[1-4一二三四])\s*季度|"
                      r"\b[Qq](?P<q2>[1-4])(?:\s*(?:of\s+)?(?P<y2>20\d{2}|next year|this year))?\b", re.IGNORECASE)
_HALF = re.compile(r"(?P<y>明年|今年|20\d{2}\s*年)?\s*(?:的)?\s*(?P<h>上|下)半年|"
                   r"\b(?P<h2>first|second)\s+half\s+of\s+(?:the\s+)?(?P<y2>next year|this year|20\d{2})|"
                   r"\bH(?P<h3>[12])(?:\s*(?P<y3>20\d{2}))?\b", re.IGNORECASE)
_YEAR_WORD = re.compile(r"(明年|今年|next year|this year)\s*$", re.IGNORECASE)
_EN_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10, "a": 1}


def _fixed(span: Span) -> Callable[[dt.date], Span]:
    """A resolver that gives ``span`` whatever the reference day (today-relative words: 下周六, 本周末)."""
    return lambda ref: span


def _part_span(first: dt.date, which: str) -> Span:
    """上旬 1–10, 中旬 11–20, 下旬/月底 21–end of the month starting ``first``."""
    if which in ("上旬", "月初", "初"):
        return first, first.replace(day=10)
    if which in ("中旬", "月中", "中"):
        return first.replace(day=11), first.replace(day=20)
    return first.replace(day=21), month_end(first)


def _count(n: str) -> float | None:
    n = n.lower()
    if n in _EN_COUNTS:
        return float(_EN_COUNTS[n])
    return chinese_count(n)


def _shift(day: dt.date, n: float, unit: str, sign: int) -> dt.date:
    unit = unit.lower()
    if unit in ("个月", "月") or unit.startswith("month"):
        if n == 0.5:
            return day + dt.timedelta(days=15 * sign)
        return add_months(day, int(n) * sign)
    days = n * 7 if unit in ("周", "星期", "礼拜") or unit.startswith("week") else n
    return day + dt.timedelta(days=int(days) * sign)


def _festival_on_or_after(festival: Festival, ref: dt.date, year: int | None = None) -> dt.date:
    if year is not None:
        return festival_date(festival.name, year)
    for y in (ref.year - 1, ref.year, ref.year + 1, ref.year + 2):
        day = festival_date(festival.name, y)
        # A festival's period still running on ref (国庆 on 10-03) counts as this one.
        if festival_period(festival.name, y)[1] >= ref:
            return day
    return festival_date(festival.name, ref.year + 2)


def _year_word(text: str, pos: int, today: dt.date) -> int | None:
    m = _YEAR_WORD.search(text[max(0, pos - 8):pos])
    if m is None:
        y = re.search(r"(20\d{2})\s*年?\s*$", text[max(0, pos - 8):pos])
        return int(y.group(1)) if y else None
    return today.year + (1 if m.group(1).lower() in ("明年", "next year") else 0)


# The festival named before, referred back to: "Mid-Autumn …, Sept 1 to the festival", 「端午…到节日当天」.
# 「年前」「年后」「年后开工」: the year is 春节's (not 一年后, 今年前, 三年前).
_NEW_YEAR_WORD = re.compile(r"(?<![\d零〇一二两三四五六七八九十今明去前后半每当新跨整周学财往同那这历])年(?=前后|前|后)")
_AROUND = re.compile(r"^\s*节?\s*前后")
_AFTER_HOLIDAY = re.compile(r"^\s*节?\s*(?:假期)?\s*(?:之|以)?后(?![\d零一二两三四五六七八九十半几])(?:\s*(?:开工|复工|返工)季?)?")
_AROUND_DAYS = 7

_FESTIVAL_AGAIN = re.compile(r"\b(?:the|that) (?:festival|holiday)(?: day| itself)?\b|节日当天|过节当天|节日那天", re.I)


def _festival_anchors(s: str, today: dt.date) -> list[Anchor]:
    anchors: list[Anchor] = []
    named = festivals_in(s)
    spring = next(f for f in FESTIVALS if f.name == "春节")
    named += [(spring, m.start(), m.end()) for m in _NEW_YEAR_WORD.finditer(s)
              if not any(a <= m.start() < b for _, a, b in named)]
    for festival, pos, fend in sorted(named, key=lambda x: x[1]):
        rest = s[fend:fend + 24]
        year = _year_word(s, pos, today)
        offset = _FESTIVAL_OFFSET.match(rest)
        offset_en = _FESTIVAL_OFFSET_EN.search(s[max(0, pos - 30):pos])
        if offset or offset_en:
            m = offset or offset_en
            assert m is not None
            n = _count(m.group("n"))
            if n is None:
                continue
            sign = -1 if m.group("dir").lower().endswith(("前", "before")) else 1
            unit = m.group("unit")

            def resolve(ref: dt.date, f: Festival = festival, n: float = n, unit: str = unit, sign: int = sign,
                        year: int | None = year) -> Span:
                # The offset is from the festival the window leads up to (or follows): its next occurrence
                # whose offset day is still ahead of ref.
                day = _festival_on_or_after(f, ref, year)
                target = _shift(day, n, unit, sign)
                if target < ref and year is None:
                    target = _shift(_festival_on_or_after(f, day + dt.timedelta(days=1)), n, unit, sign)
                return target, target

            start_pos = pos - (len(offset_en.group(0)) if offset_en and not offset else 0)
            end_pos = fend + (offset.end() if offset else 0)
            anchors.append(Anchor(start_pos, end_pos, resolve, "day", "festival", festival=festival.name, offset=True))
            continue
        around = _AROUND.match(rest)
        if around:
            def resolve_around(ref: dt.date, f: Festival = festival, year: int | None = year) -> Span:
                day = _festival_on_or_after(f, ref + dt.timedelta(days=_AROUND_DAYS), year)
                return day - dt.timedelta(days=_AROUND_DAYS), day + dt.timedelta(days=_AROUND_DAYS)

            anchors.append(Anchor(pos, fend + around.end(), resolve_around, "day", "festival-period",
                                  festival=festival.name, vague=True))
            continue
        after_holiday = _AFTER_HOLIDAY.match(rest)
        if after_holiday:
            def resolve_after(ref: dt.date, f: Festival = festival, year: int | None = year) -> Span:
                # The day after the holiday that is still ahead (年后 said in March is next year's).
                for y in ((year,) if year else (ref.year - 1, ref.year, ref.year + 1)):
                    day = festival_period(f.name, y)[1] + dt.timedelta(days=1)
                    if day >= ref or year:
                        return day, day
                return day, day

            anchors.append(Anchor(pos, fend + after_holiday.end(), resolve_after, "day", "festival",
                                  festival=festival.name, role="start"))
            continue
        weekend = _FESTIVAL_WEEKEND.match(rest)
        if weekend:
            def resolve_weekend(ref: dt.date, f: Festival = festival, year: int | None = year) -> Span:
                day = _festival_on_or_after(f, ref, year)
                saturday = day + dt.timedelta(days=5 - day.weekday()) if day.weekday() != 6 else day - dt.timedelta(days=1)
                return saturday, saturday + dt.timedelta(days=1)

            anchors.append(Anchor(pos, fend + weekend.end(), resolve_weekend, "day", "weekend", festival=festival.name))
            continue
        during = _DURING.match(rest) or re.search(r"during\s*(?:the\s*)?$", s[max(0, pos - 12):pos], re.I)

        def resolve_day(ref: dt.date, f: Festival = festival, year: int | None = year) -> Span:
            day = _festival_on_or_after(f, ref, year)
            return day, day

        def resolve_period(ref: dt.date, f: Festival = festival, year: int | None = year) -> Span:
            day = _festival_on_or_after(f, ref, year)
            return festival_period(f.name, day.year)

        on_day = _ON_DAY.match(rest)
        endpos = fend + (during.end() if isinstance(during, re.Match) and during.string == rest else 0)
        anchor = Anchor(pos, max(endpos, fend + (on_day.end() if on_day else 0)),
                        resolve_period if during else resolve_day, "day", "festival-period" if during else "festival",
                        festival=festival.name, one_day=bool(on_day))
        if not during and _PERIOD_END.match(rest) and festival.period_days > 1:
            anchor.point_end = True
            anchor.resolve = resolve_period
        anchors.append(anchor)
    return anchors + _festival_again(s, today)


def _festival_again(s: str, today: dt.date) -> list[Anchor]:
    """「the festival」 after a festival was named: that festival's day (its next occurrence on or after ref)."""
    named = festivals_in(s)
    anchors = []
    for m in _FESTIVAL_AGAIN.finditer(s):
        before = [f for f, pos, _ in named if pos < m.start()]
        if not before:
            continue

        def resolve(ref: dt.date, f: Festival = before[-1]) -> Span:
            day = _festival_on_or_after(f, ref)
            return day, day

        anchors.append(Anchor(m.start(), m.end(), resolve, "day", "festival", festival=before[-1].name, one_day=True))
    return anchors


def _date_anchors(s: str, today: dt.date, month_ref: Callable[[dt.date], dt.date] | None,
                  taken: list[tuple[int, int]]) -> list[Anchor]:
    anchors: list[Anchor] = []
    dots = bool(re.search(r"(?<![\d.])\d{1,2}\.\d{1,2}\s*(?:-|~|～|至|到|—)\s*\d{1,2}\.\d{1,2}(?![\d.])", s))
    for mention in find_dates(s, 2000, dots=dots):
        year_given = mention.year_given
        start, end = mention.start, mention.end

        def resolve(ref: dt.date, start: dt.date = start, end: dt.date | None = end, year_given: bool = year_given,
                    pos: int = mention.pos) -> Span:
            if year_given:
                return start, end or start
            year = _year_word(s, pos, today) or ref.year
            shift = year - start.year
            a = start.replace(year=start.year + shift)
            b = (end or start)
            b = b.replace(year=b.year + shift)
            if b < ref and _year_word(s, pos, today) is None:
                a, b = a.replace(year=a.year + 1), b.replace(year=b.year + 1)
            return a, b

        anchors.append(Anchor(mention.pos, mention.endpos, resolve, "day", "range" if end else "date"))
    # 「下个月1号到15号」「大概15号到25号」: days without a month take the month said before them.
    if month_ref is not None:
        for m in _BARE_DAY.finditer(s):
            if any(a <= m.start() < b for a, b in taken) or any(a.pos <= m.start() < a.endpos for a in anchors):
                continue
            day = int(m.group("d"))

            def resolve_bare(ref: dt.date, day: int = day) -> Span:
                first = month_ref(ref)
                target = first.replace(day=min(day, month_end(first).day))
                return target, target

            anchors.append(Anchor(m.start(), m.end(), resolve_bare, "day", "date"))
    return anchors


# A day of the lunar calendar: 正月初八, 腊月廿八, and the New Year's own 年初一…年初七 / 年廿八 / 年三十
# (年初X is the first month's; 年廿X and 年三十 the last month's, before the New Year).
_LUNAR_DAY = re.compile(r"(?P<m>正月|腊月|冬月|大年|年)(?P<d>初[一二三四五六七八九十]|十[一二三四五六七八九]|二十[一二三四五六七八九]?|"
                        r"廿[一二三四五六七八九]?|三十|卅)(?![一二三四五六七八九十\d]|月|季|个)")
_DIGITS = "一二三四五六七八九"


def lunar_day_spans(s: str) -> list[tuple[int, int]]:
    """Where ``s`` names a day of the lunar calendar (年初一, 腊月廿八): time, not a product or a brand."""
    return [m.span() for m in _LUNAR_DAY.finditer(s)]


def _lunar_day_number(d: str) -> int:
    if d.startswith("初"):
        return 10 if d[1] == "十" else _DIGITS.index(d[1]) + 1
    if d in ("三十", "卅"):
        return 30
    tens = 10 if d.startswith("十") else 20
    ones = d[1:] if d[0] in "十廿" else d[2:]  # 廿八 / 二十八
    return tens + (_DIGITS.index(ones) + 1 if ones else 0)


def _lunar_anchors(s: str, taken: list[tuple[int, int]]) -> list[Anchor]:
    """Days of the lunar calendar named in ``s`` (outside the spans ``taken`` by festivals), each resolving
    to its next occurrence on or after the reference day."""
    anchors = []
    for m in _LUNAR_DAY.finditer(s):
        if any(a <= m.start() < b for a, b in taken):
            continue
        day = _lunar_day_number(m.group("d"))
        word = m.group("m")
        month = {"正月": 1, "腊月": 12, "冬月": 11}.get(word) or (1 if m.group("d").startswith("初") else 12)

        def resolve(ref: dt.date, month: int = month, day: int = day) -> Span:
            for year in (ref.year - 1, ref.year, ref.year + 1):
                try:
                    solar = LunarDate(year, month, day).to_solar_date()
                except ValueError:  # 年三十 in a 29-day month is its last day
                    solar = LunarDate(year, month, day - 1).to_solar_date()
                if solar >= ref:
                    return solar, solar
            raise AssertionError("a lunar day recurs within two years")  # pragma: no cover

        anchors.append(Anchor(m.start(), m.end(), resolve, "day", "date"))
    return anchors


def _weekday_anchors(s: str, today: dt.date) -> list[Anchor]:
    anchors: list[Anchor] = []
    monday = today - dt.timedelta(days=today.weekday())

    def week_start(which: str) -> dt.date:
        which = (which or "").lower()
        if which.startswith("下下"):
            return monday + dt.timedelta(days=14)
        if which.startswith(("下", "next", "coming")):
            return monday + dt.timedelta(days=7)
        return monday

    for m in _WEEKEND.finditer(s):
        base = week_start(m.group("which") or m.group("en") or "")
        sat = base + dt.timedelta(days=5)
        if sat + dt.timedelta(days=1) < today:
            sat += dt.timedelta(days=7)
        span = (sat, sat + dt.timedelta(days=1))
        anchors.append(Anchor(m.start(), m.end(), _fixed(span), "day", "weekend"))
    for m in list(_WEEKDAY.finditer(s)) + list(_WEEKDAY_EN.finditer(s)):
        if any(a.pos <= m.start() < a.endpos for a in anchors):
            continue
        wd = _WEEKDAYS[m.group("wd")] if m.group("wd") in _WEEKDAYS else _EN_WEEKDAYS[m.group("wd").lower()]
        which = m.group("which") or ""
        # 「本周六周日」: a bare weekday right after another belongs to the same week.
        prev = anchors[-1] if anchors and anchors[-1].kind == "weekday" and m.start() - anchors[-1].endpos <= 2 else None
        if prev is not None:
            base = prev.resolve(today)[0] - dt.timedelta(days=prev.resolve(today)[0].weekday())
        else:
            base = week_start(which)
        day = base + dt.timedelta(days=wd)
        if day < today and not which:
            day += dt.timedelta(days=7)
        anchors.append(Anchor(m.start(), m.end(), _fixed((day, day)), "day", "weekday"))
    for m in _RELATIVE_WEEK.finditer(s):
        if any(a.pos <= m.start() < a.endpos for a in anchors):
            continue
        base = week_start(m.group(0))
        span = (base, base + dt.timedelta(days=6))
        anchors.append(Anchor(m.start(), m.end(), _fixed(span), "day", "week"))
    for m in _RELATIVE_DAY.finditer(s):
        offsets = {"今天": 0, "today": 0, "明天": 1, "tomorrow": 1, "后天": 2}
        day = today + dt.timedelta(days=offsets[m.group(0).lower()])
        anchors.append(Anchor(m.start(), m.end(), _fixed((day, day)), "day", "date"))
    return anchors


def _months_span(today: dt.date, first_month: int, months: int, year_text: str | None) -> Callable[[dt.date], Span]:
    """A resolver for ``months`` months from ``first_month`` (a quarter, a half year): in the year written
    (明年, 2027年, next year), else the first such span that starts on or after ``ref``'s month."""
    def resolve(ref: dt.date) -> Span:
        if year_text:
            text = year_text.lower()
            year = today.year + 1 if ("明年" in text or "next" in text) else today.year if (
                "今年" in text or "this" in text) else int(re.sub(r"\D", "", text))
        else:
            year = ref.year if dt.date(ref.year, first_month, 1) >= ref.replace(day=1) else ref.year + 1
        first = dt.date(year, first_month, 1)
        return first, add_months(first, months) - dt.timedelta(days=1)

    return resolve


def _month_anchors(s: str, today: dt.date) -> list[Anchor]:
    anchors: list[Anchor] = []
    for m in _RELATIVE_MONTH.finditer(s):
        w = m.group("w").lower()
        months = 2 if w.startswith("下下") else 1 if w.startswith(("下", "next")) else 0
        first = add_months(today.replace(day=1), months)
        part = _PART_OF_MONTH.match(s, m.end())
        if part:
            anchors.append(Anchor(m.start(), part.end(), _fixed(_part_span(first, part.group("p"))), "day", "month-part"))
            continue
        anchors.append(Anchor(m.start(), m.end(), _fixed((first, month_end(first))), "month", "month"))
    for m in _MONTH.finditer(s):
        month = int(m.group("m"))
        if not 1 <= month <= 12:
            continue
        after = s[m.end():m.end() + 1]
        part = None if m.group("whole") else _PART_OF_MONTH.match(s, m.end())
        closes_range = re.search(r"月份?\s*(?:到|至|一直到|-|~|～|—)\s*$", s[:m.start()]) is not None
        if not m.group("whole") and not part and after and after not in ",，。;；、 做搞办开在的期到至-~～—" \
                and not after.isspace() and not closes_range:
            continue
        year_text = m.group("y")

        def resolve(ref: dt.date, month: int = month, year_text: str | None = year_text) -> Span:
            if year_text:
                year = (today.year + 1 if "明年" in year_text else today.year if "今年" in year_text
                        else int(re.sub(r"\D", "", year_text)))
            else:
                year = ref.year if dt.date(ref.year, month, 1) >= ref.replace(day=1) else ref.year + 1
            first = dt.date(year, month, 1)
            return first, month_end(first)

        if part:
            def resolve_part(ref: dt.date, resolve: Callable[[dt.date], Span] = resolve, which: str = part.group("p")
                             ) -> Span:
                return _part_span(resolve(ref)[0], which)

            anchors.append(Anchor(m.start(), part.end(), resolve_part, "day", "month-part"))
            continue
        anchors.append(Anchor(m.start(), m.end(), resolve, "month", "month"))
    for m in _MONTH_EN.finditer(s):
        month = _EN_MONTHS.index(m.group("mon").lower()) + 1

        def resolve_en(ref: dt.date, month: int = month) -> Span:
            year = ref.year if dt.date(ref.year, month, 1) >= ref.replace(day=1) else ref.year + 1
            first = dt.date(year, month, 1)
            return first, month_end(first)

        anchors.append(Anchor(m.start(), m.end(), resolve_en, "month", "month"))
    for m in _PART_EN.finditer(s):
        month = _EN_MONTHS.index(m.group("mon").lower()) + 1

        def resolve_part_en(ref: dt.date, month: int = month, which: str = _EN_PARTS[m.group("p").lower()]) -> Span:
            year = ref.year if dt.date(ref.year, month, 1) >= ref.replace(day=1) else ref.year + 1
            return _part_span(dt.date(year, month, 1), which)

        anchors = [a for a in anchors if not m.start() <= a.pos < m.end()]
        anchors.append(Anchor(m.start(), m.end(), resolve_part_en, "day", "month-part"))
    for m in _BARE_PART.finditer(s):
        if any(a.pos <= m.start() < a.endpos for a in anchors):
            continue

        def resolve_bare(ref: dt.date, which: str = m.group("p")) -> Span:
            span = _part_span(ref.replace(day=1), which)
            # 月初 said on the 25th is next month's; 月底 said on the 25th is what is left of this one.
            return span if span[1] >= ref else _part_span(add_months(ref.replace(day=1), 1), which)

        anchors.append(Anchor(m.start(), m.end(), resolve_bare, "day", "month-part"))
    for pattern, months_long in ((_QUARTER, 3), (_HALF, 6)):
        for m in pattern.finditer(s):
            groups = m.groupdict()
            which = next(groups[k] for k in groups if k[0] in "qh" and groups[k])
            index = {"上": 1, "下": 2, "first": 1, "second": 2}.get(which.lower()) or chinese_count(which) or int(which)
            year_text = next((groups[k] for k in groups if k[0] == "y" and groups[k]), None)
            anchors.append(Anchor(m.start(), m.end(), _months_span(today, (int(index) - 1) * months_long + 1,
                                                                     months_long, year_text), "month", "months"))
    for m in _YEAR.finditer(s):
        text = m.group("y") or m.group("y2") or m.group("y3") or m.group("y4") or m.group("y5")
        year = today.year + 1 if "明年" in text else today.year if "今年" in text else int(re.sub(r"\D", "", text))
        anchors.append(Anchor(m.start(), m.end(), _fixed((dt.date(year, 1, 1), dt.date(year, 12, 31))),
                              "year", "year"))
    return anchors


def _roles(s: str, anchors: list[Anchor]) -> None:
    for i, anchor in enumerate(anchors):
        before = s[max(0, anchor.pos - 8):anchor.pos]
        after = s[anchor.endpos:anchor.endpos + 8]
        prev_end = anchors[i - 1].endpos if i else 0
        between = s[prev_end:anchor.pos]
        if _BEFORE_AFTER.match(after):
            anchor.role, anchor.before = "end", True
        elif _END_AFTER.match(after) or (i and _END_BEFORE.search(between[-8:])) or \
                (i == 0 and _END_BEFORE.search(before) and not _START_BEFORE.search(before)):
            anchor.role = "end"
        elif _START_AFTER.match(after) or _START_BEFORE.search(before):
            anchor.role = "start"


def _stated_length(s: str, anchors: list[Anchor]) -> int | None:
    """Days the text says the campaign lasts (为期一周 → 7, 两天 → 2, 就一天 → 1), or None."""
    durations = [d for d in find_durations(s) if not any(a.pos <= d.pos < a.endpos for a in anchors)]
    if durations:
        return durations[0].days
    for m in _BARE_DAYS.finditer(s):
        if any(a.pos <= m.start() < a.endpos for a in anchors):
            continue
        n = _count(m.group("n"))
        if n is not None and 1 <= n <= 366:
            return int(n)
    for m in _BARE_WEEKS.finditer(s):
        if any(a.pos <= m.start() < a.endpos for a in anchors):
            continue
        n = _count(m.group("n"))
        if n is not None and 1 <= n <= 52:
            return int(n * 7)
    if _ONE_DAY.search(s):
        return 1
    return None


def _months_length(s: str) -> int | None:
    durations = find_durations(s)
    if durations and (durations[0].unit in ("个月", "月") or durations[0].unit.startswith("month")) \
            and durations[0].days >= 28:
        return round(durations[0].days / 30)
    return None


def find_window(s: str, today: dt.date) -> Window:
    """The campaign window in normalized Simplified text ``s`` (numerals already Arabic), relative to ``today``."""
    festivals = _festival_anchors(s, today)
    months = _month_anchors(s, today)
    relative = [a for a in months if a.kind == "month" and _RELATIVE_MONTH.match(s, a.pos)]
    month_ref = None
    if relative:
        first_month = relative[0].resolve(today)[0]
        month_ref = lambda ref, first=first_month: first  # noqa: E731
    else:
        named = [a for a in months if a.level == "month"]
        if named:
            month_ref = lambda ref, a=named[0]: a.resolve(today)[0]  # noqa: E731
    taken = [(a.pos, a.endpos) for a in festivals]
    days = _date_anchors(s, today, month_ref, taken)
    days = [d for d in days if not any(a <= d.pos < b for a, b in taken)]
    days += [a for a in _lunar_anchors(s, taken) if not any(d.pos <= a.pos < d.endpos for d in days)]
    days.sort(key=lambda a: a.pos)
    weekdays = [w for w in _weekday_anchors(s, today)
                if not any(a.pos <= w.pos < a.endpos for a in days + festivals)]
    if any(d.kind in ("range", "date") for d in days):
        # 「周末想在商场搞个快闪…12月12号到13号」: a weekend named without 这/下 says which days of the week the
        # written dates are, not which week
        said = [(w, _WEEKEND.match(s, w.pos)) for w in weekdays]
        weekdays = [w for w, m in said if not (w.kind == "weekend" and m and not (m.group("which") or m.group("en")))]
    # Parts of months (1月初, 下个月中旬, 月底) are days too: they meet festivals and dates in one window.
    parts = [a for a in months if a.kind == "month-part"
             and not any(d.pos <= a.pos < d.endpos or a.pos <= d.pos < a.endpos for d in days + festivals + weekdays)]
    day_level = sorted(days + festivals + weekdays + parts, key=lambda a: a.pos)
    occasion = next((a.festival for a in festivals), "")
    # Festivals named only as the occasion (「三八女神节,3月5号到8号」) give way to written dates.
    def bare(a: Anchor) -> bool:
        return a.kind == "festival" and not (a.offset or a.one_day or a.role or _role_word(s, a))

    # A festival named without 前/后/当天/期间/开始/到 is the occasion, not a date: ask rather than guess.
    day_level = [a for a in day_level if not bare(a)]
    if any(a.kind in ("range", "date") for a in day_level):
        day_level = [a for a in day_level if not a.vague]
    anchors = day_level or _month_range(s, months) or sorted(months, key=lambda a: (a.level != "month", a.pos))[:1]
    spans = sorted({(a.pos, a.endpos) for a in festivals + months + days + weekdays})
    if not anchors:
        return Window(None, None, occasion, spans)
    _roles(s, anchors)
    start_anchor = next((a for a in anchors if a.role == "start"), None) or next(
        (a for a in anchors if a.role != "end"), None)
    if start_anchor is None:
        return Window(None, _end_of(anchors[-1], today), occasion, spans)
    start, start_end = start_anchor.resolve(today)
    end_anchor = next((a for a in anchors if a.role == "end" and a is not start_anchor and a.pos > start_anchor.pos),
                      None)
    if end_anchor is None and start_anchor.kind != "range":
        # 「月底前把礼盒团购做起来,下周一开始」: the end may be said before the start.
        end_anchor = next((a for a in anchors if a.role == "end" and a is not start_anchor), None)
    if end_anchor is None:
        later = [a for a in anchors if a.pos > start_anchor.pos and a.role != "start"]
        if later and start_anchor.kind not in ("range", "month-part", "weekend", "week") and start_anchor.level == "day" \
                and not (start_anchor.kind == "festival-period"):
            end_anchor = later[0] if later[0].pos - start_anchor.endpos <= 6 else None
    end: dt.date | None
    if end_anchor is not None:
        end = _end_of(end_anchor, start)
    elif start_anchor.kind in ("range", "month-part", "festival-period", "weekend", "week") or \
            start_anchor.level in ("month", "year"):
        end = start_end
        length = _stated_length(s, anchors)
        if start_anchor.kind == "weekend" and length == 1:
            end = start
        elif start_anchor.kind == "festival-period" and length is not None and length <= 31:
            end = start + dt.timedelta(days=length - 1)
        elif start_anchor.level == "month" and (months_n := _months_length(s)):
            end = add_months(start, months_n) - dt.timedelta(days=1)
        elif start_anchor.kind in ("week", "month") and length is not None and length < 28:
            end = start + dt.timedelta(days=length - 1)  # 「下个月…为期一周」 starts on the 1st
    else:
        end = None
        months_n = _months_length(s)
        length = _stated_length(s, anchors)
        if months_n:
            end = add_months(start, months_n) - dt.timedelta(days=1)
        elif length is not None:
            end = start + dt.timedelta(days=length - 1)
        elif start_anchor.one_day:
            end = start
        elif start_anchor.offset and start_anchor.festival:
            # 「端午前十天开始」 runs up to the festival itself (「春节后两周开始」 leads up to none: ask).
            day = _festival_on_or_after(next(f for f in _festival_objs(s) if f.name == start_anchor.festival), start)
            end = day if day <= start + dt.timedelta(days=60) else None
        elif start_anchor.role != "start":
            end = start  # 「12月18号办一场发布会」: a single day
        else:
            near = [a for a in festivals if a.festival and a is not start_anchor]
            for a in near:
                day = a.resolve(start)[0]
                if start <= day <= start + dt.timedelta(days=60):
                    end = day
                    break
    if end is not None and end < start and end_anchor is not None:
        end = _end_of(end_anchor, start + dt.timedelta(days=1))
    if start_anchor.kind not in ("range", "date") and start < today and (end is None or end >= today):
        start = today  # 「本月底」「这周末」 said on the 25th / on Sunday: what is left of it
    return Window(start, end, occasion, spans)


def _end_of(anchor: Anchor, ref: dt.date) -> dt.date:
    """The last day of a window ``anchor`` closes: its span's end, or the day before a day said with 前."""
    first, last = anchor.resolve(ref)
    if anchor.before and anchor.level == "day" and anchor.kind not in ("month-part", "range", "week", "weekend") \
            and first == last:
        return first - dt.timedelta(days=1)
    return last


def _month_range(s: str, months: list[Anchor]) -> list[Anchor]:
    """「1月到6月」「12月至明年2月」「一季度到三季度」: two month-level anchors joined by 到/至/-, else []."""
    spans = sorted((a for a in months if a.level == "month"), key=lambda a: a.pos)
    for first, second in zip(spans, spans[1:], strict=False):
        if _RANGE_JOIN.fullmatch(s[first.endpos:second.pos]):
            return [first, second]
    return []


def _role_word(s: str, anchor: Anchor) -> bool:
    after = s[anchor.endpos:anchor.endpos + 6]
    before = s[max(0, anchor.pos - 10):anchor.pos]  # "through " is 8 characters
    return bool(_START_AFTER.match(after) or _END_AFTER.match(after) or _BEFORE_AFTER.match(after)
                or _END_BEFORE.search(before)
                or _START_BEFORE.search(before) or anchor.kind == "festival-period" or _RANGE_AFTER.match(after))


def _festival_objs(s: str) -> list[Festival]:
    return [f for f, _, _ in festivals_in(s)]


__all__ = ["Anchor", "Window", "find_window", "lunar_day_spans"]
