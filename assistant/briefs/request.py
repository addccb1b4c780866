"""Briefs from what a planner types: 「双十一护肤品促销,预算80万,11月1日到11日,主要投抖音和小红书」.

Fields the text does not give are left None, so ``Brief.missing()`` says what to ask next.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re

from text_to_num import alpha2digit

from assistant.briefs.entities import (
    WHO_ASKS,
    Mention,
    brand_or_product,
    find_audience,
    find_brand,
    find_goals,
    find_product,
    find_region,
    find_stores,
    find_terms,
    heads_a_noun,
    region_spans,
    sells_at,
    speaker_spans,
    tactic_spans,
    written_product,
)
from assistant.briefs.festivals import (
    festival_date,
    festival_name,
    festival_period,
    festivals_in,
    next_festival,
)
from assistant.briefs.loader import check_budget, check_dates
from assistant.briefs.numerals import arabic_dates
from assistant.briefs.slips import without_slips
from assistant.briefs.when import find_window, lunar_day_spans
from core import clock
from core.errors import BriefError
from core.plan import Brief
from core.text.amounts import AMOUNT_IN_TEXT, CURRENCY_WORDS, normalize_number_text, parse_amount
from core.text.dates import add_months, find_dates, find_durations, month_end
from core.text.scripts import as_mandarin, writing_script

_BUDGET_WORDS = re.compile(r"(?:预算|经费|费用|花费|投入|总投|budget|spend|spending)[^,，。;；\n]{0,8}$", re.IGNORECASE)
_NOT_BUDGET_WORDS = re.compile(r"(?:销售额|销量|营收|业绩|gmv|目标|revenue|sales|达到|冲刺)[^,，。;；\n]{0,6}$",
                               re.IGNORECASE)
# After a number, these say it counts something other than money (11月, 10天, 3万盒, 85折, 50%).
_COUNT_AFTER = tuple("月日号天周年个%折盒件人家位款名次期届倍小分秒台套份单瓶箱只支张条场")
# 「十来万」「二十多万」「一百余万」: about that many 万, read as the round amount (cn2an reads 十万, 二十万 …).
_ABOUT = re.compile(r"(?<=[\d十百千两一二三四五六七八九])(?:来|多|余)(?=\s*[万千亿])")
# The currency an amount is written in when it is not 人民币 (「20萬台幣」, HK$50k, 五萬蚊): core.text.amounts' words,
# checked in order, with Hong Kong's spoken 蚊 after a number.
_CURRENCIES = tuple((code, re.compile(CURRENCY_WORDS[code] + (r"|(?<=[\d万千百十])\s*蚊" if code == "HKD" else ""),
                                      re.IGNORECASE)) for code in ("TWD", "HKD", "USD"))
_CURRENCY_AFTER = re.compile(r"\s*(?:" + "|".join(
    word for code, _ in _CURRENCIES for word in CURRENCY_WORDS[code].split("|") if not word.isascii()) + "|蚊)")
# A dollar sign before a number in an English request (budget $20k) is the US dollar's; NT$ and HK$ are read first.
_DOLLARS = re.compile(r"(?<![a-z])\$\s*\d", re.IGNORECASE)
# A run of English number words not after a digit ("twenty thousand", not the "million" of "1.5 million").
_NUMBER_WORDS = re.compile(
    r"(?<![\d.]\s)(?<![\d.])\b(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|\w+ty|hundred|"
    r"thousand|million|and)(?:[\s-]+|\b))+", re.IGNORECASE)
# A word of money after a bare number in English: "20000 dollars", "8000 bucks", "5000 usd".
_MONEY_AFTER = re.compile(r"(?:dollars?|bucks|" + "|".join(CURRENCY_WORDS.values()) + r")(?![a-z])", re.IGNORECASE)
_RANGE_NEXT = re.compile(r"\s*(?:-|~|～|到|至|—)\s*\d")
_RANGE_PREV = re.compile(r"\d\s*(?:万|千|w|k)?\s*(?:-|~|～|到|至|—)\s*$", re.IGNORECASE)
_N = r"(?P<n>\d+|[零一二两三四五六七八九十半]+)"
_BEFORE_FESTIVAL = re.compile(rf"^节?\s*(?:的)?\s*前\s*{_N}\s*(?:个)?\s*(?P<unit>天|日|周|星期|礼拜|月)")
_DOT_RANGE = re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\s*(?:-|~|～|至|到|—)\s*\d{1,2}\.\d{1,2}(?![\d.])")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_DAY_WORD = re.compile(r"(?P<which>下个?|本|这个?)(?:周|星期|礼拜)(?P<wd>[一二三四五六日天])|(?P<rel>今天|明天|后天|today|tomorrow)", re.IGNORECASE)
_BEFORE_FESTIVAL_EN = re.compile(
    r"(?P<n>\d+|one|two|three|ten)\s+(?P<unit>days?|weeks?)\s+before\s*$", re.IGNORECASE
)
_DURING_FESTIVAL = re.compile(r"^节?\s*(?:假期)?\s*(?:期间|黄金周|假期)")
_ON_FESTIVAL = re.compile(r"^节?\s*(?:当天|当日)")
_TITLE = re.compile(
    r"(?:做|写|出|策划|设计|搞|办|准备|来)(?:一个|一份|一场|一套|个|份|场|套)?"
    r"(?P<t>[^,，。;；!！?？\s]{2,30}?(?:促销方案|活动方案|营销方案|推广方案|策划方案|方案|策划案|计划|活动|促销|大促))"
)
_TITLE_EN = re.compile(r"\b(?:a|an)\s+(?P<t>[\w' -]{3,60}?(?:campaign|plan|promotion|event))\b", re.IGNORECASE)
_AUDIENCE = re.compile(r"(?:面向|针对|目标(?:人群|客群|用户|客户|受众)(?:是|为|:|：)?|主要(?:人群|客群)是)"
                       r"(?P<a>[^,，。;；!！?？\n]{2,24})")
_AUDIENCE_EN = re.compile(r"\b(?:targeting|aimed at|for)\s+(?P<a>(?:young|new|office|college|female|male|local)"
                          r"[\w' -]{2,40}?)(?=[,.;]|$)", re.IGNORECASE)
_GOAL = re.compile(r"(?:目标是|目标为|目标:|目标：|希望|争取|力争)(?P<g>[^,，。;；!！?？\n]{2,30})")
_NEXT_MONTH = re.compile(r"下个?月|next month", re.IGNORECASE)
_NEXT_WEEK = re.compile(r"下个?周|下个?星期|下个?礼拜|next week", re.IGNORECASE)
_OCCASIONS = ("周年庆", "店庆", "开业", "新品上市", "新品发布", "清仓", "会员日", "年货节", "开学季", "毕业季", "返校季")
_OCCASION = re.compile("|".join(_OCCASIONS))
_EN_COUNT = {"one": 1, "two": 2, "three": 3, "ten": 10}


def _count(n: str) -> int | None:
    n = n.lower()
    if n in _EN_COUNT:
        return _EN_COUNT[n]
    try:
        value = parse_amount(n)
    except BriefError:
        return None
    return int(value) if value > 0 else None


def find_budget(s: str) -> float | None:
    """The budget in normalized Simplified text ``s``: the amount after 预算/budget, else the first
    amount written with a unit or currency that is not a count, a date, or a sales target."""
    s = _ABOUT.sub("", s)
    if re.search(r"[a-z]", s, re.IGNORECASE):  # "budget is twenty thousand dollars": the words as digits
        s = _NUMBER_WORDS.sub(lambda m: alpha2digit(m.group(0), "en"), s)
    festival_spans = [(a, b) for _, a, b in festivals_in(s)]
    fallback: float | None = None
    for m in AMOUNT_IN_TEXT.finditer(s):
        if not m.group("num") or m.end() == m.start():
            continue
        if any(a < m.end() and m.start() < b for a, b in festival_spans):
            continue
        unit, cur = m.group("unit"), m.group("cur")
        after = s[m.end() : m.end() + 1]
        if not cur and after and after in _COUNT_AFTER and not _CURRENCY_AFTER.match(s, m.end()):
            continue
        if not cur and not unit and after and after.isascii() and after.isalpha() \
                and not _MONEY_AFTER.match(s, m.end()):
            continue  # 「20 people」 counts people; 「20000 dollars」 is money
        sign = s[m.start()] in "¥￥" or s[m.start() : m.start() + 3].lower() in ("rmb", "cny")
        window = s[max(0, m.start() - 16) : m.start()]
        keyword = _BUDGET_WORDS.search(window) is not None
        big_unit = re.search(r"[万亿千]", m.group("num")) is not None
        if not (keyword or sign or cur or unit or big_unit or _CURRENCY_AFTER.match(s, m.end())):
            continue
        try:
            value = parse_amount(m.group("num") + (unit or ""))
        except BriefError:
            continue
        if _RANGE_NEXT.match(s, m.end()) or _RANGE_PREV.search(s[: m.start()]):
            continue  # 「30-50万」 is a range, not a budget: leave it for the chat to ask
        if s[max(0, m.start() - 1) : m.start()] in ("-", "−", "负"):
            value = -value
        if keyword:
            return value
        if fallback is None and not _NOT_BUDGET_WORDS.search(window):
            fallback = value
    return fallback


def find_currency(s: str, english: bool = False) -> str:
    """The currency the request's money is in: TWD, HKD or USD when written so (a bare $20k in English too), else CNY."""
    found = next((code for code, pattern in _CURRENCIES if pattern.search(s)), None)
    if found is None and english and _DOLLARS.search(s):
        return "USD"
    return found or "CNY"


