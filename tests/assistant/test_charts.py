"""Charts: the timeline as a Gantt chart and the budget split, drawn server-side in the plan's script;
without a CJK font, Chinese charts are left out and the plan says why."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from assistant.export import charts, export_plan
from core.plan import BudgetLine, Chapter, Phase, Plan

D = dt.date


def _plan(script: str = "zh-Hans") -> Plan:
    names = ["筹备", "执行"] if script != "en" else ["Preparation", "Execution"]
    return Plan(
        title="测试方案" if script != "en" else "Test plan", script=script,  # type: ignore[arg-type]
        chapters=[Chapter(title="时间", key="timeline", body="| 阶段 | 开始 | 结束 | 工作内容 |\n| --- | --- | --- | --- |\n"
                                                            "| 筹备 | 2026-12-01 | 2026-12-05 | 准备 |"),
                  Chapter(title="预算", key="budget", body="| 项目 | 金额(元) | 占比 | 说明 |\n| --- | --- | --- | --- |\n"
                                                          "| 宣传 | 60,000 | 60% | 投放 |")],
        phases=[Phase(name=names[0], start=D(2026, 12, 1), end=D(2026, 12, 5)),
                Phase(name=names[1], start=D(2026, 12, 6), end=D(2026, 12, 20))],
        budget_lines=[BudgetLine(item="宣传推广费用" if script != "en" else "Ads", amount=60000, share=60),
                      BudgetLine(item="备用金" if script != "en" else "Reserve", amount=40000, share=40)],
        budget_total=100000,
    )


@pytest.mark.parametrize("script", ["zh-Hans", "zh-Hant", "en"])
def test_timeline_and_budget_charts_are_pngs(script: str) -> None:
    plan = _plan(script)
    assert charts.available_charts(plan) == ["timeline", "budget"]
    for name in ("timeline", "budget"):
        picture = charts.render_chart(plan, name)
        assert picture is not None and picture.startswith(b"\x89PNG")


def test_docx_carries_both_charts_under_their_tables() -> None:
    document = docx.Document(io.BytesIO(export_plan(_plan(), "docx")))
    assert len(document.inline_shapes) == 2


def test_without_a_cjk_font_chinese_charts_are_left_out_and_the_plan_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    plan = _plan()
    assert charts.available_charts(plan) == []
    assert charts.render_chart(plan, "timeline") is None
    document = docx.Document(io.BytesIO(export_plan(plan, "docx")))
    assert len(document.inline_shapes) == 0
    assert any("fonts-noto-cjk" in p.text for p in document.paragraphs)
    english = _plan("en")
    english.budget_lines = [BudgetLine(item="Ads", amount=100000, share=100)]
    assert charts.available_charts(english) == ["timeline", "budget"]  # English needs no CJK font
