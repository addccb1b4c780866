"""Plan Markdown: reading plans people write and writing plans that read back."""

from __future__ import annotations

import datetime as dt

import pytest

from core.errors import PlanFormatError
from core.plan import BudgetLine, Chapter, Citation, Phase, Plan, PlanContent
from core.plan.markdown import parse_plan as read_plan
from core.plan.markdown import render_plan
from knowledge.templates import load_template

D = dt.date
PROMOTION = load_template("promotion")


def parse_plan(text: str) -> PlanContent:
    """The plan read against the promotion template, as validation reads it."""
    return read_plan(text, PROMOTION)

HASH_PLAN = """# 「月满团圆」中秋礼盒促销方案

## 一、活动背景与目标
2026年中秋节在9月25日。活动时间:2026年9月10日至9月25日,共16天。[1]

## 二、时间与进度安排
| 阶段 | 开始 | 结束 | 工作内容 |
| --- | --- | --- | --- |
| 筹备 | 2026-08-20 | 2026-09-09 | 礼盒设计 |
| 执行 | 2026-09-10 | 2026-09-25 | 销售 |

## 三、费用预算
| 项目 | 金额 | 占比 | 备注 |
| --- | --- | --- | --- |
| 物料 | 8万元 | 40% | 礼盒 |
| 广告 | 12万元 | 60% | |
| 合计 | 20万元 | 100% | |

## 参考资料
[1] 活动背景分析 — 促销策略作业指导书 § 第一章/1.1
"""

NUMBERED_TRAD_PLAN = """「618家電節」促銷方案

一、活動背景與目標
活動時間:2026年6月1日至6月18日。總預算200萬元。

二、進度安排
| 階段 | 時間 |
| --- | --- |
| 籌備 | 5.10-5.31 |
| 活動執行 | 6.1-6.18 |

三、費用預算
單位:萬元
| 項目 | 預算 | 佔比 |
| --- | --- | --- |
| 補貼 | 120 | 60% |
| 廣告 | 80 | 40% |
| 合計 | 200 | 100% |
"""


def test_hash_headings_title_chapters_and_keys() -> None:
    plan = parse_plan(HASH_PLAN)
    assert plan.title == "「月满团圆」中秋礼盒促销方案"
    assert plan.script == "zh-Hans"
    assert [(c.title, c.key, c.line, c.body_line) for c in plan.chapters] == [
        ("一、活动背景与目标", "background", 3, 4),
        ("二、时间与进度安排", "timeline", 6, 7),
        ("三、费用预算", "budget", 12, 13),
    ]
    assert plan.chapters[0].citations == [1]
    assert plan.citations == [Citation(n=1, text="活动背景分析 — 促销策略作业指导书 § 第一章/1.1",
                                       doc="促销策略作业指导书", section="第一章/1.1", title="活动背景分析")]


def test_budget_table_with_units_shares_notes_and_total() -> None:
    plan = parse_plan(HASH_PLAN)
    assert plan.budget_lines == [
        BudgetLine(item="物料", amount=80_000, share=40, note="礼盒", line=15),
        BudgetLine(item="广告", amount=120_000, share=60, note="", line=16),
    ]
    assert plan.budget_total == 200_000


def test_timeline_table_with_start_and_end_columns() -> None:
    plan = parse_plan(HASH_PLAN)
    assert plan.phases == [
        Phase(name="筹备", start=D(2026, 8, 20), end=D(2026, 9, 9), work="礼盒设计", line=9),
        Phase(name="执行", start=D(2026, 9, 10), end=D(2026, 9, 25), work="销售", line=10),
    ]


