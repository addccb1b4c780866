"""The brief a conversation describes: every message the planner sent, read by the brief parser,
the request itself first and earlier messages filling what it leaves out (a brand named three
turns before counts)."""

from __future__ import annotations

import datetime as dt
import re

from assistant.briefs import names_a_plan_part, parse_request
from core.errors import BriefError
from core.plan import Brief
from core.text.amounts import normalize_number_text

_FILLABLE = ("brand", "product", "occasion", "audience", "region", "title")
# 「我们是一家叫「麦香坊」的…」, 「品牌是喜茶」, 「我是“山野咖啡”的…」, "our brand is Luna"
_BRAND = (
    re.compile(r"[「“\"『《](?P<b>[^」”\"』》]{2,16})[」”\"』》]"),
    re.compile(r"(?:品牌(?:名|名字|名称)?(?:是|叫|为|:|：)|(?:我们|我)(?:是|叫)(?:一家|一个)?(?:叫)?|店名(?:是|叫))"
               r"\s*(?P<b>[\u4e00-\u9fffA-Za-z0-9]{2,12}?)(?=[,，。;；的\s]|$)"),
    re.compile(r"\b(?:our brand is|brand name is|we are|we're)\s+(?P<b>[A-Z][\w&' -]{1,30}?)(?=[,.;]|$| and\b)"),
)
_NOT_BRAND = re.compile(r"方案|活动|促销|预算|策划|市场|负责人|一家|公司|门店|店铺")
_NEXT_MONTH_DAY = re.compile(r"(?P<which>下[个個]?月|本月|这[个個]月|這[个個]月)\s*(?P<d>\d{1,2})\s*(?P<u>号|號|日)")


def brand_in(text: str) -> str:
    """The brand a message names (「麦香坊」, 品牌是喜茶), or ''."""
    for pattern in _BRAND:
        for m in pattern.finditer(text):
            name = m.group("b").strip()
            if name and not _NOT_BRAND.search(name):
                return name
    return ""


def resolve_relative_days(text: str, today: dt.date) -> str:
    """「下个月1号到15号」 written as 「12月1号到15号」 (the month the planner means), for the date parser."""
    def month_day(m: re.Match[str]) -> str:
        month = today.month % 12 + 1 if m.group("which").startswith("下") else today.month
        year = today.year + (1 if m.group("which").startswith("下") and today.month == 12 else 0)
        prefix = f"{year}年" if year != today.year else ""
        return f"{prefix}{month}月{m.group('d')}{m.group('u')}"

    return _NEXT_MONTH_DAY.sub(month_day, normalize_number_text(text, simplified=False))


def read(text: str, today: dt.date) -> Brief | None:
    """The brief one message describes (None when it describes something impossible)."""
    try:
        brief = parse_request(resolve_relative_days(text, today), today=today)
    except BriefError:
        return None
    if not brief.brand:
        brand = brand_in(text)
        if brand:
            brief = brief.model_copy(update={"brand": brand})
    return brief


def merged(base: Brief, extra: Brief, *, override: bool) -> Brief:
    """``base`` with ``extra``'s fields: essentials replace when ``override`` (the budget with its currency), channels, goals and mechanics join
    ``base``'s, text fields only fill what ``base`` leaves empty."""
    update: dict[str, object] = {}
    for name in ("budget", "start", "end"):
        value = getattr(extra, name)
        if value is not None and (override or getattr(base, name) is None):
            update[name] = value
            if name == "budget":
                update["currency"] = extra.currency  # 新台幣5萬 is not 5万 of 人民币
    for name in _FILLABLE:
        if getattr(extra, name) and not getattr(base, name):
            update[name] = getattr(extra, name)
    for name in ("channels", "goals", "mechanics"):
        mine, theirs = getattr(base, name), getattr(extra, name)
        if theirs:
            update[name] = list(dict.fromkeys([*mine, *theirs]))
    result = base.model_copy(update=update)
    if result.start is not None and result.end is not None and result.end < result.start:
        # 「1月3号」 after 「12月30号」 without a year: the end is next year's.
        try:
            result = result.model_copy(update={"end": result.end.replace(year=result.end.year + 1)})
        except ValueError:
            pass
    return result


def conversation_brief(request: str, earlier: list[str], today: dt.date, *, since: int = 0) -> Brief:
    """The brief of ``request`` with what the planner's earlier messages said filling its gaps: names
    (brand, product, audience) from any of them, budget, dates and channels only from ``earlier[since:]``
    (what was said before an earlier plan was drafted belonged to that plan)."""
    brief = read(request, today) or Brief()
    for i in range(len(earlier) - 1, -1, -1):
        other = read(earlier[i], today)
        if other is None:
            continue
        if other.product and names_a_plan_part(other.product):
            # 「那风险呢？」 asked about a chapter: its topic is no product of the plan asked for later.
            other = other.model_copy(update={"product": ""})
        if i < since:
            other = Brief(**{name: getattr(other, name) for name in _FILLABLE if name != "title"})
        brief = merged(brief, other, override=False)
    return brief


__all__ = ["brand_in", "conversation_brief", "merged", "read", "resolve_relative_days"]
