"""Deterministic plan operations: amounts that add up to the total, phases laid day by day, tables
rewritten in the chapter bodies, numbers never taken from a model."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant import script_boundary
from assistant.planning import operations as ops
from assistant.planning.detail import _details
from core.plan import BudgetLine, Plan
from tests.assistant.planning.test_edits import BRIEF, PLAN

D = dt.date


def body_plan() -> Plan:
    """PLAN with its budget and timeline tables written in the chapter bodies, as drafts have them."""
    from assistant.drafting.tables import budget_table, timeline_table

    plan = PLAN.model_copy(deep=True)
    plan.chapters[0].body = "活动时间:2026年12月20日至2026年12月25日,共6天。总预算2万元。"
    plan.chapters[3].body = "活动时间:2026年12月20日至2026年12月25日,共6天。\n\n" + timeline_table(plan.phases) + "\n\n收尾。"
    plan.chapters[6].body = "总预算2万元,分配如下:\n\n" + budget_table(plan.budget_lines, 20000) + "\n\n备用金说明。"
    return plan


@pytest.mark.parametrize("total", [8000, 25000, 12345, 300000, 0.5 * 99])
def test_a_new_budget_keeps_the_shares_and_adds_up_exactly(total: float) -> None:
    out = ops.set_budget(body_plan(), BRIEF, total)
    assert out.brief.budget == total and out.plan.budget_total == total
    assert round(sum(line.amount for line in out.plan.budget_lines), 2) == round(total, 2)
    assert "| 合计 | 20,000 |" not in out.plan.chapters[6].body
    assert out.changes


def test_a_budget_in_whole_shares_keeps_them_exactly() -> None:
    out = ops.set_budget(body_plan(), BRIEF, 8000)
    assert [line.amount for line in out.plan.budget_lines] == [3200, 2000, 1200, 800, 800]
    assert "总预算8,000元" in out.plan.chapters[0].body
    assert "| 合计 | 8,000 | 100% |" in out.plan.chapters[6].body
    assert out.plan.chapters[6].body.endswith("备用金说明。")


def test_a_share_set_to_half_leaves_the_rest_in_proportion() -> None:
    out = ops.set_share(body_plan(), BRIEF, 0, 50)
    amounts = [line.amount for line in out.plan.budget_lines]
    assert amounts[0] == 10000 and sum(amounts) == 20000
    assert amounts[1] > amounts[2] > amounts[3]
    assert out.plan.budget_lines[0].share == 50
    assert "| 宣传推广费用 | 10,000 | 50% |" in out.plan.chapters[6].body


@pytest.mark.parametrize("percent", [0, 100, 130])
def test_impossible_shares_are_refused_with_the_fix(percent: float) -> None:
    with pytest.raises(Exception, match="between 0 and 100%"):
        ops.set_share(body_plan(), BRIEF, 0, percent)


def test_shifting_moves_the_window_every_phase_and_the_sentences() -> None:
    out = ops.shift(body_plan(), BRIEF, 7)
    assert (out.brief.start, out.brief.end) == (D(2026, 12, 27), D(2027, 1, 1))
    assert [(p.start, p.end) for p in out.plan.phases] == [
        (D(2026, 12, 17), D(2026, 12, 23)), (D(2026, 12, 24), D(2026, 12, 26)),
        (D(2026, 12, 27), D(2027, 1, 1)), (D(2027, 1, 2), D(2027, 1, 6))]
    assert "2026年12月27日至2027年1月1日" in out.plan.chapters[0].body
    assert "| 执行 | 2026-12-27 | 2027-01-01 |" in out.plan.chapters[3].body


def test_a_longer_warm_up_starts_earlier_and_pushes_preparation_back() -> None:
    out = ops.resize_phase(body_plan(), BRIEF, "warmup", to_days=14)
    assert out.brief == BRIEF
    warm, prep = out.plan.phases[1], out.plan.phases[0]
    assert (warm.start, warm.end) == (D(2026, 12, 6), D(2026, 12, 19))
    assert prep.end == D(2026, 12, 5) and (prep.end - prep.start).days + 1 == 7


def test_a_longer_execution_moves_the_end_and_the_wrap_up() -> None:
    out = ops.resize_phase(body_plan(), BRIEF, "execute", by_days=3)
    assert out.brief.end == D(2026, 12, 28)
    assert out.plan.phases[3].start == D(2026, 12, 29)


def test_resizing_to_the_same_length_changes_nothing() -> None:
    out = ops.resize_phase(body_plan(), BRIEF, "warmup", to_days=3)
    assert out.changes == [] and out.plan == body_plan()


def test_removing_a_chapter_renumbers_the_rest() -> None:
    out = ops.remove_chapter(body_plan(), BRIEF, 7)
    assert [c.title for c in out.plan.chapters][-2:] == ["七、费用预算", "八、效果评估"]
    assert out.changes == ["删除章节:风险评估与应急预案"]


def test_mechanics_join_the_offer_list() -> None:
    plan = body_plan()
    plan.chapters[5].body = "促销方式:\n- 满减:设置阶梯满减门槛\n具体力度另定。"
    out = ops.add_mechanics(plan, BRIEF, ["抽奖互动:消费满额参与抽奖"])
    assert out.plan.chapters[5].body == "促销方式:\n- 满减:设置阶梯满减门槛\n- 抽奖互动:消费满额参与抽奖\n具体力度另定。"


def test_a_mechanic_with_the_planners_numbers_joins_a_list_that_has_it_generically() -> None:
    plan = body_plan()
    plan.chapters[5].body = "促销方式:\n- 满减:设置阶梯满减门槛\n具体力度另定。"
    line = "满减:满300减50;设置阶梯满减门槛,提升客单价"
    out = ops.add_mechanics(plan, BRIEF, [line])
    assert f"- {line}" in out.plan.chapters[5].body
    again = ops.add_mechanics(out.plan, BRIEF, [line])
    assert again.plan is out.plan and again.changes == []  # said twice, added once


def test_traditional_plans_are_changed_in_traditional() -> None:
    """Operations work in Simplified; the plan service gives the plan back its script, every line it
    had before as written (as ``PlanService.apply`` does)."""
    plan = body_plan()
    plan.script = "zh-Hant"
    plan.chapters[0].body = "總預算2萬元。\n為群眾考核對表現。"
    simple, written = script_boundary.simplified(plan)
    out = ops.set_budget(simple, BRIEF, 30000)
    shown = script_boundary.restored(out.plan, "zh-Hant", written)
    assert shown.chapters[0].body == "總預算3萬元。\n為群眾考核對表現。"


def test_execution_details_use_the_plans_own_dates() -> None:
    from assistant.drafting.outline import SectionSpec

    spec = SectionSpec(index=4, key="channels", kind="channels", title="宣传推广", heading="五、宣传推广")
    lines = _details(body_plan(), BRIEF, spec)
    assert "- 预热(2026-12-17至2026-12-19):渠道执行组负责" in "\n".join(lines)
    assert any(line.startswith("- 渠道:抖音") for line in lines)




def test_a_share_the_line_already_has_changes_nothing() -> None:
    """「宣传推广提到40%」 on a plan that gives it 40% redistributed the other lines (40% → 40%, and 物料 moved)."""
    outcome = ops.set_share(PLAN, BRIEF, 0, 40)
    assert outcome.plan == PLAN and outcome.changes == []
    assert outcome.notes == ["宣传推广费用已经是预算的40%(8,000元),没有改动。"]


ONLINE = PLAN.model_copy(update={"budget_lines": [
    BudgetLine(item="平台与信息流投放", amount=7000, share=35), BudgetLine(item="达人与直播合作", amount=3000, share=15),
    BudgetLine(item="促销让利与优惠券", amount=5000, share=25), BudgetLine(item="页面设计与内容制作", amount=3000, share=15),
    BudgetLine(item="备用金", amount=2000, share=10)]})


@pytest.mark.parametrize(("words", "named"), [
    ("宣传推广", [0, 1]), ("宣传费用占比拉到", [0, 1]), ("put it into advertising", [0, 1]), ("ad budget", [0, 1]),
    ("平台投放", [0]), ("达人", [1]), ("优惠券", [2]), ("天气", []),
])
def test_a_cost_category_names_all_its_lines_and_a_line_s_own_words_name_one(words: str, named: list[int]) -> None:
    assert ops.lines_named(ONLINE.budget_lines, words) == named


def test_a_category_spread_over_two_lines_takes_its_share_together() -> None:
    outcome = ops.set_share(ONLINE, BRIEF, 0, 40, [1])
    amounts = [line.amount for line in outcome.plan.budget_lines]
    assert amounts[0] + amounts[1] == 8000 and amounts[0] / amounts[1] == pytest.approx(7 / 3, rel=0.01)
    assert sum(amounts) == 20000
    assert outcome.changes == ["平台与信息流投放、达人与直播合作合计:50% → 40%(1万元 → 8,000元),其余费用按原比例分配剩余预算"]


def test_a_share_for_a_category_the_plan_lacks_adds_its_line_before_the_reserve() -> None:
    outcome = ops.add_share_line(ONLINE, BRIEF, "staff", 10)
    lines = outcome.plan.budget_lines
    assert [line.item for line in lines][-2:] == ["人员费用", "备用金"] and lines[-2].amount == 2000
    assert sum(line.amount for line in lines) == 20000
    assert outcome.changes == ["新增预算项:人员费用 10%(2,000元),其余费用按原比例分配剩余预算"]


def test_a_budget_in_another_currency_puts_the_whole_plan_in_it_without_converting() -> None:
    """「预算改成1万美元」 on a 人民币 plan: the planner said what the total is; the shares stay, every amount is
    written in 美元 (the table's header too), and the change line says the currency changed and nothing was converted."""
    out = ops.set_budget(body_plan(), BRIEF, 10000, "USD")
    assert (out.plan.currency, out.brief.currency, out.plan.budget_total) == ("USD", "USD", 10000)
    assert [line.amount for line in out.plan.budget_lines] == [4000, 2500, 1500, 1000, 1000]
    assert "总预算1万美元" in out.plan.chapters[0].body and "2万元" not in out.plan.chapters[0].body
    assert "金额(美元)" in out.plan.chapters[6].body
    assert out.changes == ["总预算:2万元 → 1万美元(币种:人民币 → 美元,金额按新币种写,未按汇率换算)"]
    same = ops.set_budget(body_plan(), BRIEF, 20000, "USD")  # the same number in another currency is a change too
    assert same.plan.currency == "USD" and same.changes


def test_an_amount_in_another_currency_is_not_added_and_the_reply_asks_for_the_total() -> None:
    plan = body_plan()
    out = ops.budget_change_in_another_currency(plan, BRIEF, 2000, "USD")
    assert out.plan == plan and out.brief == BRIEF and not out.changes
    assert "2,000美元要按汇率换算" in out.notes[0] and "人民币" in out.notes[0] and "方案没有改动" in out.notes[0]
    english = ops.budget_change_in_another_currency(plan.model_copy(update={"script": "en"}),
                                                    BRIEF.model_copy(update={"script": "en"}), 2000, "USD")
    assert english.notes[0].startswith("The plan's amounts are in CNY (total CNY 20,000); USD 2,000 would need")


def test_rename_sets_the_theme_and_replaces_the_old_title() -> None:
    plan = PLAN.model_copy(deep=True)
    plan.chapters[1].body = "主题:圣诞节活动方案"
    out = ops.rename(plan, BRIEF, "喵星人的冬日加餐")
    assert out.plan.title == "喵星人的冬日加餐" and out.brief.title == "喵星人的冬日加餐"
    assert out.plan.chapters[1].body == "主题:喵星人的冬日加餐"
    assert out.changes == ["主题:圣诞节活动方案 → 喵星人的冬日加餐"]
    assert ops.rename(out.plan, out.brief, "喵星人的冬日加餐").changes == []