def test_numbered_lines_without_hash_in_traditional_script() -> None:
    plan = parse_plan(NUMBERED_TRAD_PLAN)
    assert plan.title == "「618家電節」促銷方案"
    assert plan.script == "zh-Hant"
    assert [(c.key, c.line) for c in plan.chapters] == [("background", 3), ("timeline", 6), ("budget", 12)]
    # 單位:萬元 above the table scales bare numbers; dot dates take the year written in the plan.
    assert [(b.item, b.amount, b.share) for b in plan.budget_lines] == [("補貼", 1_200_000, 60), ("廣告", 800_000, 40)]
    assert plan.budget_total == 2_000_000
    assert [(p.name, p.start, p.end) for p in plan.phases] == [
        ("籌備", D(2026, 5, 10), D(2026, 5, 31)), ("活動執行", D(2026, 6, 1), D(2026, 6, 18))]


@pytest.mark.parametrize(
    ("header", "cell", "amount"),
    [("金额(万元)", "30", 300_000), ("金額(萬元)", "1.5", 15_000), ("金额(元)", "30,000", 30_000),
     ("金额", "¥5,000", 5_000), ("费用", "3w", 30_000), ("Amount (CNY)", "12,000", 12_000), ("预算/万元", "8", 80_000),
     ("金额", "8萬", 80_000),
     # A currency before the unit (fix19: "RMB k" was read as RMB, so 60 was 60 yuan, not 60,000).
     ("Amount (RMB k)", "60", 60_000), ("Amount (RMB thousand)", "60", 60_000), ("金額（港幣萬元）", "3", 30_000),
     ("Amount (HK$)", "30,000", 30_000), ("金额（人民币万元）", "2", 20_000)],
)
def test_budget_amount_units(header: str, cell: str, amount: float) -> None:
    text = f"## 费用预算\n| 项目 | {header} |\n| --- | --- |\n| 物料 | {cell} |\n"
    assert parse_plan(text).budget_lines[0].amount == amount


@pytest.mark.parametrize("total_word", ["合计", "合計", "总计", "總計", "Total", "**合计**"])
def test_total_row_words(total_word: str) -> None:
    text = f"## 预算\n| 项目 | 金额 |\n| --- | --- |\n| 物料 | 1万元 |\n| {total_word} | 1万元 |\n"
    plan = parse_plan(text)
    assert (len(plan.budget_lines), plan.budget_total) == (1, 10_000)


@pytest.mark.parametrize(
    ("cell", "start", "end"),
    [("2026-06-01 至 2026-06-18", D(2026, 6, 1), D(2026, 6, 18)), ("2026/6/1-2026/6/18", D(2026, 6, 1), D(2026, 6, 18)),
     ("6月1日-6月18日", D(2026, 6, 1), D(2026, 6, 18)), ("6月1日至18日", D(2026, 6, 1), D(2026, 6, 18)),
     ("6.1-6.18", D(2026, 6, 1), D(2026, 6, 18)), ("Jun 1 - Jun 18", D(2026, 6, 1), D(2026, 6, 18))],
)
def test_timeline_date_formats_take_the_plan_year(cell: str, start: dt.date, end: dt.date) -> None:
    text = f"# 方案\n## 一、活动背景\n2026年的活动。\n## 二、进度安排\n| 阶段 | 时间 |\n| --- | --- |\n| 执行 | {cell} |\n"
    assert [(p.start, p.end) for p in parse_plan(text).phases] == [(start, end)]


def test_timeline_written_as_a_list() -> None:
    text = ("## 一、活动背景\n2026年双十一。\n## 二、时间安排\n- 预热期:10月20日-10月31日,种草与预约\n"
            "- 爆发期:11月1日至11月11日,全渠道销售\n")
    assert [(p.name, p.start, p.end, p.work) for p in parse_plan(text).phases] == [
        ("预热期", D(2026, 10, 20), D(2026, 10, 31), "种草与预约"),
        ("爆发期", D(2026, 11, 1), D(2026, 11, 11), "全渠道销售")]


