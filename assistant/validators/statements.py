"""Facts a plan states in its prose: the activity period, the total budget, lengths, festival dates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.briefs.festivals import Festival, festivals_in
from assistant.validators.common import text_lines
from core.clock import today
from core.errors import BriefError
from core.plan import Chapter, Plan
from core.text.amounts import AMOUNT_IN_TEXT, CURRENCY_MARKS, normalize_number_text, parse_amount
from core.text.dates import find_dates, find_durations, next_on_or_after, titled_year
from core.text.numerals import parse_number
from core.text.scripts import to_simplified

_PERIOD_WORDS = re.compile(
    r"(?:活动时间|活动日期|活动期间|活动周期|活动时段|促销时间|促销期|促销期间|执行时间|执行周期|执行期|活动执行期|正式活动期|"
    r"活动档期|档期|大促时间|campaign period|campaign dates|promotion period|event dates|activity period|runs from)",
    re.IGNORECASE,
)
_TOTAL_WORDS = re.compile(
    r"(?:总预算|预算总额|总体预算|整体预算|活动总预算|活动预算|项目预算|费用总额|总费用|总投入|预算总计|预算合计|预算共计|"
    # English: words naming the whole between (total marketing budget; a 'total KOL budget' is one line's) and
    # what it is for (for 2027) before 'is' or ':'.
    r"总经费|经费总额|(?:total|overall)(?:\s+(?:marketing|campaign|project|event|promotion|annual|planned|estimated)){0,2}"
    r"\s+budget(?:\s+for\s+[^,.:;]{1,25}?(?=\s+is\b|\s*[:：]))?|"
    r"budget in total|budget of|"
    # 「以上共计16万元」「合计:16万元」 under a budget list: the whole, not one line's (「达人合作共计5万元」 is one line's).
    r"(?:(?<=^)|(?<=以上)|(?<=上述)|(?<=各项))(?:费用|预算)?(?:合计|共计|总计)|"
    # A bare 预算 counts when nothing before it narrows it (推广预算 is one line's budget).
    r"(?:(?<=^)|(?<=[,，。;；:：\s(（])|(?<=本次)|(?<=此次)|(?<=整个))预算|(?:(?<=^)|(?<=[.;:]\s))budget(?=\s*[:：]))",
    re.IGNORECASE,
)
_PAST = re.compile(r"去年|上年|往年|上次|上期|上一届|前年|last year|previous", re.IGNORECASE)
_ALLOCATION = re.compile(r"\s*(?:用于|用在|投放|投入|分配|给|花在|for\b|on\b)", re.IGNORECASE)
_LINK = re.compile(r"^\s*(?:为|是|共|共计|合计|总计|约|:|：|控制在|人民币|of|is|:)?\s*(?:为|是|共|约|:|：|人民币)?\s*"
                   rf"(?P<currency>(?:(?:{CURRENCY_MARKS})\s*){{0,2}})", re.IGNORECASE)  # 总预算新台币120万元, 港币$150,000


@lru_cache(maxsize=8192)
def _normal(text: str) -> str:
    # Every statement finder reads every line: normalise each line once.
    return normalize_number_text(text)


@dataclass
class StatedPeriod:
    start: dt.date
    end: dt.date
    line: int | None
    chapter: Chapter


@dataclass
class StatedAmount:
    amount: float
    text: str
    line: int | None
    chapter: Chapter


@dataclass
class StatedDuration:
    days: int
    text: str
    start: dt.date
    end: dt.date
    line: int | None
    chapter: Chapter


@dataclass
class StatedFestival:
    festival: Festival
    given: dt.date
    years: list[int]  # the year written, or every year the plan spans when none is
    text: str
    line: int | None
    chapter: Chapter


def plan_year(plan: Plan) -> int | None:
    """The year the plan is about (the one its title writes, else the most written 20xx year), or the year of
    its first phase."""
    text = "\n".join([plan.title] + [c.body for c in plan.chapters])
    year = titled_year(plan.title, text)
    if year is None:
        year = next((p.start.year for p in plan.phases if p.start), None)
    return year


def stated_periods(plan: Plan) -> list[StatedPeriod]:
    """Activity periods the prose states: 「活动时间:2026年9月10日至9月25日」."""
    year = plan_year(plan)
    out: list[StatedPeriod] = []
    for tl in text_lines(plan):
        # Table rows count too: an overview table may say | 活动时间 | 2026年9月10日-9月25日 |.
        s = _normal(tl.text)
        for m in _PERIOD_WORDS.finditer(s):
            rest = s[m.end() : m.end() + 40]
            found = find_dates(rest, year, dots=True)  # 「活动时间:9.10-9.25」
            if found and found[0].end is not None and found[0].pos <= 6:
                out.append(StatedPeriod(found[0].start, found[0].end, tl.line, tl.chapter))
                break
    return out


def stated_totals(plan: Plan) -> list[StatedAmount]:
    """Total budgets the prose states: 「总预算30万元」, 'total budget of CNY 300,000'."""
    out: list[StatedAmount] = []
    for tl in text_lines(plan):
        if tl.in_table:
            continue
        s = _normal(tl.text)
        for m in _TOTAL_WORDS.finditer(s):
            rest = s[m.end() : m.end() + 30]
            if _PAST.search(s[max(0, m.start() - 6) : m.start()]) or "其中" in s[max(0, m.start() - 4) : m.start()]:
                continue  # 「去年总预算20万元」 is history, not this plan's total
            link = _LINK.match(rest)
            at = link.end() if link else 0
            am = AMOUNT_IN_TEXT.match(rest, at)
            currency = (link is not None and link.group("currency")) or (
                re.match(CURRENCY_MARKS, am.group(0), re.IGNORECASE) if am else None)
            if not am or not am.group("num") or not (am.group("unit") or am.group("cur") or currency or
                                                     re.search(r"[万亿千]", am.group("num"))):
                continue
            try:
                value = parse_amount(am.group("num") + (am.group("unit") or ""))
            except BriefError:
                continue
            if _ALLOCATION.match(rest, am.end()):
                continue  # 「预算3万元用于抖音」 is one allocation, not the total
            out.append(StatedAmount(value, s[m.start() : m.end() + am.end()], tl.line, tl.chapter))
    return out


def stated_durations(plan: Plan) -> list[StatedDuration]:
    """Lengths stated next to a date range on the same line: 「6月10日至6月19日,为期10天」."""
    year = plan_year(plan)
    out: list[StatedDuration] = []
    for tl in text_lines(plan):
        s = _normal(tl.text)
        if tl.in_table:
            row = _row_duration(s, year)
            if row is not None:
                out.append(StatedDuration(row[0], row[1], row[2], row[3], tl.line, tl.chapter))
                continue
        durations = [d for d in find_durations(s) if d.unit in ("天", "日", "周", "星期", "礼拜")
                     or d.unit.startswith(("day", "week"))]
        if not durations:
            continue
        ranges = [r for r in find_dates(s, year, dots=True) if r.end is not None]
        for d in durations:
            before = [r for r in ranges if r.endpos <= d.pos and d.pos - r.endpos <= 24]
            # After it: right after, or past the English noun the length describes ('a four-week push, May 15 – …').
            after = [r for r in ranges if r.pos >= d.endpos and (r.pos - d.endpos <= 6 or (
                r.pos - d.endpos <= 24 and _NOUN_BETWEEN.fullmatch(s[d.endpos : r.pos])))]
            # 「正式活动为期11天(11月1日-11月11日)」: a range right after the length is the one it measures.
            close_after = [r for r in after if re.fullmatch(r"\s*[(（:：,，]?\s*", s[d.endpos : r.pos])]
            r = close_after[0] if close_after else (before[-1] if before else (after[0] if after else None))
            if r is None or r.end is None:
                continue
            out.append(StatedDuration(d.days, s[d.pos : d.endpos], r.start, r.end, tl.line, tl.chapter))
    return out


_NOUN_BETWEEN = re.compile(r"\s+[A-Za-z][A-Za-z' -]*[,:]?\s*(?:from\s+)?")
_DAYS_CELL = re.compile(r"^(?:共|为期|约|计)?\s*(\d+)\s*(?:天|日|days?)$", re.IGNORECASE)


def _row_duration(row: str, year: int | None) -> tuple[int, str, dt.date, dt.date] | None:
    """(days, text, start, end) for a table row with a 天数 cell and a date range: | 执行 | 9/10 | 9/25 | 16天 |."""
    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    days = next(((int(m.group(1)), c) for c in cells if (m := _DAYS_CELL.match(c))), None)
    if days is None:
        return None
    found = find_dates(row, year, dots=True)
    if len(found) == 1 and found[0].end is not None:
        return days[0], days[1], found[0].start, found[0].end
    if len(found) == 2 and found[0].end is None and found[1].end is None:
        return days[0], days[1], found[0].start, found[1].start
    return None


@dataclass
class StatedShare:
    item: str  # what the share is of, as the prose names it: 推广费, travel subsidies
    share: float  # percent
    tolerance: float  # percentage points the way it is written allows: 三成 is 25–35%, 约37.5% ±2.5
    text: str
    line: int | None
    chapter: Chapter


# 「推广费占40%」「宣传费用占比20%」「場地費占三成」「礼品占比最高约37.5%」「达人种草费占预算的一半」.
_SHARE_ZH = re.compile(r"(?:占|佔)(?:比|比例)?(?:总预算|预算|总额|总费用|总投入|费用|全部)?(?:的)?(?:比例)?\s*"
                       r"(?:最高|最大|最多)?\s*(?P<about>约|大约|近|接近|超过)?\s*(?:为|是|达)?\s*"
                       r"(?P<num>\d+(?:\.\d+)?\s*%|[一二两三四五六七八九]成(?:[一二三四五六七八九])?|一半|半数)")
_SHARE_EN = re.compile(r"(?P<item>[A-Za-z][A-Za-z &'-]{2,60}?)\s+(?:is|are|makes? up|accounts? for|takes?|gets?|comes? to)"
                       r"\s+(?P<about>about |around |roughly |some )?(?P<num>\d+(?:\.\d+)?)\s*%", re.IGNORECASE)
_ITEM_START = re.compile(r"^(?:其中|而|另外|另|以及|及|和|并且|并|且|此外|which|of which|with|and|while)\s*", re.IGNORECASE)
_ITEM_END = re.compile(r"(?:的|费用|费|支出|开支|成本|投入|预算)+$")


def _item_before(text: str, at: int) -> tuple[str, int]:
    """The words a share is of, back from ``at`` to the clause's start (「其中推广费」→ 推广), and where they start."""
    start = max(text.rfind(c, 0, at) for c in ",，。;；:：、(（") + 1
    clause = text[start:at].strip()
    item = _ITEM_START.sub("", clause)
    return _ITEM_END.sub("", item).strip(), at - len(item)


