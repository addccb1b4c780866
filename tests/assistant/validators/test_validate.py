"""validate_plan over small plans: clean plans get nothing, each planted error gets exactly its code."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.validators import validate_plan
from core.plan import Brief, Plan
from knowledge.templates import load_template
from tests.assistant.validators.plans import CLEAN_EN, CLEAN_HANS, CLEAN_HANT, change, codes, findings


@pytest.mark.parametrize("text", [CLEAN_HANS, CLEAN_HANT, CLEAN_EN], ids=["hans", "hant", "en"])
def test_clean_plans_get_no_findings(text: str) -> None:
    assert findings(text) == []


@pytest.mark.parametrize(
    ("text", "old", "new", "expected"),
    [
        # missing_chapter
        (CLEAN_HANS, "## 八、风险评估与应急预案\n高温影响配送:冷链配送。第一阶段先在两家门店试点。\n", "", ["missing_chapter"]),
        (CLEAN_HANT, "八、風險評估\n庫存不足:提前備貨。\n", "", ["missing_chapter"]),
        (CLEAN_EN, "## 9. Evaluation\nSales, ROI.\n", "", ["missing_chapter"]),
        # budget_sum_mismatch: lines ≠ total row
        (CLEAN_HANS, "| 推广 | 50,000 | 50% |", "| 推广 | 60,000 | 50% |", ["budget_sum_mismatch", "budget_share_mismatch"]),
        (CLEAN_EN, "| Ads | 120,000 |", "| Ads | 140,000 |", ["budget_sum_mismatch"]),
        # budget_total_mismatch: table total ≠ stated total
        (CLEAN_HANS, "总预算10万元", "总预算12万元", ["budget_total_mismatch"]),
        (CLEAN_HANT, "總預算200萬元", "總預算180萬元", ["budget_total_mismatch"]),
        (CLEAN_EN, "Total budget CNY 300,000", "Total budget CNY 350,000", ["budget_total_mismatch"]),
        # budget_share_mismatch: share ≠ amount/total and shares ≠ 100%
        (CLEAN_HANT, "| 地推人員 | 30 | 15% |", "| 地推人員 | 30 | 10% |", ["budget_share_mismatch", "budget_share_mismatch"]),
        (CLEAN_HANS, "| 备用金 | 20,000 | 20% |", "| 备用金 | 20,000 | 20.4% |", []),
        # timeline_order
        (CLEAN_HANS, "| 总结 | 2026-06-20 | 2026-06-30 |", "| 总结 | 2026-06-30 | 2026-06-20 |", ["timeline_order"]),
        # timeline_overlap
        (CLEAN_HANS, "| 总结 | 2026-06-20 |", "| 总结 | 2026-06-18 |", ["timeline_overlap"]),
        (CLEAN_HANT, "| 複盤 | 2026/6/19-", "| 複盤 | 2026/6/15-", ["timeline_overlap"]),
        # timeline_window_mismatch: execution ≠ stated activity period
        (CLEAN_EN, "| Execution | 2026-09-10 |", "| Execution | 2026-09-12 |", ["timeline_window_mismatch"]),
        (CLEAN_HANT, "| 活動執行 | 2026/6/1-2026/6/18 |", "| 活動執行 | 2026/6/1-2026/6/17 |",
         ["timeline_window_mismatch"]),
        # timeline_duration_mismatch: stated length ≠ dates (inclusive)
        (CLEAN_HANS, "为期10天", "为期9天", ["timeline_duration_mismatch"]),
        (CLEAN_HANT, "共18天", "共17天", ["timeline_duration_mismatch"]),
        (CLEAN_EN, "for 16 days", "for 15 days", ["timeline_duration_mismatch"]),
        (CLEAN_HANS, "为期10天", "为期一周", ["timeline_duration_mismatch"]),
        # festival_date_mismatch
        (CLEAN_HANS, "2026年端午节在6月19日", "2026年端午节(6月20日)", ["festival_date_mismatch"]),
        (CLEAN_EN, "Mid-Autumn Festival 2026 is on Sep 25", "Mid-Autumn Festival 2026 is on Sep 24",
         ["festival_date_mismatch"]),
        (CLEAN_HANT, "新婚家庭。", "新婚家庭。2026年中秋節在9月25日,端午節在6月19日。", []),
        (CLEAN_HANT, "新婚家庭。", "新婚家庭。中秋節(10月6日)。", ["festival_date_mismatch"]),
        (CLEAN_HANS, "2026年端午节在6月19日", "2026年的端午节(农历五月初五,6月20日)", ["festival_date_mismatch"]),
        (CLEAN_HANS, "2026年端午节在6月19日", "2026年的端午节(农历五月初五,6月19日)", []),
        (CLEAN_HANS, "2026年端午节在6月19日", "端午节前一周(6月12日)启动预售", []),
        (CLEAN_HANS, "社区家庭、企业福利采购。", "去年总预算8万元,预热5月1日-5月9日,正式活动为期10天(6月10日-6月19日)。", []),
        (CLEAN_HANS, "社区家庭、企业福利采购。", "正式活动为期9天(6月10日-6月19日)。", ["timeline_duration_mismatch"]),
        (CLEAN_HANS, "活动时间:2026年6月10日至6月19日,为期10天", "活动时间:6.10-6.19,为期10天", []),
        (CLEAN_HANS, "活动时间:2026年6月10日至6月19日,为期10天", "活动时间:6.8-6.19,为期12天", ["timeline_window_mismatch"]),
        (CLEAN_HANS, "活动时间:2026年6月10日至6月19日,为期10天", "活动时间:6.10-6.19,为期9天", ["timeline_duration_mismatch"]),
        (CLEAN_HANS, "2026年端午节在6月19日", "2026年端午节(6.20)", ["festival_date_mismatch"]),
        (CLEAN_HANS, "2026年端午节在6月19日", "2026年端午节,礼盒评分4.8分", []),
        # solar-term days: 冬至 2026 is Dec 22, 立秋 Aug 7
        (CLEAN_HANS, "2026年端午节在6月19日", "2026年端午节在6月19日,冬至(12月21日)另做汤圆专场", ["festival_date_mismatch"]),
        (CLEAN_HANS, "2026年端午节在6月19日", "2026年端午节在6月19日,冬至(12月22日)另做汤圆专场", []),
        (CLEAN_HANT, "新婚家庭。", "新婚家庭。2026年立秋(8月8日)推出秋天第一杯奶茶。", ["festival_date_mismatch"]),
        # a heading that merely contains 策略 does not stand in for 活动主题与策略 (the required background is gone)
        (CLEAN_HANS, "## 一、活动背景与目标", "## 一、价格策略", ["missing_chapter"]),
        # a promotion may leave its theme out: drafted, not required (no labelled plan counts it a problem)
        (CLEAN_HANS, "## 二、活动主题与策略", "## 二、价格策略", []),
        # an overview table stating the activity period
        (CLEAN_HANS, "社区家庭、企业福利采购。", "| 活动时间 | 2026年6月8日至6月19日 |\n| --- | --- |",
         ["timeline_window_mismatch"]),
        # a 天数 column in the timeline table, bare 预算 statements, remarks and full-width marks in cells
        (CLEAN_HANS, "| 执行 | 2026-06-10 | 2026-06-19 | 门店与社群销售 |", "| 执行 | 2026-06-10 | 2026-06-19 | 9天 |",
         ["timeline_duration_mismatch"]),
        (CLEAN_HANS, "| 执行 | 2026-06-10 | 2026-06-19 | 门店与社群销售 |", "| 执行 | 2026-06-10 | 2026-06-19 | 10天 |", []),
        (CLEAN_HANS, "社区家庭、企业福利采购。", "社区家庭。本次预算为12万元。", ["budget_total_mismatch"]),
        # a currency word between the total and its amount (「總預算新台幣120萬元」「總預算港幣$150,000」)
        (CLEAN_HANS, "社区家庭、企业福利采购。", "社区家庭。总预算为港币12万元。", ["budget_total_mismatch"]),
        (CLEAN_HANS, "社区家庭、企业福利采购。", "社区家庭。总预算新台币$100,000。", []),
        (CLEAN_HANS, "社区家庭、企业福利采购。", "社区家庭。推广预算3万元。", []),
        (CLEAN_HANS, "社区家庭、企业福利采购。", "社区家庭。其中,预算3万元用于社群推广。", []),
        (CLEAN_HANS, "社区家庭、企业福利采购。", "社区家庭。预算5万元用于社群推广。", []),
        (CLEAN_HANS, "| 推广 | 50,000 | 50% |", "| 推广 | 50,000(含达人费) | 50％ |", []),
        (CLEAN_HANS, "| 总结 | 2026-06-20 |", "| 总结 | 2026-06-19 |", []),
        # ad_law_wording (warning) — and ordinals / caps / advice that are not claims
        (CLEAN_HANS, "买二送一,满200减20。", "全网最低价,买二送一。", ["ad_law_wording"]),
        (CLEAN_HANT, "「煥新家」以舊換新。", "「煥新家」行業第一的國家級品質。", ["ad_law_wording"]),
        # an English total stated with words between (val26: 'The total marketing budget for 2027 is RMB 5,000,000')
        (CLEAN_EN, "Total budget CNY 300,000.", "The total campaign budget for 2026 is CNY 350,000.",
         ["budget_total_mismatch"]),
        (CLEAN_EN, "Total budget CNY 300,000.", "The total campaign budget for 2026 is CNY 300,000.", []),
        (CLEAN_EN, "Total budget CNY 300,000.", "Total KOL budget: CNY 50,000.", []),  # one line's budget
        (CLEAN_EN, '"Full moon, full table".', '"The best mooncakes in China".', ["ad_law_wording"]),
        (CLEAN_EN, '"Full moon, full table".', '"Full moon". Pick the best channels by ROI.', []),
        (CLEAN_HANS, "买二送一,满200减20。", "买二送一,保证100%到货。", ["ad_law_wording"]),
        (CLEAN_HANS, "买二送一,满200减20。", "买二送一,确保100%按时发货。", []),
        (CLEAN_HANS, "社区家庭、企业福利采购。", "社区家庭。把握最佳时机,最好提前备货;第一批礼盒100%按时到店。", []),
    ],
)
def test_each_planted_error_gets_its_code(text: str, old: str, new: str, expected: list[str]) -> None:
    assert sorted(codes(change(text, old, new))) == sorted(expected)


def test_findings_name_chapter_and_line_in_the_plans_script() -> None:
    hans = findings(change(CLEAN_HANS, "| 推广 | 50,000 | 50% |", "| 推广 | 60,000 | 60% |"))
    assert [(f.code, f.severity, f.location) for f in hans] == [
        ("budget_share_mismatch", "error", "七、费用预算,第28行"),
        ("budget_sum_mismatch", "error", "七、费用预算,第31行"),
    ]
    assert hans[0].message == "各项占比合计为110%,不是100%:请核对占比。"
    assert hans[1].message == "预算明细合计为11万元,与合计行的10万元不符:请核对各项金额或合计。"
    hant = findings(change(CLEAN_HANT, "| 地推人員 | 30 | 15% |", "| 地推人員 | 30 | 10% |"))
    assert hant[1].message == "「地推人員」佔比寫作10%,但30萬元佔總額200萬元的15.0%:請改正佔比或金額。"
    assert hant[1].location == "七、費用預算,第30行"
    en = findings(change(CLEAN_EN, "for 16 days", "for 15 days"))
    assert en[0].message == ("'for 15 days' does not match the dates: 2026-09-10 to 2026-09-25 is 16 days counting "
                             "both ends.")
    assert en[0].location == "1. Background and goals, line 4"


def test_festival_finding_gives_the_true_date() -> None:
    [finding] = findings(change(CLEAN_HANS, "2026年端午节在6月19日", "2026年端午节(6月20日)"))
    assert finding.message == "2026年端午是6月19日,不是6月20日:请改正日期并检查依此排定的时间。"
    assert (finding.chapter, finding.line) == ("一、活动背景与目标", 4)


def test_missing_chapter_names_the_chapter_in_the_plans_script() -> None:
    [finding] = findings(change(CLEAN_HANT, "八、風險評估\n庫存不足:提前備貨。\n", ""))
    assert finding.message == "缺少必備章節「風險評估與應急預案」:請補充這一章(模板「促銷活動方案」要求),放在「九、效果評估」之前。"


@pytest.mark.parametrize(
    ("brief", "expected"),
    [
        (Brief(budget=100_000, start=dt.date(2026, 6, 10), end=dt.date(2026, 6, 19)), []),
        (Brief(budget=120_000, start=dt.date(2026, 6, 10), end=dt.date(2026, 6, 19)), ["budget_total_mismatch"]),
        (Brief(budget=100_000, start=dt.date(2026, 6, 8), end=dt.date(2026, 6, 19)), ["timeline_window_mismatch"]),
        (Brief(), []),
    ],
)
def test_plan_checked_against_the_brief(brief: Brief, expected: list[str]) -> None:
    assert codes(CLEAN_HANS, brief=brief) == expected


def test_warmup_and_execution_together_may_make_the_activity_period() -> None:
    text = change(CLEAN_HANS, "| 执行 | 2026-06-10 | 2026-06-19 | 门店与社群销售 |",
                  "| 预热 | 2026-06-10 | 2026-06-14 | 社群预告 |\n| 正式销售 | 2026-06-15 | 2026-06-19 | 门店销售 |")
    assert codes(text) == []


def test_a_phase_spanning_the_whole_timeline_is_not_an_overlap() -> None:
    text = change(CLEAN_HANS, "| 总结 | 2026-06-20 | 2026-06-30 | 复盘 |",
                  "| 总结 | 2026-06-20 | 2026-06-30 | 复盘 |\n| 全程监控 | 2026-05-25 | 2026-06-30 | 数据监测 |")
    assert codes(text) == []


def test_unsupported_chapter_is_a_warning() -> None:
    plan = Plan.from_markdown(CLEAN_HANS, load_template("promotion"))
    plan.chapters[4].supported = False
    [finding] = validate_plan(plan)
    assert (finding.code, finding.severity) == ("unsupported_section", "warning")
    assert finding.message == "「五、宣传推广」在指南中没有找到依据:请人工核实本章内容。"


def test_annual_template_checks_its_own_chapters() -> None:
    text = ("# 2027年度营销计划\n## 一、市场环境分析\n…\n## 二、年度目标\n…\n## 三、目标市场与定位\n…\n"
            "## 四、产品策略\n…\n## 五、价格策略\n…\n## 六、渠道策略\n…\n## 七、推广策略\n…\n"
            "## 八、年度执行计划与时间表\n…\n## 九、监控与效果评估\n…\n")
    annual = load_template("annual")
    # An annual sales plan may leave risks and evaluation out (the guidebooks' sample 篇4 does); no budget is an error.
    assert [(f.code, f.message) for f in findings(text, template=annual)] == [
        ("missing_chapter", "缺少必备章节「预算与资源配置」:请补充这一章(模板「年度营销计划」要求),放在「九、监控与效果评估」之前。")]