def test_budget_written_as_a_list() -> None:
    text = "## 费用预算\n- 物料:8万元(占比40%)\n- 广告:12万元(占比60%)\n合计:20万元\n"
    plan = parse_plan(text)
    assert [(b.item, b.amount, b.share) for b in plan.budget_lines] == [("物料", 80_000, 40), ("广告", 120_000, 60)]
    assert plan.budget_total == 200_000


@pytest.mark.parametrize("line", [
    "总预算3万元：场地布置1万元、食材1.2万元、宣传0.5万元。",
    "本次活动预算共计3万元，其中场地布置1万元，食材1.2万元，宣传0.5万元。",
    "總預算3萬元，包括場地布置1萬元、食材1.2萬元、宣傳0.5萬元。",
    "总预算3万元，具体为：场地布置费用1万元；食材费用1.2万元；宣传费用5000元。",
])
def test_budget_written_as_one_sentence(line: str) -> None:
    """Planners often write the split in one sentence after the total; it was not read at all, so a
    budget that did not add up (2.7万 of 3万) passed validation."""
    plan = parse_plan(f"## 一、活动目的\n提升客流。\n## 二、预算\n{line}\n")
    assert [b.amount for b in plan.budget_lines] == [10_000, 12_000, 5_000]
    assert [b.line for b in plan.budget_lines] == [4, 4, 4]
    assert plan.budget_lines[1].item in ("食材", "食材费用")


@pytest.mark.parametrize("line", [
    "总预算3万元，预计带来销售额30万元，毛利9万元。",
    "预算3万元，参照去年同期的2.5万元略有增加。",
    "活动期间每天投入约1000元，共10天，总计1万元。",
])
def test_amounts_in_budget_prose_that_are_not_a_split_are_no_budget_lines(line: str) -> None:
    assert parse_plan(f"## 一、活动目的\n提升客流。\n## 二、预算\n{line}\n").budget_lines == []


def test_first_chapter_style_headings_and_inline_bodies() -> None:
    text = "第一章 活动背景\n市场回暖。\n第二章 活动主题:焕新家\n第三章 费用预算\n总计 5万元\n"
    plan = parse_plan(text)
    assert [(c.title, c.key, c.body) for c in plan.chapters] == [
        ("第一章 活动背景", "background", "市场回暖。"), ("第二章 活动主题", "theme", "焕新家"),
        ("第三章 费用预算", "budget", "总计 5万元")]
    assert plan.chapters[1].body_line == 3


def test_english_plan() -> None:
    text = "# Spring Promotion\n\n## 1. Background\nSales fell.\n\n## 2. Budget\n| Item | Amount (CNY) |\n|---|---|\n" \
           "| Ads | 50,000 |\n| Total | 50,000 |\n"
    plan = parse_plan(text)
    assert (plan.title, plan.script, [c.key for c in plan.chapters]) == ("Spring Promotion", "en",
                                                                         ["background", "budget"])
    assert plan.budget_total == 50_000


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "the plan is empty: write chapters such as '## 一、活动背景与目标' with text under them"),
     ("   \n\n", "the plan is empty: write chapters such as '## 一、活动背景与目标' with text under them"),
     ("\x00\x01\x02PK\x03\x04", "the file looks binary, not a plan: give a Markdown or text file"),
     ("hello world, this is a note.\nnothing else",
      "no chapters found in the plan: start each chapter with a heading such as '## 一、活动背景与目标' or a line "
      "such as '一、活动背景'")],
)
def test_not_a_plan(text: str, message: str) -> None:
    with pytest.raises(PlanFormatError) as exc:
        parse_plan(text)
    assert str(exc.value) == message