def stated_shares(plan: Plan, chapter: Chapter | None) -> list[StatedShare]:
    """Shares of the budget the prose of ``chapter`` (the budget chapter) states: 「其中推广费占40%」,
    「場地費占三成」, 'travel subsidies are 25%'. A share of sales or of customers is written elsewhere."""
    out: list[StatedShare] = []
    for tl in text_lines(plan):
        if tl.in_table or tl.chapter is not chapter:
            continue
        s = _normal(tl.text)
        for m in _SHARE_ZH.finditer(s):
            item, start = _item_before(s, m.start())
            if len(item) < 2 or _PAST.search(s[max(0, m.start() - 12) : m.start()]):
                continue
            num = m.group("num").replace(" ", "")
            if num.endswith("%"):
                share, tolerance = float(num[:-1]), 0.5
            elif num in ("一半", "半数"):
                share, tolerance = 50.0, 5.0
            else:  # 三成 / 三成五
                tens = [parse_number(c) or 0 for c in num.replace("成", "")]
                share, tolerance = 10 * tens[0] + (tens[1] if len(tens) > 1 else 0), 5.0
            if m.group("about"):
                tolerance = max(tolerance, 2.5)
            out.append(StatedShare(item, share, tolerance, s[start : m.end()], tl.line, tl.chapter))
        for m in _SHARE_EN.finditer(s):
            item = _ITEM_START.sub("", m.group("item").strip())
            item = re.sub(r"^(?:the|our)\s+", "", item, flags=re.IGNORECASE)
            out.append(StatedShare(item, float(m.group("num")), 2.5 if m.group("about") else 0.5,
                                   m.group(0).strip(), tl.line, tl.chapter))
    return out


