"""Deterministic budget tables: the brief's total split over its campaign kind's cost lines (the
guidebooks' budget categories, split the way the kind spends), in whole amounts that add up exactly,
with shares that match the amounts."""

from __future__ import annotations

import math
from dataclasses import dataclass

from assistant.drafting.kinds import choose_kind, cost_lines
from core.plan import Brief, BudgetLine
from knowledge.passage import Passage


@dataclass(frozen=True)
class CostCategory:
    """A family of budget lines (the guidebooks' budget categories), the words that name it in a budget
    line or in what a planner says (「把宣传费提到50%」), for matching lines whatever the campaign kind."""

    key: str
    item: str
    item_en: str
    cues: tuple[str, ...]


CATEGORIES: tuple[CostCategory, ...] = (
    CostCategory("advertising", "宣传推广费用", "Advertising and promotion",
                 ("宣传", "推广", "广告", "投放", "媒体", "达人", "直播", "传播", "advertising", "ads", "media")),
    CostCategory("incentives", "促销让利与赠品", "Discounts and gifts",
                 ("让利", "折扣", "优惠", "赠品", "满减", "礼品", "补贴", "红包", "奖品", "权益", "返利", "样品", "小样",
                  "试吃", "佣金", "奖励", "discount", "coupon", "gift", "subsidy", "prize", "rebate", "sample")),
    CostCategory("materials", "物料制作费用", "Materials",
                 ("物料", "海报", "陈列", "页面", "内容", "设计", "制作", "展示", "materials", "content", "display")),
    CostCategory("staff", "人员费用", "Staff",
                 ("人员", "导购", "客服", "培训", "人工", "运营", "督导", "staff", "training", "labour")),
    CostCategory("venue", "活动场地费用", "Venue",
                 ("场地", "布置", "租赁", "会务", "搭建", "接待", "安全", "保险", "venue", "hospitality", "set-up")),
    CostCategory("fulfilment", "配送与履约", "Delivery and fulfilment",
                 ("配送", "履约", "仓", "物流", "delivery", "fulfilment")),
    CostCategory("research", "市场调研与数据分析", "Research and analytics",
                 ("调研", "数据", "分析", "监测", "工具", "research", "data", "analytics", "tracking")),
)
CONTINGENCY = CostCategory("contingency", "备用金", "Contingency reserve",
                           ("备用金", "应急", "预备", "不可预见", "contingency", "reserve"))


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


def budget_lines(brief: Brief, passages: list[Passage] | None = None, *, english: bool = False,
                 kind: str | None = None) -> list[BudgetLine]:
    """The budget table rows for ``brief``: the cost lines of its campaign kind (and of its mechanics:
    trade-in subsidy, samples, prizes), amounts summing to the brief's budget exactly, each with its share
    in percent (item names in English when asked). ``passages`` are not needed any more: the kinds'
    lines are the guidebooks' budget categories, split the way each kind spends."""
    if brief.budget is None:
        return []
    lines = cost_lines(kind or choose_kind(brief), brief)
    amounts = allocate(brief.budget, [line.weight for line in lines])
    out = []
    for line, amount in zip(lines, amounts, strict=True):
        note = line.note_en if english else line.note
        if line.item in ("宣传推广费用", "平台与信息流投放") and brief.channels:
            channels = [c for c in brief.channels][:4]
            note = ("Ads on " + ", ".join(channels)) if english else "、".join(channels) + "等渠道的投放与推广"
        out.append(BudgetLine(item=line.item_en if english else line.item, amount=amount,
                              share=share_percent(amount, brief.budget), note=note))
    return out