def test_render_reads_back_with_tables_marks_and_references() -> None:
    plan = Plan(
        title="端午粽子礼盒促销方案", script="zh-Hans",
        chapters=[Chapter(title="一、活动背景与目标", body="端午节在6月19日。[1]", key="background"),
                  Chapter(title="二、时间与进度安排", body="分两个阶段。", key="timeline"),
                  Chapter(title="三、费用预算", body="预算如下。", key="budget"),
                  Chapter(title="四、风险评估与应急预案", body="待补充。", key="risk", supported=False)],
        budget_lines=[BudgetLine(item="物料", amount=30_000, share=30), BudgetLine(item="推广", amount=70_000, share=70)],
        budget_total=100_000,
        phases=[Phase(name="筹备", start=D(2026, 6, 1), end=D(2026, 6, 9)),
                Phase(name="执行", start=D(2026, 6, 10), end=D(2026, 6, 19))],
        citations=[Citation(n=1, text="x", doc="节日营销指南", section="第二章", title="节日选择")],
    )
    text = render_plan(plan)
    assert "| 合计 | 100,000 | 100% |  |" in text
    assert "[1] 节日选择 — 节日营销指南 § 第二章" in text
    back = parse_plan(text)
    assert back.title == plan.title
    assert [(c.title, c.key, c.supported) for c in back.chapters] == [
        (c.title, c.key, c.supported) for c in plan.chapters]
    assert [c.body for c in back.chapters][:1] == ["端午节在6月19日。[1]"]
    assert back.chapters[3].body == "待补充。"
    assert [(b.item, b.amount, b.share) for b in back.budget_lines] == [("物料", 30_000, 30), ("推广", 70_000, 70)]
    assert back.budget_total == 100_000
    assert [(p.name, p.start, p.end) for p in back.phases] == [(p.name, p.start, p.end) for p in plan.phases]
    assert [(c.n, c.doc, c.section, c.title) for c in back.citations] == [(1, "节日营销指南", "第二章", "节日选择")]
    assert render_plan(back) == text
    assert Plan.from_markdown(text, PROMOTION).to_markdown() == text


@pytest.mark.parametrize(
    ("text", "title", "chapters"),
    [
        ("# 中秋方案\n一、活动背景\n2026年。\n二、费用预算\n预算5万。\n", "中秋方案",
         [("一、活动背景", "background", 2), ("二、费用预算", "budget", 4)]),
        ("# 中秋方案\n(一)活动背景\n2026年。\n(二)费用预算\n预算5万。\n", "中秋方案",
         [("(一)活动背景", "background", 2), ("(二)费用预算", "budget", 4)]),
        ("**中秋方案**\n\n**活动背景**\n2026年。\n\n**费用预算**\n预算5万。\n", "中秋方案",
         [("活动背景", "background", 3), ("费用预算", "budget", 6)]),
        ("中秋方案\n1、活动背景\n2026年。\n2、费用预算\n预算5万。\n", "中秋方案",
         [("1、活动背景", "background", 2), ("2、费用预算", "budget", 4)]),
        ("# 方案\n## 第一部分 活动概述\n### 一、活动背景\n2026\n## 第二部分 执行\n### 二、时间安排\n…\n", "方案",
         [("第一部分 活动概述", "background", 2), ("第二部分 执行", None, 5)]),
        ("# 费用预算\n| 项目 | 金额 |\n|---|---|\n| 物料 | 1万元 |\n", "", [("费用预算", "budget", 1)]),
    ],
)
def test_heading_styles(text: str, title: str, chapters: list[tuple[str, str | None, int]]) -> None:
    plan = parse_plan(text)
    assert plan.title == title
    assert [(c.title, c.key, c.line) for c in plan.chapters] == chapters


def test_numbered_list_items_inside_hash_chapters_are_not_chapters() -> None:
    text = "# 方案\n## 一、活动背景\n一、市场回暖\n二、竞品降价\n## 二、费用预算\n预算5万。\n"
    assert [c.title for c in parse_plan(text).chapters] == ["一、活动背景", "二、费用预算"]


