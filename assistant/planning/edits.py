"""What a planner's message asks to change in the plan: 「预算改成8千」, 「活动整体延后一周」,
「预热期延长到两周」, 「把宣传费提到50%」, 「加上小红书渠道」, 「第五节写得更具体一点」, 「删掉风险那一章」.

Amounts, dates and channels are read with the brief parser (``assistant.briefs``); this module
adds only what edits need on top: which way a change goes (to / by, later / earlier), lengths
such as 一周 without 为期, percentages, phases and chapters named by meaning.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, Field

from assistant.briefs import find_dates, parse_amount
from assistant.briefs.entities import find_terms, term_named
from assistant.briefs.request import find_budget, find_channels, find_mechanics
from assistant.drafting.budget import CATEGORIES, CONTINGENCY
from assistant.drafting.compose import mechanics_in
from assistant.drafting.timeline import PhaseRole
from assistant.planning.intents import asks_anything
from core.errors import BriefError
from core.plan import Brief, Plan
from core.text.amounts import CURRENCY_MARKS, currency_in, normalize_number_text
from core.text.numerals import parse_english_number
from core.text.scripts import to_simplified

EditKind = Literal["budget", "share", "shift", "window", "phase", "channels", "audience", "mechanics",
                   "rewrite", "add_chapter", "remove_chapter", "rename"]


class Edit(BaseModel):
    """One change to a plan, with its numbers already decided (by this parser, never by a model)."""

    kind: EditKind
    amount: float | None = Field(default=None, description="budget: the new total, in the plan's currency unless "
                                                          "currency names another")
    currency: str | None = Field(default=None, description="budget: the ISO code the planner wrote the amount in, "
                                                           "when it is not the plan's (the plan takes it)")
    change: float | None = Field(default=None, description="budget: an amount to add (negative: take off) written in "
                                                           "another currency than the plan's, which is asked back")
    line: int | None = Field(default=None, description="share: index of the budget line")
    percent: float | None = Field(default=None, description="share: the line's new share in percent")
    lines: list[int] = Field(default_factory=list, description="share: every line of a cost category the planner "
                                                               "named (宣传推广 over 平台投放 and 达人合作), with line")
    category: str | None = Field(default=None, description="share: the cost category to add a line of, when the "
                                                           "plan has none (its key: advertising)")
    days: int | None = Field(default=None, description="shift: days later (negative: earlier)")
    start: dt.date | None = None
    end: dt.date | None = None
    phase: PhaseRole | None = None
    to_days: int | None = None
    by_days: int | None = None
    channels: list[str] = Field(default_factory=list, description="channels: the new list")
    absent: list[str] = Field(default_factory=list, description="channels: named to remove, not in the plan")
    text: str = Field(default="", description="audience / rename: the new theme, as written")
    mechanics: list[str] = Field(default_factory=list, description="mechanics: the offer chapter's lines for them")
    terms: list[str] = Field(default_factory=list, description="mechanics: the planner's words for them (满300减50), "
                                                               "added to the brief's mechanics")
    chapter: int | None = Field(default=None, description="rewrite/remove_chapter: chapter index")
    key: str | None = Field(default=None, description="add_chapter: template chapter key")


_N = r"(?P<n>\d+(?:\.\d+)?|[零一二两三四五六七八九十百半]+|one|two|three|four|five|six|seven|ten|fourteen|a|an)"
_UNIT = r"(?P<unit>个?月|个?星期|个?礼拜|周|天|日|months?|weeks?|days?)"
_LENGTH = re.compile(rf"{_N}\s*(?:个)?\s*{_UNIT}", re.I)

_UNDO = re.compile(r"撤销|撤回|撤消|回退|还原|复原|恢复(?:到)?(?:上一|之前|原来)|改回(?:去|来|原来)?|取消(?:刚才|上一|之前|这次)|"
                   r"不要(?:刚才|这个)的?(?:修改|改动)|回到上一版|\bundo\b|\brevert\b|\broll ?back\b|\bgo back\b", re.I)
_LATER = re.compile(r"延后|推迟|顺延|往后(?:推|延|挪|移)?|后延|推后|延期|晚|\bpush\w*\b.*\bback\b|\bpostpone|\bdelay|\blater\b", re.I)
_EARLIER = re.compile(r"提前|往前(?:推|挪|移)?|提早|早|\bbring\b.*\bforward|\bearlier\b|\bpull\b.*\bforward|\bmove\b.*\bup\b", re.I)
_LONGER = re.compile(r"延长|拉长|加长|增加|多|\bextend|\blengthen|\blonger\b", re.I)
_SHORTER = re.compile(r"缩短|压缩|减少|少|砍|\bshorten|\bcut\b|\bshorter\b|\breduce", re.I)
_TO = re.compile(r"(?:到|至|为|成|\bto\b)\s*$", re.I)
_WHOLE = re.compile(r"整体|整个|全部|活动|campaign|everything|whole|all", re.I)
_PHASES: tuple[tuple[PhaseRole, re.Pattern[str]], ...] = (
    ("warmup", re.compile(r"预热|蓄水|warm[- ]?up|teaser", re.I)),
    ("prepare", re.compile(r"筹备|准备期|准备阶段|prep", re.I)),
    ("wrapup", re.compile(r"总结|复盘|收尾|返场|wrap[- ]?up|review", re.I)),
    ("execute", re.compile(r"执行期|执行阶段|正式期|活动期|活动时间|活动天数|\bexecution\b|\brun\b", re.I)),
)
_PERCENT = re.compile(r"(?P<v>\d+(?:\.\d+)?)\s*%|百分之(?P<cn>[零一二两三四五六七八九十百]+)|(?P<half>一半|half)|"
                      r"(?P<cheng>[一二三四五六七八九\d])成", re.I)
# 'into discounts', 'the contingency to 5%': English names the line with a preposition, no share word.
_SHARE_WORDS = re.compile(r"占比|比例|比重|份额|占|费|预算|share|percent|portion|budget|spend|\b(?:to|into|on|for)\b",
                          re.I)
_ITEM_HEAD = re.compile(r"(?:费用|费|预算)$")  # 宣传推广费用 is named 宣传推广
_EDIT_VERB = re.compile(
    r"改|调|提|降|增|减|加|扩|缩|延|推|挪|移|换|删|砍|压|涨|拉|翻倍|翻番|去掉|不要|取消|补充|写|变|设|定为|多|少|投|"
    r"\b(?:change|set|raise|increase|lower|cut|reduce|move|push|shift|extend|shorten|add|remove|drop|delete|double|halve|"
    r"rewrite|expand|make|include|replace|swap|put|allocate|give)\b", re.I)
_ADD = re.compile(r"加上|加入|增加|添加|新增|再加|补充|加个|加一个|加|also|\badd\b|\binclude\b", re.I)
_REMOVE = re.compile(r"去掉|删掉|删除|删去|删了|移除|不要|不投|不用|不做|取消|砍掉|拿掉|停掉|停了|停投|别投|\bremove\b|\bdrop\b|\bdelete\b|\bwithout\b|"
                     r"\bno more\b", re.I)
# The whole budget scaled: 砍一半 / 减半 / 翻倍 / 增加20% / 减少三成 / cut in half / double.
_HALVE = re.compile(r"减半|砍半|(?:砍|减|削|降|缩|少)(?:掉|了|到|成)?\s*一半|\bin half\b|\bhalve\b|\bby half\b", re.I)
_DOUBLE = re.compile(r"翻倍|加倍|翻一番|翻番|\bdouble\b", re.I)
_BY_PART = re.compile(r"(?P<dir>增加|提高|提升|上调|追加|涨|加|多|减少|降低|下调|削减|砍|减|少|\braise\b|\bincrease\b|"
                      r"\bcut\b|\breduce\b|\blower\b)\s*(?:了|掉|\bit\b|(?:\bthe\s+(?:total\s+)?budget\s+)?\bby\b)?\s*"
                      r"(?P<p>\d+(?:\.\d+)?\s*%|[一二三四五六七八九\d]\s*成)", re.I)
_UP = re.compile(r"增加|提高|提升|上调|追加|涨|加|多|raise|increase", re.I)
_REPLACE = re.compile(r"(?P<a>\S+?)(?:换成|改成|替换为|改为)(?P<b>\S+)|replace (?P<a2>.+?) with (?P<b2>.+)", re.I)
_SPECIFIC = re.compile(r"具体|详细|详尽|细化|展开|充实|丰富|重写|改写|重新写|写细|more specific|more detail|in detail|"
                       r"rewrite|expand|flesh out|elaborate", re.I)
_CHAPTER_NO = re.compile(r"第\s*(?P<n>\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?:节|章|部分|部份|点|段)|"
                         r"\b(?:section|chapter|part)\s+(?P<m>\d{1,2})\b|\b(?P<ord>first|second|third|fourth|fifth|sixth|"
                         r"seventh|eighth|ninth|tenth)\s+(?:section|chapter|part)\b", re.I)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
             "ninth": 9, "tenth": 10}
_CHAPTER_WORD = re.compile(r"章|节|部分|部份|板块|\bchapter\b|\bsection\b|\bpart\b", re.I)
_AUDIENCE = re.compile(r"(?:目标人群|目标客群|目标用户|目标客户|目标受众|受众|人群|客群|族群|客层|用户群|客户群|面向的人|\baudience\b|\btarget(?:ing)?\b)"
                       r"\s*(?:改成|改为|换成|调整为|调整成|定为|设为|变成|是|为|:|：|\bto\b|\bis\b)\s*(?P<a>[^,，。;；!！?？\n]{2,30})",
                       re.I)
_START_WORD = re.compile(r"开始|开始时间|起始|\bstart", re.I)
_WHOLE_CAMPAIGN = re.compile(r"整体|整个|全部|\bwhole\b|\beverything\b|\bentire", re.I)
# Lengthening up to a date: the end moves, the start stays (「延长到1月4号」, "extend it to Feb 16").
_EXTEND_TO = re.compile(r"延长|拉长|延续|延至|\bextend\w*|\blengthen\w*|\buntil\b", re.I)
_END_WORD = re.compile(r"结束|截止|结束时间|\bend\b|\bends\b|\bfinish", re.I)


def normalized(text: str) -> str:
    """The message in Simplified, half-width digits, lower case."""
    return normalize_number_text(text).lower()


def is_undo(text: str) -> bool:
    """True when the message asks to take back the last change (撤销 / 撤回刚才的修改 / undo)."""
    return bool(_UNDO.search(normalized(text)))


def has_edit_verb(text: str) -> bool:
    """True when the message asks for a change (a verb of changing is in it; 「抖音不投了」 removes with 不投)."""
    s = normalized(text)
    return bool(_EDIT_VERB.search(s) or _REMOVE.search(s))


def _number(n: str) -> float | None:
    n = n.lower()
    english = parse_english_number(n) if n.isascii() and n.isalpha() else None  # the words _N admits
    if english is not None:
        return float(english)
    if n == "半":
        return 0.5
    try:
        return parse_amount(n.replace("半", "")) + (0.5 if n.endswith("半") and len(n) > 1 else 0.0)
    except BriefError:
        return None


def lengths_in(s: str) -> list[tuple[int, int, int]]:
    """(days, start, end) of each length in ``s``: 一周 → 7, 两周 → 14, 3天 → 3, half a month → 15."""
    found = []
    for m in _LENGTH.finditer(s):
        if m.group("unit") in ("日",) and re.match(r"\d", m.group("n")) and "月" in s[max(0, m.start() - 3):m.start()]:
            continue  # 12月25日 is a date, not a length
        count = _number(m.group("n"))
        if count is None or count <= 0:
            continue
        unit = m.group("unit").lower()
        if "月" in unit or unit.startswith("month"):
            if "个" not in m.group(0) and not m.group("n").startswith("半") and "month" not in unit:
                continue  # 12月 is a month name
            days = count * 30
        elif any(w in unit for w in ("周", "星期", "礼拜")) or unit.startswith("week"):
            days = count * 7
        else:
            days = count
        found.append((int(round(days)), m.start(), m.end()))
    return found


def _percent(s: str) -> tuple[float, int] | None:
    m = _PERCENT.search(s)
    if not m:
        return None
    if m.group("v"):
        return float(m.group("v")), m.start()
    if m.group("half"):
        return 50.0, m.start()
    if m.group("cheng"):
        value = _number(m.group("cheng"))
        return (value * 10, m.start()) if value else None
    value = _number(m.group("cn"))
    return (value, m.start()) if value else None


def _phase(s: str) -> PhaseRole | None:
    for role, pattern in _PHASES:
        if pattern.search(s):
            return role
    return None


def chapter_index(s: str, plan: Plan, template: object | None = None) -> int | None:
    """The chapter a message names: by number (第五节, section 5) or by meaning (风险那一章)."""
    m = _CHAPTER_NO.search(s)
    if m:
        raw = m.group("n") or m.group("m")
        n = _ORDINALS[m.group("ord").lower()] if m.group("ord") else int(_number(raw) or 0)
        return n - 1 if 1 <= n <= len(plan.chapters) else None
    best: tuple[int, int] | None = None
    for i, chapter in enumerate(plan.chapters):
        for name in _chapter_names(chapter.title, chapter.key, template):
            if len(name) >= 2 and name in s and (best is None or len(name) > best[0]):
                best = (len(name), i)
    return best[1] if best else None


def _chapter_names(title: str, key: str | None, template: object | None) -> list[str]:
    from knowledge.templates import normalize_heading

    names = [normalize_heading(title)]
    if template is not None and key:
        chapter = next((c for c in getattr(template, "chapters", []) if c.key == key), None)
        if chapter is not None:
            names += [to_simplified(n).lower() for n in template.names(chapter)]  # type: ignore[attr-defined]
    return names


def template_chapter(s: str, template: object) -> str | None:
    """The key of the template chapter a phrase names (人员分工 → staffing), or None."""
    best: tuple[int, str] | None = None
    for chapter in getattr(template, "chapters", []):
        for name in template.names(chapter):  # type: ignore[attr-defined]
            name = to_simplified(name).lower()
            if len(name) >= 2 and name in s and (best is None or len(name) > best[0]):
                best = (len(name), chapter.key)
    return best[1] if best else None


# The theme renamed: 「主题改成「喵星人的冬日加餐」」「活动名称就叫X」, "rename the campaign to X", "change the theme
# name to X", "call it X" — a naming noun or verb, then the name (quoted, else to the end of the sentence).
_RENAME = re.compile(
    r"(?:主题|标题|名字|名称|活动名|方案名|题目|slogan|口号)(?:名|名称)?\s*(?:改成|改为|换成|改叫|就叫|叫做|叫|定为|用)\s*|"
    r"(?:改名|命名|取名)(?:为|叫|成)\s*|"
    r"\b(?:rename|retitle)\s+(?:(?:the|our|this|it)\s+)?(?:campaign|plan|theme|promo|promotion|event)?\s*(?:to|as)\s+|"
    r"\b(?:change|set|make|switch)\s+(?:the|our)\s+(?:campaign\s+|plan\s+|promo\s+)?(?:theme|title|name|tagline)"
    r"(?:\s+name)?\s+to\s+|\b(?:call|name)\s+it\s+", re.I)
_NAME = re.compile(r"[「『“\"'‘《](?P<q>[^」』”\"'’》]{1,40})[」』”\"'’》]|(?P<w>[^,，。.;；!！?？\n]{2,30})")


def _rename(text: str) -> Edit | None:
    """The rename the message asks for, with the name as the planner wrote it; None when it names none."""
    shown = text.strip()
    m = _RENAME.search(to_simplified(shown))
    if m is None:
        return None
    name = _NAME.match(shown, m.end())
    if name is None:
        return None
    return Edit(kind="rename", text=(name.group("q") or name.group("w")).strip())


def parse_edits(text: str, plan: Plan, brief: Brief, *, today: dt.date, template: object | None = None) -> list[Edit]:
    """The changes the message asks for, in the order they should apply; empty when it asks for none."""
    s = normalized(text)
    renamed = _rename(text) if not asks_anything(text) or re.search(r"[「『“\"'‘《]", text) else None
    if renamed is not None:
        return [renamed]
    if not has_edit_verb(s):
        # 「预算2万吧」 said about a drafted plan still changes its budget, 「目标人群是附近的上班族」 its audience,
        # "ad budget should be 30%" a line's share.
        share = _share_edit(s, plan) if not asks_anything(text) else None
        if share is not None:
            return [share]
        budget = find_budget(s)
        if budget is not None and re.search(r"预算|经费|budget", s):
            return [Edit(kind="budget", amount=budget, currency=_other_currency(s, plan))]
        audience = _audience(text, s)
        return [audience] if audience is not None and not asks_anything(text) else []
    edits: list[Edit] = []
    _chapters(s, plan, template, edits)
    if any(e.kind in ("remove_chapter", "add_chapter") for e in edits):
        return edits

    percent = _percent(s)
    share = _share_edit(s, plan)
    if share is not None:
        edits.append(share)
    scale = _budget_scale(s) if not edits and re.search(r"预算|经费|budget", s) else None
    if scale is not None and brief.budget:
        edits.append(Edit(kind="budget", amount=round(brief.budget * scale, 2)))
    budget = find_budget(s) if (percent is None or not edits) and scale is None else None
    other = _other_currency(s, plan) if budget is not None else None
    # "make it 200k RMB", "make it $30k": an amount written as money is the budget all the same
    if budget is not None and (re.search(r"预算|经费|budget|总", s) or other or re.search(CURRENCY_MARKS, s, re.I)):
        delta = re.search(r"(?:增加|追加|加|多|提高|\bincrease\w*\b.*\bby\b|\braise\w*\b.*\bby\b)\s*(?:了)?\s*$",
                          s[: s.find(_first_amount(s))] if _first_amount(s) else "")
        minus = re.search(r"(?:减少|减|少|降低|砍|削减|\bcut\w*\b.*\bby\b|\breduce\w*\b.*\bby\b)\s*(?:了)?\s*$",
                          s[: s.find(_first_amount(s))] if _first_amount(s) else "")
        current = brief.budget or 0.0
        if other and (delta or minus):  # 「预算再加2000美元」 on a 人民币 plan: no rate to add it with
            edits.append(Edit(kind="budget", currency=other, change=budget if delta else -budget))
        else:
            amount = current + budget if delta else current - budget if minus else budget
            edits.append(Edit(kind="budget", amount=amount, currency=other))
    _dates(s, brief, today, edits)
    _channels(s, normalize_number_text(text), brief, edits)
    audience = _audience(text, s) if not edits else None
    if audience is not None:
        edits.append(audience)
    if _ADD.search(s) and not _REMOVE.search(s) and not edits:
        found = mechanics_in(s, english=plan.script == "en")
        if found:
            edits.append(Edit(kind="mechanics", mechanics=found, terms=find_mechanics(s)))
    return edits


def _other_currency(s: str, plan: Plan) -> str | None:
    """The currency a budget message writes its amount in when that is not the plan's (「1万美元」 on a 人民币 plan,
    "200k RMB" on a US$ one), or None. A bare $ is the US dollar's only on a plan not already in a dollar (on a
    HK$ plan "$250k" is HK$); 元 and 块 name no currency of their own (新台币5万元)."""
    named = currency_in(s)
    if named is None and plan.script == "en" and re.search(r"(?<![a-z])\$\s*\d", s, re.I) \
            and plan.currency.upper() not in ("USD", "TWD", "HKD"):
        named = "USD"
    if named is None and re.search(r"(?<=[\d万千百十])\s*蚊", s):  # Hong Kong's spoken dollar
        named = "HKD"
    return named if named is not None and named != plan.currency.upper() else None


def _share_edit(s: str, plan: Plan) -> Edit | None:
    """The share a percent gives one budget line: 「把宣传费提到50%」, 「宣传推广提到40%」, "put 30% into
    discounts"; the line is named before the percent, else after it. None when no line is named, or when the
    percent scales the whole budget (「预算增加20%」)."""
    from assistant.planning.operations import line_category, lines_named

    percent = _percent(s)
    if percent is None:
        return None
    # A line or cost category named by its item needs no share word (「宣传推广提到40%」, 「把促销让利与赠品提到30%」);
    # 「优惠力度提高到20%」 says how deep the discount goes, not what the discounts cost.
    items = [line.item for line in plan.budget_lines] + [c.item for c in (*CATEGORIES, CONTINGENCY)]
    named = any(_ITEM_HEAD.sub("", to_simplified(item).lower()) in s for item in items)
    if not (named or _SHARE_WORDS.search(s)):
        return None
    # The line is named before the percent (把宣传费提到50%); else after it (put 30% into discounts).
    lines = lines_named(plan.budget_lines, s[: percent[1]]) if percent[1] else []
    if not lines:
        lines = lines_named(plan.budget_lines, s[percent[1]:])
    if not lines:
        # A cost category the plan has no line of (宣传推广 in a group-buy plan): its line is added.
        key = line_category(s[: percent[1]]) if named or percent[1] else None
        return Edit(kind="share", percent=percent[0], category=key) if key is not None else None
    return Edit(kind="share", line=lines[0], percent=percent[0], lines=lines[1:])


def _audience(text: str, s: str) -> Edit | None:
    """The audience the message sets (「目标人群改成大学生」), as the planner wrote it; None when it sets none."""
    audience = _AUDIENCE.search(s)
    if audience is None:
        return None
    shown = normalize_number_text(text, simplified=False)
    a = audience.group("a").strip()
    written = shown[audience.start("a"):audience.end("a")].strip() if len(shown) == len(s) else a
    return Edit(kind="audience", text=written)


def _budget_scale(s: str) -> float | None:
    """What the message multiplies the whole budget by (砍一半 0.5, 翻倍 2, 增加20% 1.2, 减少三成 0.7), or None."""
    if _HALVE.search(s):
        return 0.5
    if _DOUBLE.search(s):
        return 2.0
    m = _BY_PART.search(s)
    if m is None:
        return None
    part = m.group("p").replace(" ", "")
    value = float(part[:-1]) / 100 if part.endswith("%") else (_number(part[:-1]) or 0) / 10
    if not 0 < value < 10:
        return None
    return 1 + value if _UP.fullmatch(m.group("dir")) else max(0.0, 1 - value)


def _first_amount(s: str) -> str:
    m = re.search(r"\d+(?:\.\d+)?\s*(?:万|千|k|w|m)?|[一二两三四五六七八九十]+[万千]", s)
    return m.group(0) if m else ""


def _chapters(s: str, plan: Plan, template: object | None, edits: list[Edit]) -> None:
    if _SPECIFIC.search(s):
        index = chapter_index(s, plan, template)
        if index is not None:
            edits.append(Edit(kind="rewrite", chapter=index))
        return
    if not _CHAPTER_WORD.search(s):
        return
    if _REMOVE.search(s):
        index = chapter_index(s, plan, template)
        if index is not None:
            edits.append(Edit(kind="remove_chapter", chapter=index))
    elif _ADD.search(s) and template is not None:
        key = template_chapter(s, template)
        if key is not None:  # one the plan has already changes nothing, and the planner is told so
            edits.append(Edit(kind="add_chapter", key=key))


def _dates(s: str, brief: Brief, today: dt.date, edits: list[Edit]) -> None:
    if any(e.kind in ("share",) for e in edits) or brief.start is None or brief.end is None:
        return
    phase = _phase(s)
    lengths = lengths_in(s)
    mentions = find_dates(s, (brief.start or today).year)
    if mentions:
        first = mentions[0]
        start, end = first.start, first.end
        if not first.year_given:
            # 「1月3号」 said about a campaign in December means the coming January.
            if start < brief.start - dt.timedelta(days=180):
                start = start.replace(year=start.year + 1)
                end = end.replace(year=end.year + 1) if end else None
        if end is None and len(mentions) > 1:
            end = mentions[1].start
        length = brief.end - brief.start
        side = _date_side(s, first.pos) if end is None else None
        if end is not None:
            edits.append(Edit(kind="window", start=start, end=end))
        elif side == "end" and start >= brief.start:
            edits.append(Edit(kind="window", start=brief.start, end=start))
        elif side == "start" and start <= brief.end:
            edits.append(Edit(kind="window", start=start, end=brief.end))
        else:  # the campaign moved to a new date: it keeps its length
            edits.append(Edit(kind="window", start=start, end=start + length))
        return
    if not lengths:
        return
    days, pos, end_pos = lengths[0]
    before = s[:pos]
    if phase is not None and phase != "execute" or (phase == "execute" and (_LONGER.search(s) or _SHORTER.search(s))):
        role = phase or "execute"
        if _TO.search(before):
            edits.append(Edit(kind="phase", phase=role, to_days=days))
        elif _SHORTER.search(s):
            edits.append(Edit(kind="phase", phase=role, by_days=-days))
        elif _LONGER.search(s):
            edits.append(Edit(kind="phase", phase=role, by_days=days))
        return
    if _LATER.search(s):
        edits.append(Edit(kind="shift", days=days))
    elif _EARLIER.search(s):
        edits.append(Edit(kind="shift", days=-days))
    elif _LONGER.search(s) or _SHORTER.search(s):
        window = (brief.end - brief.start).days + 1
        new = days if _TO.search(before) else window + (days if _LONGER.search(s) and not _SHORTER.search(s) else -days)
        edits.append(Edit(kind="phase", phase="execute", to_days=new))


def _date_side(s: str, at: int) -> Literal["start", "end"] | None:
    """Which end of the campaign one date in ``s`` (at ``at``) moves: the start or end word said nearest before
    it (「开始时间改到5月20号,结束不变」, "move the start to Jan 25, keep the end"), else the nearest after it
    (「改到1月4号结束」); lengthening to a date moves the end (「延长到1月4号」, "extend it to Feb 16"). None
    when the message moves the whole campaign (「整体改到…」) or names neither end: it keeps its length."""
    if _WHOLE_CAMPAIGN.search(s):
        return None
    words = [(m.start(), "start") for m in _START_WORD.finditer(s)] + [(m.start(), "end") for m in _END_WORD.finditer(s)]
    before = [w for w in words if w[0] < at]
    if before:
        return max(before)[1]  # type: ignore[return-value]
    if _EXTEND_TO.search(s[:at]):
        return "end"
    after = [w for w in words if w[0] > at]
    return min(after)[1] if after else None  # type: ignore[return-value]


def _concept(name: str) -> str:
    """The channel a name stands for (小红书, Xiaohongshu and RED are one), by the vocabulary; else the name."""
    simplified = to_simplified(name).lower()
    term = term_named(simplified)
    return term.name if term is not None else simplified


def _channels(s: str, cased: str, brief: Brief, edits: list[Edit]) -> None:
    """Channel changes in ``s`` (the message lower-cased), named as ``cased`` writes them (LINE, not line)."""
    if len(cased) != len(s):
        cased = s
    if not find_channels(cased):  # cased: RED is Xiaohongshu only in capitals
        return
    current = list(brief.channels)
    known = {_concept(c) for c in current}  # by concept: "remove douyin" takes out the tiktok it added
    replace = _REPLACE.search(s)
    if replace:
        a_span = replace.span("a") if replace.group("a") else replace.span("a2")
        b_span = replace.span("b") if replace.group("b") else replace.span("b2")
        a = cased[a_span[0]:a_span[1]] if a_span[0] >= 0 else ""
        b = cased[b_span[0]:b_span[1]] if b_span[0] >= 0 else ""
        gone, new = find_channels(a), find_channels(b)
        if gone and new:
            kept = [c for c in current if _concept(c) not in {_concept(g) for g in gone}]
            gone_absent = [g for g in gone if _concept(g) not in known]
            edits.append(Edit(kind="channels", channels=kept + [c for c in new if _concept(c) not in known],
                              absent=gone_absent))
            return
    # Each channel goes the way of the verb before it (after it when none comes before): 「去掉抖音,加上快手」.
    verbs = sorted([(m.start(), "remove") for m in _REMOVE.finditer(s)] + [(m.start(), "add") for m in _ADD.finditer(s)])
    if not verbs:
        if not re.search(r"投|上|渠道|channel", s):
            return
        verbs = [(0, "add")]
    drop: set[str] = set()
    absent: list[str] = []  # named to remove but not in the plan: said, not dropped in silence
    added: list[str] = []
    # A clause's own verb first: 「抖音和快手都投，小红书不要」 adds the first two (投 adds in a clause of channels
    # with no other verb), drops the third.
    clauses = [(m.start(), m.end()) for m in re.finditer(r"[^,，;；。!！]+", s)]
    for mention in find_terms(cased):
        if not mention.term.is_channel:
            continue
        lo, hi = next(((x, y) for x, y in clauses if x <= mention.pos < y), (0, len(s)))
        own = [(at, way) for at, way in verbs if lo <= at < hi]
        if not own and re.search(r"投|要|上", s[lo:hi]):
            own = [(lo, "add")]
        own = own or verbs
        before = [way for at, way in own if at < mention.pos]
        way = before[-1] if before else next(way for at, way in own if at >= mention.pos)
        name = cased[mention.pos:mention.end]
        concept = mention.term.name
        if way == "remove":
            drop.add(concept)
            if concept not in known and name not in absent:
                absent.append(name)
        elif concept not in known and concept not in {_concept(a) for a in added}:  # the plan service shows them
            added.append(name)
    kept = [c for c in current if _concept(c) not in drop]
    if len(kept) != len(current) or added or absent:
        edits.append(Edit(kind="channels", channels=kept + added, absent=absent))


__all__ = ["Edit", "EditKind", "chapter_index", "has_edit_verb", "is_undo", "lengths_in", "normalized",
           "parse_edits", "template_chapter"]
