"""placeholder, empty_chapter, duration_mismatch, date_in_past, chapters found under another heading, and
the plan's kind recognised from its title and headings."""

from __future__ import annotations

import pytest

from assistant.validation import validate_file, validate_text
from assistant.validators.placeholders import placeholders_in
from tests.assistant.validators.plans import CLEAN_HANS, CLEAN_HANT, change


@pytest.mark.parametrize(("line", "blanks"), [
    ("三、20__年春節活動時間:20__年_月_日—20__年_月_日", ["20__年春", "20__年_月_日—", "20__年_月_日"]),
    ("8月_日七夕節,來__影城", ["8月_日七", ",來__影城"]),
    ("_廣場右側", ["_廣場"]),
    ("位於xx路某四酒店", ["位於xx路某"]),
    ("上海**汽車“3.15”服務活動", ["上海**汽車"]),
    ("七月(待定)", ["月(待定)"]),
    ("Venue for the pop-up: TBD.", [": TBD."]),
    ("地点：某某商场", ["点：某某商场"]),
])
def test_blanks_are_found(line: str, blanks: list[str]) -> None:
    assert placeholders_in(line) == blanks


@pytest.mark.parametrize("line", [
    "门口处上方各掛大型燈籠(1250p_),要求美觀。", "紅地毯一條(6m_2m)", "snake_case 文件名", "XXL码T恤", "签到处放x展架2个",
    "**活动时间**:2026年6月1日", "位於某四星酒店", "第一章 活动背景", "唐脚_數量",
])
def test_what_is_not_a_blank(line: str) -> None:
    assert placeholders_in(line) == []


def _codes(text: str, template: str | None = None) -> list[tuple[str, str, int | None]]:
    return [(f.code, f.severity, f.line) for f in validate_text(text, template_name=template).findings]


def test_placeholder_and_empty_chapter_say_where_and_what_to_do() -> None:
    text = change(CLEAN_HANS, "「粽享端午」,买二送一。", "「粽享端午」,买二送一,地点__广场。")
    text = change(text, "销量、复购率。\n", "")
    findings = validate_text(text).findings
    assert [(f.code, f.line) for f in findings] == [("placeholder", 7), ("empty_chapter", 36)]
    assert findings[0].location == "二、活动主题与策略,第7行"
    assert findings[0].message.startswith("「地点__广场」是尚未填写的占位内容:请填上具体的日期、名称或地点")
    assert findings[1].message == "「九、效果评估」下没有内容:请补写这一章,或删去标题。"


def test_traditional_plans_get_traditional_messages() -> None:
    text = change(CLEAN_HANT, "新婚家庭。", "新婚家庭,地點待定。")
    [finding] = validate_text(text).findings
    assert finding.code == "placeholder"
    assert "尚未填寫的佔位內容" in finding.message and finding.location == "三、目標客群,第10行"


TIMING = """# 秋季促销方案

## 一、活动背景与目标
提升秋季销量。

## 二、活动主题
秋日焕新。

## 三、目标客群
年轻家庭。

## 四、时间规划
整体时间规划为{total},分三个阶段:
1)筹备阶段:活动开始前15天,完成策划和备货。
2)实施阶段:活动开始后15天,线上线下推广。
3)总结阶段:活动结束后{last}天,复盘。
筹备阶段:第1–5天完成策划;第{a}–{b}天完成人员分工。

## 五、宣传推广
公众号、社群。

## 六、促销方式
满200减20。

## 七、费用预算
| 项目 | 金额(元) |
| --- | --- |
| 推广 | 10,000 |
| 合计 | 10,000 |

## 八、风险评估
天气:备用场地。

## 九、效果评估
销量。
"""