_FEST_DATE_AFTER = re.compile(
    r"\s*(?:节|festival|day)?\s*(?:日)?\s*(?:(?P<year>20\d{2})\s*年?)?\s*(?:在|是|为|于|当天|当日|:|：|is on|falls on|is|on)?\s*(?:[(（]\s*)?",
    re.IGNORECASE,
)
# 「中秋前一周(9月18日)」: the date is relative to the festival, not the festival's own.
_RELATIVE_AFTER = re.compile(r"\s*节?\s*(?:前|后|之前|之后|以前|以后|期间|前后|假期|档期|预热|大促|促销|活动)")
# A date followed by these is when something starts or ends, not the festival's date.
_NOT_FESTIVAL_DATE = re.compile(r"\s*(?:开始|起|前|后|之前|之后|以前|以后|至|到|~|-|—|上线|启动|截止|结束|停止)")


# A festival a plan names may come a little before its first phase (返场 after 春节): dates without a year are read
# forward from this long before it.
_FESTIVAL_LEAD_DAYS = 60


def _festival_anchor(plan: Plan, year: int | None) -> dt.date:
    """Where a plan's dates without a year are read forward from: its first phase's start (less a lead), else the
    start of the year it is about, else today (a plan that writes no year is about the coming months)."""
    first = next((p.start for p in plan.phases if p.start is not None), None)
    if first is not None:
        return first - dt.timedelta(days=_FESTIVAL_LEAD_DAYS)
    return dt.date(year, 1, 1) if year is not None else today()


