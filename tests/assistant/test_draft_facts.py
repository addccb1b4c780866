"""The deterministic facts drafts rest on: budget allocation, phase schedule, festival dates, wording."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.drafting.budget import allocate, budget_lines
from assistant.drafting.facts import festival_sentence, window_sentence
from assistant.drafting.guidance import pick_quotes, sentences
from assistant.drafting.timeline import phase_role, schedule
from core.adlaw import has_claim as has_absolute_claim
from core.adlaw import soften
from core.plan import Brief
from core.text.money import money
from knowledge.passage import Passage

D = dt.date


@pytest.mark.parametrize("total", [300000, 2000000, 100000, 12345, 5000, 800000, 999, 1234567.89, 70])
def test_allocation_sums_exactly_to_the_total(total: float) -> None:
    amounts = allocate(total, [35, 25, 12, 10, 8, 4, 6])
    assert round(sum(amounts), 2) == round(total, 2)
    assert all(a > 0 for a in amounts)


def test_allocation_uses_round_shares_when_the_total_allows() -> None:
    assert allocate(300000, [35, 25, 12, 10, 8, 4, 6]) == [105000, 75000, 30000, 30000, 30000, 15000, 15000]
    assert allocate(100000, [50, 50]) == [50000, 50000]
    assert allocate(123400, [35, 25, 40]) == [43190, 30850, 49360]  # 5% of it is not whole yuan: whole percents
    assert allocate(123457, [35, 25, 40]) == [43210, 30864, 49383]  # not even 1%: the roundest unit


def test_budget_lines_carry_shares_that_match_amounts() -> None:
    brief = Brief(budget=123457, channels=["门店"])
    lines = budget_lines(brief)
    assert sum(line.amount for line in lines) == 123457
    for line in lines:
        assert line.share == round(line.amount / 123457 * 100, 1)
    assert lines[-1].item == "备用金"


@pytest.mark.parametrize(
    ("brief", "items"),
    [
        # The brand's own stores: no venue rental, but displays and sales staff.
        (Brief(budget=600000, channels=["门店"]),
         ["宣传推广费用", "促销让利与赠品", "门店物料与陈列", "导购激励与培训", "数据监测与分析", "备用金"]),
        # An online-only shop: no printed materials or shop staff, platform ads and service instead.
        (Brief(budget=800000, channels=["抖音", "天猫"]),
         ["平台与信息流投放", "达人与直播合作", "促销让利与优惠券", "页面设计与内容制作", "客服与仓配保障", "数据监测与分析", "备用金"]),
        # A private WeChat community: no media buying line at 40%.
        (Brief(budget=100000, channels=["社群", "小程序"], mechanics=["社群团购"]),
         ["社群运营与内容", "团长佣金与裂变奖励", "促销让利与优惠券", "配送与履约", "数据与工具", "备用金"]),
        # A trade-in gets its subsidy line first.
        (Brief(budget=5_000_000, channels=["门店", "线上"], mechanics=["以旧换新"])
         , ["以旧换新补贴", "平台与信息流投放", "达人与直播合作", "促销让利与优惠券", "页面设计与内容制作", "客服与仓配保障",
            "数据监测与分析", "备用金"]),
        # A tasting pop-up pays for samples and a venue.
        (Brief(budget=30000, mechanics=["品鉴", "快闪"], start=D(2026, 12, 4), end=D(2026, 12, 4)),
         ["试吃样品成本", "活动场地费用", "物料制作费用", "宣传推广费用", "人员费用", "嘉宾与互动奖品", "安全与保险", "备用金"]),
    ],
)
def test_budget_lines_fit_the_campaign_kind(brief: Brief, items: list[str]) -> None:
    assert [line.item for line in budget_lines(brief)] == items


def test_online_ads_name_the_brief_channels() -> None:
    lines = budget_lines(Brief(budget=800000, channels=["抖音", "小红书"]))
    assert lines[0].note == "抖音、小红书等渠道的投放与推广"


def test_schedule_puts_execution_exactly_on_the_window_with_no_overlap() -> None:
    brief = Brief(start=D(2026, 9, 10), end=D(2026, 9, 25))
    phases = schedule(brief, ["筹备", "预热", "执行", "总结"])
    assert [(p.name, p.start, p.end) for p in phases] == [
        ("筹备", D(2026, 8, 17), D(2026, 9, 1)),
        ("预热", D(2026, 9, 2), D(2026, 9, 9)),
        ("执行", D(2026, 9, 10), D(2026, 9, 25)),
        ("总结", D(2026, 9, 26), D(2026, 10, 3)),
    ]


@pytest.mark.parametrize("start,end", [(D(2026, 8, 19), D(2026, 8, 19)), (D(2027, 1, 20), D(2027, 2, 20)),
                                       (D(2026, 10, 1), D(2026, 10, 7)), (D(2026, 1, 1), D(2026, 12, 31))])
def test_schedule_is_ordered_and_contiguous_for_any_window(start: dt.date, end: dt.date) -> None:
    phases = schedule(Brief(start=start, end=end))
    execute = [p for p in phases if phase_role(p.name) == "execute"][0]
    assert (execute.start, execute.end) == (start, end)
    for before, after in zip(phases, phases[1:], strict=False):
        assert before.start <= before.end < after.start
        assert (after.start - before.end).days == 1


def test_quarters_split_the_window_when_no_phase_is_execution() -> None:
    quarters = ["第一季度", "第二季度", "第三季度", "第四季度"]
    phases = schedule(Brief(start=D(2027, 1, 1), end=D(2027, 12, 31)), quarters)
    assert [(p.start, p.end) for p in phases] == [(D(2027, 1, 1), D(2027, 3, 31)), (D(2027, 4, 1), D(2027, 6, 30)),
                                                  (D(2027, 7, 1), D(2027, 9, 30)), (D(2027, 10, 1), D(2027, 12, 31))]
    fiscal = schedule(Brief(start=D(2026, 7, 1), end=D(2027, 6, 30)), quarters)  # not one calendar year: even split
    assert fiscal[0].start == D(2026, 7, 1) and fiscal[-1].end == D(2027, 6, 30)
    assert sum((p.end - p.start).days + 1 for p in fiscal) == 365


@pytest.mark.parametrize("occasion,start,end,expected", [
    ("中秋", D(2026, 9, 10), D(2026, 9, 25), "2026年中秋节在9月25日。"),
    ("七夕", D(2026, 8, 10), D(2026, 8, 19), "2026年七夕节在8月19日。"),
    ("春节", D(2027, 1, 20), D(2027, 2, 10), "2027年春节在2月6日。"),
    ("國慶", D(2026, 9, 25), D(2026, 10, 7), "2026年国庆节在10月1日。"),
    ("618", D(2026, 6, 1), D(2026, 6, 18), "2026年618大促在6月18日。"),
    ("新品上市", D(2026, 6, 1), D(2026, 6, 18), ""),
])
def test_festival_sentence_has_the_right_date(occasion: str, start: dt.date, end: dt.date, expected: str) -> None:
    assert festival_sentence(Brief(occasion=occasion, start=start, end=end)) == expected


def test_window_and_money_are_written_as_plans_write_them() -> None:
    assert window_sentence(Brief(start=D(2026, 6, 1), end=D(2026, 6, 18))) == "活动时间:2026年6月1日至2026年6月18日,共18天。"
    assert window_sentence(Brief(start=D(2026, 8, 19), end=D(2026, 8, 19))) == "活动时间:2026年8月19日,共1天。"
    assert (money(300000), money(2000000), money(12345), money(5000)) == ("30万元", "200万元", "12,345元", "5,000元")


def test_absolute_claims_are_detected_and_softened() -> None:
    assert has_absolute_claim("打造行业第一品牌") and has_absolute_claim("最佳品质")
    assert not has_absolute_claim("第一季度完成筹备") and not has_absolute_claim("第一时间响应,最好提前备货")
    assert soften("国家级品质,最佳品质,销量第一") == "高标准品质,较好品质,销量领先"
    assert soften("第一时间响应,最好提前备货") == "第一时间响应,最好提前备货"


def test_quotes_skip_numbers_boilerplate_pinyin_and_glued_titles() -> None:
    passage = Passage(
        text="渠道风险防范关注渠道风险,制定相应的风险防范措施,如渠道审查、渠道监(jiān)控等。"
             "活动于2026年9月1日开始。版权说明:本文档由用户提供并上传。这是最佳的促销方式之一而且值得推荐。",
        doc="d", section="5.3 渠道管理 > 5.3.4 渠道风险防范")
    assert sentences(passage) == ["关注渠道风险,制定相应的风险防范措施,如渠道审查、渠道监控等。"]
    assert pick_quotes([(3, passage)], "渠道风险 防范") == [("关注渠道风险,制定相应的风险防范措施,如渠道审查、渠道监控等。", 3)]