def _festival_day(name: str, s: str, pos: int, today: dt.date) -> dt.date:
    """The festival's date: in the year written just before it (2027年端午), else its next occurrence."""
    year = re.search(r"(20\d{2})\s*年?\s*$", s[max(0, pos - 8) : pos])
    if year:
        return festival_date(name, int(year.group(1)))
    return next_festival(name, today)


def _dates(s: str, today: dt.date) -> tuple[dt.date | None, dt.date | None, str]:
    """(start, end, occasion) from dates, festival phrases, lengths and relative months in ``s``."""
    start: dt.date | None = None
    end: dt.date | None = None
    # 「11.1-11.11」: dotted dates only in a range, where they cannot be amounts.
    mentions = find_dates(s, today.year, dots=bool(_DOT_RANGE.search(s)))
    if mentions:
        first = mentions[0]
        start, end = first.start, first.end
        if end is None and len(mentions) > 1:
            end = mentions[1].end or mentions[1].start
        if not first.year_given and (end or start) < today:
            # 「11月1日到11日」 written on Nov 23 means next year's.
            start = start.replace(year=start.year + 1)
            end = end.replace(year=end.year + 1) if end else None
    occasion = ""
    for festival, pos, fend in festivals_in(s):
        occasion = occasion or festival.name
        rest = s[fend : fend + 24]
        day = _festival_day(festival.name, s, pos, today)
        before = _BEFORE_FESTIVAL.match(rest) or _BEFORE_FESTIVAL_EN.search(s[max(0, pos - 30) : pos])
        if before:
            n = _count(before.group("n"))
            if n is not None:
                unit = before.group("unit").lower()
                if unit == "月":
                    lead = day - add_months(day, -n)  # 「春节前一个月」 is a calendar month
                else:
                    lead = dt.timedelta(days=n * 7 if unit in ("周", "星期", "礼拜") or unit.startswith("week") else n)
                start = start or day - lead
                end = end or day
            continue
        if _DURING_FESTIVAL.match(rest) or re.search(r"during\s*(?:the\s*)?$", s[max(0, pos - 12) : pos], re.I):
            p_start, p_end = festival_period(festival.name, day.year)
            start, end = start or p_start, end or p_end
            continue
        if _ON_FESTIVAL.match(rest):
            start, end = start or day, end or day
    if not occasion:
        occasion = next((o for o in _OCCASIONS if o in s), "")
    if start is None and (word := _DAY_WORD.search(s)):
        if word.group("rel"):
            offsets = {"今天": 0, "today": 0, "明天": 1, "tomorrow": 1, "后天": 2}
            start = today + dt.timedelta(days=offsets[word.group("rel").lower()])
        else:
            monday = today - dt.timedelta(days=today.weekday())
            if word.group("which").startswith("下"):
                monday += dt.timedelta(days=7)
            start = monday + dt.timedelta(days=_WEEKDAYS[word.group("wd")])
    if start is None:
        if _NEXT_MONTH.search(s):
            start = add_months(today.replace(day=1), 1)
            if not find_durations(s):
                end = end or month_end(start)
        elif _NEXT_WEEK.search(s):
            start = today + dt.timedelta(days=7 - today.weekday())
            if not find_durations(s):
                end = end or start + dt.timedelta(days=6)
    if start is not None and end is None:
        durations = find_durations(s)
        by_month = bool(durations) and (durations[0].unit in ("个月", "月") or durations[0].unit.startswith("month"))
        if by_month and durations[0].days >= 28:
            months = round(durations[0].days / 30)
            end = add_months(start, months) - dt.timedelta(days=1)  # 为期一个月 from 12-01 ends 12-31
        elif durations:
            end = start + dt.timedelta(days=durations[0].days - 1)
        elif occasion:
            # 「双十一大促,11月1日开始」 runs up to the festival itself when it is near.
            for festival, pos, _ in festivals_in(s):
                day = _festival_day(festival.name, s, pos, start)
                if start <= day <= start + dt.timedelta(days=60):
                    end = day
                    break
    return start, end, occasion