def test_timeline_list_with_dates_first_and_a_period_line() -> None:
    text = ("## 一、活动背景\n2026年双十一。\n## 二、时间安排\n活动时间:10月20日-11月11日\n"
            "- 10月20日-10月31日:预热期,种草与预约\n- 11月1日-11月11日:爆发期,全渠道销售\n- 2026.11.12-11.20 复盘\n")
    assert [(p.name, p.start, p.end, p.work) for p in parse_plan(text).phases] == [
        ("预热期", D(2026, 10, 20), D(2026, 10, 31), "种草与预约"),
        ("爆发期", D(2026, 11, 1), D(2026, 11, 11), "全渠道销售"),
        ("复盘", D(2026, 11, 12), D(2026, 11, 20), "")]


NUMBERED_INTO_TABLE = """2027年618家电节促销方案

1. 活动背景
去年线下门店客流下滑。

2. 活动时间
5.28-6.20，分两段：
- 预热期：5.28-6.5
- 爆发期：6.6-6.18

3. 费用预算
| 项目 | 金额 |
| --- | --- |
| 补贴 | 120万 |
| 直播 | 35万 |
| 合计 | 150万 |

4. 风险及应对
安装排期挤：提前签约。
"""


def test_a_numbered_chapter_line_directly_above_its_table_leaves_the_table_a_table() -> None:
    """「3. 费用预算」 right above its table: the table's rows are not the list item's text (hold19's shape), and a
    date written 5.28-6.20 opening a line numbers no chapter."""
    plan = parse_plan(NUMBERED_INTO_TABLE)
    assert [c.title for c in plan.chapters] == ["1. 活动背景", "2. 活动时间", "3. 费用预算", "4. 风险及应对"]
    assert [(b.item, b.amount) for b in plan.budget_lines] == [("补贴", 1_200_000.0), ("直播", 350_000.0)]
    assert plan.budget_total == 1_500_000.0
    assert [(p.name, p.start, p.end) for p in plan.phases] == [
        ("预热期", D(2027, 5, 28), D(2027, 6, 5)), ("爆发期", D(2027, 6, 6), D(2027, 6, 18))]


def test_a_bullet_item_running_into_a_table_leaves_the_table_a_table() -> None:
    text = "# 方案\n\n## 预算\n- 总预算如下\n| 项目 | 金额 |\n| --- | --- |\n| 广告 | 5万 |\n| 合计 | 5万 |\n"
    plan = parse_plan(text)
    assert [(b.item, b.amount) for b in plan.budget_lines] == [("广告", 50_000.0)]
    assert plan.budget_total == 50_000.0


BARE_LINES = """# 2027聖誕推廣計劃書

推廣背景
去年聖誕檔期同店銷售只升了3%。

目標客群
區內家庭客、附近寫字樓上班族。

推廣時間表
- 預熱：2027年11月22日至11月30日
- 正式推廣：12月1日至12月26日

財政預算
總預算為港幣50萬元。

謝謝大家
"""


def test_bare_lines_naming_chapters_head_them_in_a_plan_with_no_marks() -> None:
    """Plain text as planners paste it: 「推廣背景」 alone after a blank line heads a chapter when several such lines
    name chapters; a closing 「謝謝大家」 heads nothing (nothing follows it)."""
    plan = parse_plan(BARE_LINES)
    assert plan.title == "2027聖誕推廣計劃書"
    assert [(c.title, c.key) for c in plan.chapters] == [
        ("推廣背景", "background"), ("目標客群", "audience"), ("推廣時間表", "timeline"), ("財政預算", "budget")]
    assert [p.name for p in plan.phases] == ["預熱", "正式推廣"]


def test_short_lines_that_name_no_chapter_stay_text() -> None:
    text = "## 一、活动背景\n去年销量平平。\n\n门店情况\n共12家门店。\n\n## 二、费用预算\n总预算10万元。\n"
    assert [c.title for c in parse_plan(text).chapters] == ["一、活动背景", "二、费用预算"]


