"""Exporting plans: Markdown that reads back, Word documents with real headings and tables, JSON."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from docx import Document
from docx.oxml.ns import qn

from assistant.export import export_plan
from core.errors import InputError
from core.plan import BudgetLine, Chapter, Citation, Phase, Plan
from knowledge.templates import load_template


@pytest.fixture(autouse=True)
def _plan_as_of_may(monkeypatch: pytest.MonkeyPatch) -> None:
    """The briefs here are for the months after 2026-05-20: draft them as of that day (CEHUA_TODAY)."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-05-20")

BODY_BUDGET = """总预算10万元。

| 项目 | 金额(元) | 占比 | 说明 |
| --- | --- | --- | --- |
| 宣传推广费用 | 60,000 | 60% | 抖音 |
| 备用金 | 40,000 | 40% | |
| 合计 | 100,000 | 100% | |"""

BODY_TIMELINE = """| 阶段 | 开始 | 结束 | 工作内容 |
| --- | --- | --- | --- |
| 筹备 | 2026-05-25 | 2026-06-09 | 备货 |
| 执行 | 2026-06-10 | 2026-06-19 | 上线 |"""


@pytest.fixture
def plan() -> Plan:
    return Plan(
        title="端午粽子礼盒促销方案",
        chapters=[
            Chapter(title="一、活动背景与目标", key="background",
                    body="活动时间:2026年6月10日至2026年6月19日,共10天。\n活动目标:\n- 销量1万盒\n指南要点:“设定目标”[1]",
                    citations=[1]),
            Chapter(title="二、时间与进度安排", key="timeline", body=BODY_TIMELINE),
            Chapter(title="三、费用预算", key="budget", body=BODY_BUDGET),
        ],
        budget_lines=[BudgetLine(item="宣传推广费用", amount=60000, share=60), BudgetLine(item="备用金", amount=40000, share=40)],
        budget_total=100000,
        phases=[Phase(name="筹备", start=dt.date(2026, 5, 25), end=dt.date(2026, 6, 9)),
                Phase(name="执行", start=dt.date(2026, 6, 10), end=dt.date(2026, 6, 19))],
        citations=[Citation(n=1, text="设定目标", doc="002_guide", section="活动目标", title="营销活动全流程管理")],
    )


def test_docx_has_word_headings_tables_sources_and_an_east_asian_font(plan: Plan) -> None:
    document = Document(io.BytesIO(export_plan(plan, "docx")))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings == [("Title", "端午粽子礼盒促销方案"), ("Heading 1", "一、活动背景与目标"),
                        ("Heading 1", "二、时间与进度安排"), ("Heading 1", "三、费用预算"), ("Heading 1", "参考来源")]
    timeline, budget = document.tables
    assert [c.text for c in timeline.rows[0].cells] == ["阶段", "开始", "结束", "工作内容"]
    assert [c.text for c in timeline.rows[2].cells] == ["执行", "2026-06-10", "2026-06-19", "上线"]
    assert [c.text for c in budget.rows[-1].cells] == ["合计", "100,000", "100%", ""]
    assert len(budget.rows) == 4  # header, two lines, total; the |---| separator is not a row
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["销量1万盒"]
    assert document.paragraphs[-1].text == "[1] 营销活动全流程管理 > 活动目标"
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体"


def test_traditional_plan_gets_a_traditional_font_and_sources_title(plan: Plan) -> None:
    plan = plan.model_copy(update={"script": "zh-Hant"})
    document = Document(io.BytesIO(export_plan(plan, "docx")))
    assert document.styles["Normal"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "新細明體"
    assert "參考來源" in [p.text for p in document.paragraphs]


def test_markdown_export_reads_back_as_the_same_plan(plan: Plan) -> None:
    text = export_plan(plan, "md").decode("utf-8")
    back = Plan.from_markdown(text, load_template("promotion"))
    assert [c.key for c in back.chapters] == ["background", "timeline", "budget"]
    assert [(b.item, b.amount, b.share) for b in back.budget_lines] == [("宣传推广费用", 60000, 60), ("备用金", 40000, 40)]
    assert back.budget_total == 100000
    assert [(p.name, p.start, p.end) for p in back.phases] == [(p.name, p.start, p.end) for p in plan.phases]
    assert [c.n for c in back.citations] == [1]


def test_json_export_is_the_plan_model(plan: Plan) -> None:
    data = json.loads(export_plan(plan, "json"))
    assert data["title"] == "端午粽子礼盒促销方案"
    assert Plan.model_validate(data) == plan


def test_unknown_format_names_the_formats(plan: Plan) -> None:
    with pytest.raises(InputError, match="export format 'pdf' is not supported: use one of md, docx, json"):
        export_plan(plan, "pdf")


def test_docx_leaves_out_markdown_comments(plan: Plan) -> None:
    chapters = [plan.chapters[0].model_copy(update={"body": "<!-- cehua:unsupported -->\n(本章在指南中没有找到依据)"})]
    document = Document(io.BytesIO(export_plan(plan.model_copy(update={"chapters": chapters}), "docx")))
    assert [p.text for p in document.paragraphs][1:3] == ["一、活动背景与目标", "(本章在指南中没有找到依据)"]