def _spans_in(s: str, arabic: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` of ``arabic`` (``s`` with dates in Arabic digits: 十二月 → 12月) as spans of ``s``."""
    if len(s) == len(arabic):
        return spans
    at = [0] * (len(arabic) + 1)
    for op, a0, a1, b0, b1 in difflib.SequenceMatcher(None, arabic, s, autojunk=False).get_opcodes():
        for i in range(a0, a1 + 1):
            at[i] = b0 + (i - a0 if op == "equal" else (b1 - b0 if i == a1 else 0))
    return [(at[a], at[b]) for a, b in spans]


def _as_written(s: str, shown: str, span: tuple[int, int]) -> str:
    """The words at ``span`` of the Simplified text as the planner wrote them (粽子 stays 粽子); in
    Simplified when the planner's text does not line up with it."""
    if len(s) == len(shown):
        return shown[span[0] : span[1]].strip()
    return s[span[0] : span[1]].strip()


# A title of only such words names no campaign (「搞个推广活动」): the plan is then titled from the brief.
_GENERIC_TITLE = re.compile(r"(?:营销|推广|促销|宣传|策划|市场|活动|方案|计划|大促|一下|一些|点)+")


def _title(s: str, shown: str) -> str:
    m = _TITLE.search(s) or _TITLE_EN.search(s)
    if m is None or _GENERIC_TITLE.fullmatch(m.group("t")):
        return ""
    return _as_written(s, shown, m.span("t"))


_TIME_WORDS = re.compile(
    r"[\d.]+\s*(?:万|千|w|k|元|块|号|日|月|天|周|年|人|个月|%)?|[零〇一二两三四五六七八九十百千万亿半]+\s*(?:万|千|元|块|号|日|月份|月|天|周|年|家|人|个月|个星期)"
    r"|下个?月|本月|这个?月|下下?个?(?:周|星期|礼拜)[一二三四五六日天末]?|本周[一二三四五六日天末]?|这周[一二三四五六日天末]?|周末|"
    r"周[一二三四五六日天]|星期[一二三四五六日天]|当天|当日|期间|前后|之前|之后|以前|以后|开始|结束|为止|截止|全月|整月|月份|"
    r"年度|全年|黄金周|假期|长假|小长假|跨年|年终|年末|年底|开学季|开年|"
    r"预算|经费|费用|没想好|还没有|没有|渠道|覆盖|邀请|大概|左右|吧|[前后到至起]"
)


_EN_TIME_WORDS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\b|\b(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|today|tomorrow|budget|million|thousand|yuan|rmb|cny|from|to|until|through|before|after|"
    r"weeks?|days?|months?|decided|yet|no)\b|[\d,.]+\s*(?:k|w|m|mn|st|nd|rd|th)?\b")


def money_spans(s: str) -> list[tuple[int, int]]:
    """Where normalized text ``s`` writes money: each amount the amounts reader finds with the currency word after it
    (「十二万港币」), and every currency word of ``_CURRENCIES`` (港币, HK$, 台币) — money, not a product."""
    spans = [pattern_match.span() for _, pattern in _CURRENCIES for pattern_match in pattern.finditer(s)]
    for m in AMOUNT_IN_TEXT.finditer(s):
        after = _CURRENCY_AFTER.match(s, m.end()) if m.group("num") and m.end() > m.start() else None
        if after:
            spans.append((m.start(), after.end()))
    return spans


def _taken_spans(s: str, brand: tuple[int, int] | None) -> list[tuple[int, int]]:
    # A mechanic's noun after a noun heads what is sold (暖冬套餐), as a tactic word or a mechanic.
    heads = {(m.pos, m.end) for m in find_terms(s) if not m.term.is_channel and heads_a_noun(s, m.pos, m.end)}
    spans = [(a, b) for _, a, b in festivals_in(s)] + money_spans(s) + [x for x in tactic_spans(s) if x not in heads]
    spans += [(m.pos, m.end) for m in find_terms(s) if (m.pos, m.end) not in heads]
    spans += [m.span() for m in _TIME_WORDS.finditer(s)] + lunar_day_spans(s)
    spans += region_spans(s)
    spans += [m.span() for m in _OCCASION.finditer(s)]  # 开业优惠: the occasion is not the product
    if s.isascii():
        spans += [m.span() for m in _EN_TIME_WORDS.finditer(s)]
    if brand:
        spans.append(brand)
    return spans


def find_channels(s: str) -> list[str]:
    """Channel and platform names in normalized Simplified text ``s``, in order, as written there (a nickname
    by its channel's name: xhs is 小红书, or Xiaohongshu in English text)."""
    return list(dict.fromkeys(m.term.shown(s[m.pos:m.end], s.isascii()) for m in find_terms(s) if m.term.is_channel))


def find_mechanics(s: str) -> list[str]:
    """Offer mechanics in normalized Simplified text ``s`` (以旧换新, 会员月, 社群团购…), in order, as written."""
    return list(dict.fromkeys(s[m.pos:m.end] for m in find_terms(s) if not m.term.is_channel))


def parse_request(text: str, today: dt.date | None = None) -> Brief:
    """A Brief from a natural-language request in Chinese (either script) or English.

    Budget, dates (every form in ``assistant.briefs.when``), occasion, brand, product, mechanics,
    channels, audience, goals, region and store count are read when present; anything not found stays
    empty/None. Raises BriefError when what is written is impossible (negative or absurd budget, end
    before start)."""
    if not text or not text.strip():
        raise BriefError("the request is empty: describe the campaign, e.g. 「中秋月饼促销,预算30万,9月10日到25日」",
                         field="text")
    today = today or clock.today()
    script = writing_script(text)
    # 我哋嘅 reads as 我们的, 方按 as 方案 (same length: spans stay aligned)
    s = without_slips(as_mandarin(normalize_number_text(text)))
    shown = normalize_number_text(text, simplified=False)
    budget = find_budget(s)
    if budget is not None:
        check_budget(budget, "the request", f"{budget:g}")
    arabic = arabic_dates(s)
    window = find_window(arabic, today)
    start, end = window.start, window.end
    occasion = window.occasion or next((o for o in _OCCASIONS if o in s), "")
    check_dates(start, end, "the request")
    said = _AUDIENCE.search(s) or _AUDIENCE_EN.search(s)
    audience, audience_span = (said.group("a"), said.span("a")) if said else find_audience(s)
    goals = [_as_written(s, shown, span) for _, span in find_goals(s)]
    brand = find_brand(s, shown)
    brand_at = s.find(brand) if brand else -1
    brand_span = (brand_at, brand_at + len(brand)) if brand_at >= 0 else None
    lower = s.lower() if script == "en" else s
    # Goals are not products; but 「主要卖螺蛳粉」 says what is sold (the product reader reads after 卖)
    taken = _taken_spans(lower, brand_span) + [span for _, span in find_goals(lower) if not sells_at(lower, span[0])]
    taken += [audience_span] if audience_span else []  # 宝妈专场: whom it is for, not what is sold
    taken += _spans_in(s, arabic, window.spans)  # every time word of the window (月底, 中旬, 年后开工): no product
    taken += [m.span() for m in WHO_ASKS.finditer(s)] + speaker_spans(s)  # 「老板让我」「老板说」: who asked
    product, product_span = find_product(lower, taken)
    if brand_span and brand_or_product(s, brand):
        # 「给洗地机做个满减」: read again with X open; a product inside X makes X what is sold, not a brand.
        again, again_span = find_product(lower, [span for span in taken if span != brand_span])
        if again_span and brand_span[0] <= again_span[0] and again_span[1] <= brand_span[1]:
            product, product_span, brand, brand_span = again, again_span, "", None
    terms = find_terms(s)

    def written(items: list[Mention]) -> list[str]:
        return list(dict.fromkeys(m.term.shown(_as_written(s, shown, (m.pos, m.end)), script == "en") for m in items))

    return Brief(
        title=_title(s, shown),
        brand=_as_written(s, shown, brand_span) if brand_span else brand,
        product=written_product(lower, shown, product_span, taken) if product_span else product,
        occasion=festival_name(occasion, script),
        start=start,
        end=end,
        budget=budget,
        currency=find_currency(s, english=script == "en"),
        audience=_as_written(s, shown, audience_span) if audience_span else audience,
        channels=written([m for m in terms if m.term.is_channel]),
        mechanics=written([m for m in terms if not m.term.is_channel]),
        goals=goals,
        region=find_region(s),
        stores=find_stores(s),
        script=script,
    )


__all__ = ["find_budget", "find_channels", "find_currency", "find_mechanics", "parse_request"]