@pytest.mark.parametrize(("total", "last", "a", "b", "lines"), [
    ("一个月", "15", "6", "10", [13]),          # 15+15+15 = 45 days in 「一个月」
    ("一个半月", "15", "6", "10", []),          # 45 days: fine
    ("一个半月", "15", "16", "20", [17]),        # day 16–20 of a 15-day 筹备阶段
    ("两个月", "30", "11", "15", []),
])
def test_duration_mismatch(total: str, last: str, a: str, b: str, lines: list[int]) -> None:
    text = TIMING.format(total=total, last=last, a=a, b=b)
    assert [f.line for f in validate_text(text).findings if f.code == "duration_mismatch"] == lines


def test_date_in_past_is_a_warning_relative_to_cehua_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-07-01")
    [finding] = validate_text(CLEAN_HANS).findings
    assert (finding.code, finding.severity, finding.line) == ("date_in_past", "warning", 4)
    assert finding.message.startswith("活动时间2026-05-25至2026-06-30已全部早于今天(2026-07-01)")
    monkeypatch.setenv("CEHUA_TODAY", "2026-06-30")
    assert validate_text(CLEAN_HANS).findings == []


@pytest.mark.parametrize(("text", "line"), [
    ("# Grand Opening Plan\n\n## 1. Objectives\nBring 2,000 visitors.\n\n## 2. Date and Venue\n"
     "Saturday 10 October 2026 to Sunday 11 October 2026, Riverside Mall.\n\n## 3. Budget\nTotal 60,000.\n", 7),
    ("# 週年慶企劃\n\n## 一、目的\n拉高業績。\n\n## 二、時間\n2025/10/22 – 2025/11/7(共17天)\n", 7),
])
def test_a_window_written_under_the_time_heading_counts_for_date_in_past(
        monkeypatch: pytest.MonkeyPatch, text: str, line: int) -> None:
    """No 活动时间 / "campaign period" label: the time chapter's own first line is the window, and a year
    written the English way (10 October 2026) is the plan's year."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-29")
    (finding,) = [f for f in validate_text(text).findings if f.code == "date_in_past"]
    assert (finding.severity, finding.line) == ("warning", line)
    monkeypatch.setenv("CEHUA_TODAY", "2025-01-10")
    assert not [f for f in validate_text(text).findings if f.code == "date_in_past"]


def test_a_chapter_doing_its_job_under_another_name_is_a_note() -> None:
    text = change(CLEAN_HANS, "## 五、宣传推广\n社区团购群、门店海报,第一时间通知老客户。\n\n", "")
    text = change(text, "## 六、产品、价格与促销方式\n买二送一,满200减20。以旧换新补贴最高50元。",
                  "## 六、活动流程\n前期:宣传单5000份、报纸广告一期。\n活动中:买二送一,满200减20。")
    findings = validate_text(text).findings
    assert [(f.code, f.severity) for f in findings] == [("chapter_found_under", "info")] * 2
    assert findings[1].message == "「产品、价格与促销方式」未单列成章,见于「六、活动流程」(满200减、买二送一):可单列一章「产品、价格与促销方式」,便于审阅。"
    assert findings[0].message == "「宣传推广」未单列成章,见于「六、活动流程」(宣传单、报纸、广告):可单列一章「宣传推广」,便于审阅。"


@pytest.mark.parametrize(("title", "headings", "kind"), [
    ("「3·15」售后服务保障活动方案", ["一、目的", "二、活动内容", "三、组织分工"], "service"),
    ("2027年度营销计划", ["一、营销状况", "二、营销目标", "三、营销策略", "四、营销方案"], "annual"),
    ("经销商招商大会方案", ["一、会议背景", "二、招商政策", "三、会议议程", "四、费用预算"], "channel"),
    ("新品发布会策划", ["一、活动目的", "二、时间与地点", "三、参会人员", "四、活动流程"], "event"),
    ("双十一促销方案", ["一、活动背景", "二、活动主题", "三、促销方式", "四、费用预算"], "promotion"),
    ("门店促销方案", ["一、背景", "二、预算"], "promotion"),
    # Two headings that fit after-sales' two required chapters do not outweigh five that fit a promotion.
    ("2027 母親節「謝謝媽媽」保養品檔期企劃", ["一、活動目的", "二、活動時間", "三、活動內容", "四、宣傳方式", "五、預算",
                                       "六、成效追蹤"], "promotion"),
    ("售后服务月方案", ["一、服务目标", "二、服务措施", "三、服务流程", "四、人员安排"], "service"),
])
def test_the_plan_kind_is_recognised_and_forced(title: str, headings: list[str], kind: str) -> None:
    text = f"# {title}\n\n" + "\n\n".join(f"## {h}\n内容。" for h in headings) + "\n"
    assert validate_text(text).template.name == kind
    forced = validate_text(text, template_name="annual")
    assert (forced.template.name, forced.chosen) == ("annual", False)


def test_word_plans_are_read_directly() -> None:
    import io

    import docx

    document = docx.Document()
    document.add_heading("端午粽子礼盒促销方案", 0)
    for line in CLEAN_HANS.split("\n")[2:]:
        if line.startswith("## "):
            document.add_heading(line[3:], 1)
        elif line.strip() and not line.startswith("|"):
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    result = validate_file(buffer.getvalue(), "plan.docx")
    assert result.plan.title == "端午粽子礼盒促销方案"
    assert len(result.plan.chapters) == 9


def test_a_budget_written_in_a_sentence_is_not_called_a_table() -> None:
    """「预算表合计」 named a table the planner never wrote: the split was one sentence."""
    result = validate_text("# 门店促销方案\n## 一、活动目的\n提升客流。\n## 二、预算\n"
                           "总预算3万元：场地布置1万元、食材1.2万元、宣传0.5万元。\n")
    [found] = [f for f in result.findings if f.code == "budget_total_mismatch"]
    assert "预算表" not in found.message and "预算明细合计2.7万元" in found.message


def test_a_budget_table_is_still_called_a_table() -> None:
    result = validate_text("# 门店促销方案\n## 一、活动目的\n提升客流。本次总预算3万元。\n## 二、预算\n"
                           "| 项目 | 金额(元) |\n|---|---|\n| 场地布置 | 10000 |\n| 食材 | 12000 |\n")
    [found] = [f for f in result.findings if f.code == "budget_total_mismatch"]
    assert "预算表合计" in found.message


@pytest.mark.parametrize("text", ["# 方案\n## 一、背景\n门店客流下降，需要做一次活动。\n",
                                  "# Plan\n## Background\nFoot traffic is down; we need a campaign.\n"])
def test_a_plan_too_short_to_tell_its_kind_is_not_judged_by_a_guessed_kind(text: str) -> None:
    """「# 方案 / ## 一、背景」 was recognised as a channel plan and told it lacked 拓展目标 and 目标经销商:
    one heading and a title that names no kind cannot tell a channel plan from a promotion."""
    result = validate_text(text)
    assert not result.kind_known
    codes = [f.code for f in result.findings]
    assert "missing_chapter" not in codes and codes.count("plan_kind_unknown") == 1
    [unknown] = [f for f in result.findings if f.code == "plan_kind_unknown"]
    assert ("--template" in unknown.message) and ("拓展目标" not in unknown.message)


def test_a_plan_whose_headings_tell_its_kind_still_gets_its_missing_chapters() -> None:
    result = validate_text("# 圣诞节门店促销方案\n## 一、活动背景与目标\n提升客流。\n## 二、活动时间\n12月20日至25日。\n")
    assert result.kind_known and "missing_chapter" in [f.code for f in result.findings]


@pytest.mark.parametrize(("remark", "wrong"), [
    ("推广费占50%。", False),
    ("其中推广费占40%。", True),
    ("推廣費佔一半。", False),
    ("物料费占三成。", False),
    ("物料费占两成。", True),
    ("其中推广费用约占45%。", True),  # 约 allows rounding to the nearest 5, not 5 points more
    ("去年推广费占40%。", False),  # history, not this plan's share
])
def test_a_share_the_budget_prose_states_is_checked_against_its_line(remark: str, wrong: bool) -> None:
    text = change(CLEAN_HANS, "## 七、费用预算\n", f"## 七、费用预算\n总预算10万元,{remark}\n")
    found = [f for f in validate_text(text).findings if f.code == "budget_share_mismatch"]
    assert [(f.severity, f.line) for f in found] == ([("error", 26)] if wrong else [])


def test_a_share_remark_after_a_one_line_split_leaves_the_split_read() -> None:
    table = CLEAN_HANS[CLEAN_HANS.index("| 项目 |"):CLEAN_HANS.index("## 八")]
    text = change(CLEAN_HANS, table, "总预算10万元,其中物料3万元、推广5万元、备用金2万元,推广费占比40%。\n\n")
    [found] = [f for f in validate_text(text).findings if f.code == "budget_share_mismatch"]
    assert "推广费占比40%" in found.message and "50.0%" in found.message
    text = change(CLEAN_HANS, table, "总预算10万元,其中物料3万元、推广5万元、备用金2万元,推广费占比50%。\n\n")
    assert not [f for f in validate_text(text).findings if f.severity == "error"]


ANNUAL_2027 = """# 茗香茶业2027年度营销计划

