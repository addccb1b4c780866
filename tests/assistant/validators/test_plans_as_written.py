"""Plans as planners write them (round 27): lengths stated in English or over dated phases, a schedule under a
heading that does not say so, a plan that writes no year, a budget written as a list, a Word file whose headings
are plain paragraphs."""

from __future__ import annotations

import io

import pytest

from assistant.validation import validate_file, validate_text
from core.text.dates import find_durations
from core.text.numerals import parse_english_number


@pytest.fixture(autouse=True)
def _december(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-12-02")


def _plan(timeline: str, budget: str = "| 项目 | 金额(元) |\n| --- | --- |\n| 投放 | 50,000 |\n| 合计 | 50,000 |",
          title: str = "2027年七夕门店促销方案", time_head: str = "三、时间安排") -> str:
    return (f"# {title}\n\n## 一、活动背景与目标\n提升七夕销量。\n\n## 二、目标客群\n年轻情侣。\n\n## {time_head}\n"
            f"{timeline}\n\n## 四、宣传推广\n小红书、抖音。\n\n## 五、产品与优惠\n满300减30。\n\n## 六、费用预算\n{budget}\n\n"
            "## 七、风险预案\n备货不足时调货。\n\n## 八、效果评估\n销售额、新会员数。\n")


def _errors(text: str) -> list[tuple[str, int | None]]:
    return [(f.code, f.line) for f in validate_text(text).findings if f.severity == "error"]


@pytest.mark.parametrize(("words", "value"), [("four", 4), ("twenty-one", 21), ("a", 1), ("10", 10), ("fourteen", 14),
                                              ("push", None)])
def test_english_numbers_are_read_by_their_words(words: str, value: int | None) -> None:
    assert parse_english_number(words) == value


@pytest.mark.parametrize(("text", "days"), [
    ("We're running a four-week push, May 15 – Jun 20", 28),
    ("A 10-day sprint, Sep 1 – Sep 15", 10),
    ("a twenty-one-day run", 21),
    ("for two weeks", 14),
    ("over 3 weeks", 21),
])
def test_english_lengths_are_found(text: str, days: int) -> None:
    assert [d.days for d in find_durations(text)] == [days]


def test_an_english_length_is_checked_against_the_range_after_its_noun() -> None:
    text = _plan("- Warm-up: Jul 20 – Jul 31\n- Sale period: Aug 1 – Aug 8\n\nA two-week push, Jul 20 – Aug 8.")
    assert [p.name for p in validate_text(text).plan.phases][:2] == ["Warm-up", "Sale period"]
    [finding] = [f for f in validate_text(text).findings if f.severity == "error"]
    assert (finding.code, finding.line) == ("timeline_duration_mismatch", 13)
    assert finding.message == "「two-week」与日期不符:2027-07-20至2027-08-08含首尾共20天。"
    assert _errors(_plan("- Warm-up: Jul 20 – Jul 31\n- Sale: Aug 1 – Aug 8\n\nA 20-day push, Jul 20 – Aug 8.")) == []


def test_a_whole_length_over_dated_phases_is_their_span() -> None:
    timeline = ("整个七夕活动为期两周，分三段：\n- 预热期：7月20日-7月31日\n- 爆发期：8月1日-8月8日\n"
                "- 复盘期：8月9日-8月12日")
    [finding] = validate_text(_plan(timeline)).findings
    assert (finding.code, finding.line) == ("duration_mismatch", 10)
    assert finding.message == ("「两周」与下列阶段的日期不符:预热期、爆发期从2027-07-20到2027-08-08,共20天。"
                               "请统一总时长或各阶段日期。")
    assert _errors(_plan(timeline.replace("为期两周", "为期20天"))) == []


def test_a_schedule_under_a_heading_that_does_not_say_so_gives_the_phases() -> None:
    text = _plan("1. 预热期：7月25日-8月5日\n2. 爆发期：8月1日-8月8日", time_head="三、节奏")
    assert _errors(text) == [("timeline_overlap", 11)]
    assert validate_text(text).plan.phases[1].name == "爆发期"


def test_tracks_run_side_by_side_are_no_overlap() -> None:
    text = _plan("- 企业团购：7月1日-8月5日\n- 官网早鸟：7月20日-8月8日")
    assert _errors(text) == []


def test_a_plan_without_a_year_runs_forward_from_today_through_the_years_end() -> None:
    timeline = "- 企业早鸟：12/10-12/31\n- 官网预购：1/4-1/24\n- 春节（2/7）门店公休"
    text = _plan(timeline, title="春节年货促销方案")
    result = validate_text(text)
    assert [(p.name, p.start.isoformat()) for p in result.plan.phases if p.start] == [
        ("企业早鸟", "2026-12-10"), ("官网预购", "2027-01-04")]
    [finding] = [f for f in result.findings if f.severity == "error"]
    assert (finding.code, finding.line) == ("festival_date_mismatch", 12)
    assert finding.message == "2027年春节是2月6日,不是2月7日:请改正日期并检查依此排定的时间。"
    assert _errors(_plan(timeline.replace("2/7", "2/6"), title="春节年货促销方案")) == []


@pytest.mark.parametrize("budget", [
    "1. 抖音投放：8万元\n2. 达人：5万元\n3. 赠品：2万元\n4. 合计：16万元",
    "1. 抖音投放 8万元\n2. 达人 5万元\n3. 赠品 2万元\n4. 合计 16万元",
    "1. 抖音投放8万元\n2. 达人5万元\n3. 赠品2万元\n总计16万元",
    "（1）抖音投放：8万元\n（2）达人：5万元\n（3）赠品：2万元\n合计：16万元",
    "1. 抖音投放：八万元\n2. 达人：五万元\n3. 赠品：两万元\n4. 合计：十六万元",
    "- 抖音投放：80,000元\n- 达人：50,000元\n- 赠品：20,000元\n- 合计：160,000元",
    "1. Paid social: RMB 80,000\n2. KOLs – RMB 50,000\n3. Gifts: 20k\nTotal: RMB 160,000",
])
def test_a_budget_written_as_a_list_is_added_up(budget: str) -> None:
    result = validate_text(_plan("- 预热期：7月25日-7月31日\n- 爆发期：8月1日-8月8日", budget=budget))
    assert [b.amount for b in result.plan.budget_lines] == [80000.0, 50000.0, 20000.0]
    assert result.plan.budget_total == 160000.0
    [finding] = [f for f in result.findings if f.severity == "error"]
    assert finding.code == "budget_sum_mismatch"
    assert finding.message.startswith("预算明细合计为15万元,与合计行的16万元不符")


def test_a_total_said_under_a_budget_list_is_the_whole() -> None:
    budget = "1. 抖音投放：8万元\n2. 达人：5万元\n3. 赠品：2万元\n\n以上共计16万元。"
    assert [code for code, _ in _errors(_plan("- 预热期：7月25日-7月31日\n- 爆发期：8月1日-8月8日",
                                              budget=budget))] == ["budget_total_mismatch"]


def test_a_word_plan_whose_headings_are_plain_paragraphs_is_read_chapter_by_chapter() -> None:
    from docx import Document

    document = Document()
    document.add_heading("2027七夕门店促销方案", level=1)
    parts = [("活动背景与目标", "提升七夕销量。"), ("目标客群", "年轻情侣。"), ("时间安排", None),
             ("宣传推广", "小红书、抖音。"), ("产品与优惠", "满300减30。"), ("费用预算", "总预算5万元。"),
             ("风险预案", "备货不足时调货。"), ("效果评估", "销售额、新会员数。")]
    for head, body in parts:
        document.add_paragraph(head)
        if body is None:
            document.add_paragraph("预热期：7月25日-7月31日", style="List Bullet")
            document.add_paragraph("爆发期：8月1日-8月8日", style="List Bullet")
        else:
            document.add_paragraph(body)
    buffer = io.BytesIO()
    document.save(buffer)
    result = validate_file(buffer.getvalue(), "plan.docx")
    assert [c.title for c in result.plan.chapters] == [head for head, _ in parts]
    assert result.template.name == "promotion"
    assert [f.code for f in result.findings if f.severity != "info"] == []