def stated_festivals(plan: Plan) -> list[StatedFestival]:
    """Festivals given a date in the prose: 「2026年端午节(6月20日)」, 「中秋节在9月25日」, 「9月25日中秋节」."""
    year = plan_year(plan)
    anchor = _festival_anchor(plan, year)
    year = year if year is not None else anchor.year
    out: list[StatedFestival] = []
    for tl in text_lines(plan):
        s = _normal(tl.text)
        if not s:
            continue
        mentions = festivals_in(s)
        if not mentions:
            continue
        dates = find_dates(s, year, dots=True)  # only dates next to a festival name are used
        for festival, pos, end in mentions:
            link = _FEST_DATE_AFTER.match(s, end)
            at = link.end() if link else end
            given = next((d for d in dates if d.pos == at and d.end is None), None)
            if given is None and s[at - 1 : at] in "(（" and at > end:
                # 「端午节(农历五月初五,6月19日)」: the first date inside the brackets.
                inside = s[at : (s.find(")", at) if ")" in s[at:] else len(s))]
                inside = inside.split("）")[0]
                given = next((d for d in dates if at <= d.pos < at + len(inside)), None)
                if given is not None and given.end is not None:
                    given = None
            if given is None:
                # 「9月25日中秋节」 / 「9月25日(中秋)」: a date right before the name.
                given = next((d for d in dates if d.end is None and 0 <= pos - d.endpos <= 2
                              and re.fullmatch(r"[\s(（]*", s[d.endpos:pos])), None)
            if given is None or _NOT_FESTIVAL_DATE.match(s, given.endpos) or _RELATIVE_AFTER.match(s, end):
                continue
            written = re.search(r"(20\d{2})\s*年?\s*的?\s*$", s[max(0, pos - 9) : pos])
            if written:
                years = [int(written.group(1))]
            elif link is not None and link.group("year"):
                years = [int(link.group("year"))]  # 'Mid-Autumn Festival 2026 is on Sep 25'
            elif given.year_given:
                years = [given.start.year]
            else:
                # No year written: the year the plan runs into it (春节 2/7 in a plan from 2026-12-10 is 2027's).
                years = [next_on_or_after(given.start.month, given.start.day, anchor).year]
            out.append(StatedFestival(festival, given.start, years, to_simplified(s[pos:end]), tl.line,
                                      tl.chapter))
    return out


__all__ = ["StatedAmount", "StatedDuration", "StatedFestival", "StatedPeriod", "StatedShare", "plan_year",
           "stated_durations", "stated_festivals", "stated_periods", "stated_shares", "stated_totals"]