@pytest.mark.parametrize("line, phases", [
    ("今年週年慶分三段進行：先在11/1-11/7做會員預熱，發放折價券；11/8-11/17正式開賣，全館85折；接著11/15-11/24是回購期，寄送回購券。",
     [("做會員預熱", D(2027, 11, 1), D(2027, 11, 7)), ("正式開賣", D(2027, 11, 8), D(2027, 11, 17)),
      ("回購期", D(2027, 11, 15), D(2027, 11, 24))]),
    ("2027年12月8日-12月9日预热，12月10日-12月12日正式活动，12月13日-12月15日返场。",
     [("预热", D(2027, 12, 8), D(2027, 12, 9)), ("正式活动", D(2027, 12, 10), D(2027, 12, 12)),
      ("返场", D(2027, 12, 13), D(2027, 12, 15))]),
    ("分两段：预热期10月20日-10月31日，正式期11月1日-11月11日。",
     [("预热期", D(2027, 10, 20), D(2027, 10, 31)), ("正式期", D(2027, 11, 1), D(2027, 11, 11))]),
    ("Early-bird runs Jul 26 – Aug 8, then the main sale Aug 9 – Aug 29.",
     [("Early-bird runs", D(2027, 7, 26), D(2027, 8, 8)), ("then the main sale", D(2027, 8, 9), D(2027, 8, 29))]),
    # Two ranges with no clause between them are one phase and a note.
    ("预售期：10月20日-10月31日（尾款11月1日-11月3日）", [("预售期", D(2027, 10, 20), D(2027, 10, 31))]),
])
def test_a_timeline_written_as_a_sentence_gives_a_phase_a_clause(line: str, phases: list[tuple[str, D, D]]) -> None:
    text = f"# 2027年促销方案\n\n## 一、活动背景\n年底大促。\n\n## 二、时间安排\n{line}\n"
    assert [(p.name, p.start, p.end) for p in parse_plan(text).phases] == phases


@pytest.mark.parametrize("head", ["£", "S$", "RM", "AUD", "C$", "(HK$)", "港幣"])
def test_a_budget_column_headed_only_by_its_currency_is_read(head: str) -> None:
    text = (f"# Promotion plan 2027\n\n## Background\nA sale.\n\n## Budget\n| Line | {head} |\n| --- | --- |\n"
            "| Ads | 14,000 |\n| Gifts | 6,000 |\n| Total | 21,000 |\n")
    plan = parse_plan(text)
    assert [(b.item, b.amount) for b in plan.budget_lines] == [("Ads", 14000.0), ("Gifts", 6000.0)]
    assert plan.budget_total == 21000.0


def test_columns_headed_by_other_short_words_are_no_amounts() -> None:
    text = ("# Promotion plan 2027\n\n## Background\nA sale.\n\n## Budget\nRMB 20,000 in all.\n\n"
            "| Quarter | KPI |\n| --- | --- |\n| Q1 | 3,000 |\n| Q2 | 5,000 |\n\n## Timeline\n"
            "| Phase | Start | End |\n| --- | --- | --- |\n| Pre-sale | 2027-10-20 | 2027-10-31 |\n")
    assert parse_plan(text).budget_lines == []
    assert [(p.name, p.start, p.end) for p in parse_plan(text).phases] == [("Pre-sale", D(2027, 10, 20), D(2027, 10, 31))]


def test_a_start_and_end_table_says_nothing_of_the_currency() -> None:
    # 'End' is no currency code: read as one, the timeline table above the budget gave a USD plan 人民币.
    text = ("# Promotion plan 2027\n\n## Background\nA sale.\n\n## Timeline\n| Phase | Start | End |\n| --- | --- | --- |\n"
            "| Pre-sale | 2027-10-20 | 2027-10-31 |\n\n## Budget\n| Item | Amount (USD) |\n| --- | --- |\n"
            "| Ads | 20,000 |\n| Total | 20,000 |\n")
    assert Plan.from_markdown(text).currency == "USD"  # no template: the first amount table names it