## 一、市场分析
2026年销售额3,200万元,2026年线上占比35%,2026年中秋礼盒卖得最好,2026年春茶减产,2026年3月断货。

## 二、年度目标
全年销售额3,800万元。

## 三、推广策略
中秋节(9月{day}日)前一个月开始礼盒预售。
"""


@pytest.mark.parametrize(("day", "wrong"), [(15, False), (25, True)])
def test_a_festival_in_an_annual_plan_is_of_the_year_its_title_writes(day: int, wrong: bool) -> None:
    """The review chapter writes 2026 five times; the title says the plan is for 2027, when 中秋 is 9月15日."""
    found = [f for f in validate_text(ANNUAL_2027.format(day=day)).findings if f.code == "festival_date_mismatch"]
    assert [f.message[:20] for f in found] == (["2027年中秋是9月15日,不是9月25"] if wrong else [])


def test_a_chapter_under_a_heading_of_the_planners_own_is_read_by_its_text() -> None:
    """「钱怎么花」 names no template's chapter; its table of amounts, where the budget stands, is the budget."""
    findings = validate_text(change(CLEAN_HANS, "## 七、费用预算", "## 七、钱怎么花")).findings
    assert [(f.code, f.severity, f.line) for f in findings] == [("chapter_found_under", "info", 25)]
    assert findings[0].message == "「七、钱怎么花」的内容是「费用预算」:标题可写作「费用预算」,便于审阅。"


def test_a_chapter_whose_text_is_not_the_missing_one_leaves_it_missing() -> None:
    table = CLEAN_HANS[CLEAN_HANS.index("## 七、费用预算"):CLEAN_HANS.index("## 八")]
    text = change(CLEAN_HANS, table, "## 七、附件\n门店值班表见附件一,联系人:王店长。\n\n")
    assert "missing_chapter" in [f.code for f in validate_text(text).findings]


@pytest.mark.parametrize(("end", "codes"), [("6月19日", []), ("6月22日", [("timeline_window_mismatch", 15)])])
def test_a_period_listed_above_its_phases_is_their_frame_not_a_phase_they_overlap(
        end: str, codes: list[tuple[str, int]]) -> None:
    table = CLEAN_HANS[CLEAN_HANS.index("| 阶段 |"):CLEAN_HANS.index("## 五")]
    text = change(CLEAN_HANS, table, "推广期:2026年6月10日至6月19日\n- 预售期:6月10日至6月14日\n"
                                     f"- 正价期:6月15日至{end}\n\n")
    found = [(f.code, f.line) for f in validate_text(text).findings if f.code.startswith("timeline")]
    assert found == codes
