"""Deterministic budget tables: the brief's total split over the guidebooks' cost categories,
in whole amounts that add up exactly, with shares that match the amounts."""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.plan import Brief, BudgetLine
from core.text.scripts import to_simplified
from knowledge.passage import Passage


@dataclass(frozen=True)
class CostCategory:
    """A cost category the guidebooks name, how to recognise it in a passage, and its usual weight."""

    key: str
    item: str
    note: str
    cues: tuple[str, ...]
    weight: int
    item_en: str = ""
    note_en: str = ""


# The guidebooks' budget chapters list these categories (调研, 宣传推广, 场地, 物料, 人员, 杂项/应急);
# promotion guides add the discounts and gifts themselves. Weights are typical shares in percent.
CATEGORIES: tuple[CostCategory, ...] = (
    CostCategory("advertising", "宣传推广费用", "线上线下广告、媒体投放与社交媒体推广",
                 ("宣传推广费用", "广告", "媒体投放", "推广费用", "社交媒体"), 35,
                 "Advertising and promotion", "Online and offline ads, media buying, social media"),
    CostCategory("incentives", "促销让利与赠品", "折扣、满减、优惠券与赠品成本",
                 ("折扣", "优惠券", "赠品", "满减", "让利", "优惠", "礼品"), 25,
                 "Discounts and gifts", "Discounts, coupons and gift costs"),
    CostCategory("materials", "物料制作费用", "宣传资料、海报、包装与展示用品",
                 ("物料", "宣传资料", "展示用品", "海报", "宣传册"), 12,
                 "Materials", "Printed matter, posters, packaging and displays"),
    CostCategory("staff", "人员费用", "策划、执行、导购与客服人员成本",
                 ("人员费用", "人员", "工资", "志愿者", "导购", "客服"), 10,
                 "Staff", "Planning, execution, sales and service staff"),
    CostCategory("venue", "活动场地费用", "场地租赁与布置",
                 ("场地", "布置", "租赁"), 8, "Venue", "Venue rental and set-up"),
    CostCategory("research", "市场调研与数据分析", "问卷、数据分析与效果监测",
                 ("市场调研", "调研", "数据分析", "问卷"), 4,
                 "Research and analytics", "Surveys, data analysis and tracking"),
)
CONTINGENCY = CostCategory("contingency", "备用金", "应对不可预见的支出",
                           ("应急资金", "备用金", "预备", "不可预见"), 6,
                           "Contingency reserve", "For unforeseen costs")

_OFFLINE_CHANNEL_CUES = ("门店", "线下", "地推", "现场", "商场", "社区", "展会", "快闪", "店")
_ONLINE_STORE_CUES = ("旗舰店", "网店", "天猫", "京东", "淘宝", "小程序", "直播")


def choose_categories(brief: Brief, passages: list[Passage]) -> list[CostCategory]:
    """The cost categories for this brief: those the retrieved guidance mentions (the core ones
    always), venue costs only for offline channels, and a contingency reserve last."""
    text = to_simplified(" ".join(p.text for p in passages))
    offline = any(cue in to_simplified(channel) and not any(e in to_simplified(channel) for e in _ONLINE_STORE_CUES)
                  for channel in brief.channels for cue in _OFFLINE_CHANNEL_CUES)
    chosen: list[CostCategory] = []
    for category in CATEGORIES:
        mentioned = any(cue in text for cue in category.cues)
        if category.key in ("advertising", "incentives", "materials"):
            chosen.append(category)
        elif category.key == "venue":
            if offline:
                chosen.append(category)
        elif category.key == "staff":
            if offline or mentioned:
                chosen.append(category)
        elif mentioned:
            chosen.append(category)
    chosen.append(CONTINGENCY)
    return chosen


def _unit_for(total_cents: int, parts: int) -> int:
    """The roundest unit (in cents) that divides the total and still leaves each part several units."""
    for yuan in (10000, 1000, 100, 10, 1):
        unit = yuan * 100
        if total_cents % unit == 0 and total_cents // unit >= 10 * parts:
            return unit
    for unit in (100, 10, 1):
        if total_cents % unit == 0 and total_cents // unit >= parts:
            return unit
    return 1


def _largest_remainder(units: int, weights: list[int]) -> list[int]:
    """``units`` split in proportion to ``weights`` (each part at least one unit when there are enough)."""
    weight_sum = sum(weights)
    raw = [units * w / weight_sum for w in weights]
    floors = [math.floor(x) for x in raw]
    if units >= len(weights):
        floors = [max(1, f) for f in floors]
    while sum(floors) > units:  # the minimum of one unit may overshoot: take from the largest
        floors[floors.index(max(floors))] -= 1
    # Parts raised to the one-unit minimum already got more than their share: they come last.
    order = sorted(range(len(weights)), key=lambda i: (raw[i] - floors[i], weights[i]), reverse=True)
    i = 0
    while sum(floors) < units:
        floors[order[i % len(order)]] += 1
        i += 1
    return floors


def allocate(total: float, weights: list[int]) -> list[float]:
    """Amounts proportional to ``weights`` that sum exactly to ``total``. When the total allows, the
    shares are round (multiples of 5%, else whole percents) and the amounts whole yuan; otherwise the
    amounts are in the roundest unit the total allows (largest-remainder rounding either way)."""
    if total <= 0 or not weights:
        return [0.0 for _ in weights]
    total_cents = round(total * 100)
    for step in (5, 1):
        if 100 // step < len(weights):
            continue
        percents = [u * step for u in _largest_remainder(100 // step, weights)]
        if all(total_cents * p % 10000 == 0 for p in percents):
            return [float(total_cents * p // 10000) for p in percents]
    unit = _unit_for(total_cents, len(weights))
    amounts_cents = [u * unit for u in _largest_remainder(total_cents // unit, weights)]
    amounts_cents[-1] += total_cents - sum(amounts_cents)  # sub-unit remainder, if any, into the reserve
    return [c / 100 for c in amounts_cents]


def share_percent(amount: float, total: float) -> float:
    """``amount`` as a percent of ``total``, rounded to one decimal."""
    return round(amount / total * 100, 1) if total else 0.0


def budget_lines(brief: Brief, passages: list[Passage], *, english: bool = False) -> list[BudgetLine]:
    """The budget table rows for ``brief``: categories from the guidance, amounts summing to the
    brief's budget exactly, each with its share in percent (item names in English when asked)."""
    if brief.budget is None:
        return []
    categories = choose_categories(brief, passages)
    amounts = allocate(brief.budget, [c.weight for c in categories])
    lines = []
    for category, amount in zip(categories, amounts, strict=True):
        note = category.note_en if english else category.note
        if category.key == "advertising" and brief.channels:
            note = ("Ads on " + ", ".join(brief.channels)) if english else "、".join(brief.channels) + "等渠道的投放与推广"
        item = category.item_en if english else category.item
        lines.append(BudgetLine(item=item, amount=amount,
                                share=share_percent(amount, brief.budget), note=note))
    return lines
