"""Drafting offline: every draft validates, numbers add up, scripts and festivals are right."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from assistant.drafting import DraftResult, RecordingProgress, draft_plan, redraft_section
from assistant.drafting.timeline import phase_role
from assistant.validators import validate_plan
from core.adlaw import has_claim as has_absolute_claim
from core.errors import BriefError, NotFoundError
from core.plan import Brief
from core.plan.markdown import parse_plan
from core.text.scripts import detect_script
from knowledge.passage import SearchResult
from knowledge.templates import load_template
from tests.assistant.draft_passages import PASSAGES
from tests.fakes import FakeRetriever


@pytest.fixture(autouse=True)
def _plan_as_of_may(monkeypatch: pytest.MonkeyPatch) -> None:
    """The briefs here are for the months after 2026-05-20: draft them as of that day (CEHUA_TODAY)."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-05-20")

D = dt.date

BRIEFS = {
    "trad_618": Brief(title="618家電節促銷", brand="煥新電器", occasion="618", start=D(2026, 6, 1), end=D(2026, 6, 18),
                      budget=2_000_000, audience="新婚家庭", channels=["抖音直播", "京東旗艦店"], goals=["銷售額3000萬元"],
                      script="zh-Hant"),
    "one_day_qixi": Brief(title="七夕花束快闪", occasion="七夕", start=D(2026, 8, 19), end=D(2026, 8, 19), budget=5000,
                          channels=["商场快闪"], goals=["售出花束300束"]),
    "spring_festival": Brief(title="春节年货节", occasion="春节", start=D(2027, 1, 20), end=D(2027, 2, 10),
                             budget=500_000_000, channels=["天猫", "门店", "抖音"], goals=["GMV 10亿"]),
    "national_day_no_channels": Brief(title="国庆家具焕新", occasion="国庆", start=D(2026, 10, 1), end=D(2026, 10, 7),
                                      budget=123_457),
    "odd_budget": Brief(title="会员日", start=D(2026, 12, 1), end=D(2026, 12, 3), budget=999.5, goals=["新增会员200人"]),
}


def _draft(brief: Brief, **kwargs: object) -> DraftResult:
    return draft_plan(brief, retriever=FakeRetriever(PASSAGES), model=None, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(BRIEFS))
def test_every_draft_round_trips_and_validates_without_errors(name: str) -> None:
    brief = BRIEFS[name]
    result = _draft(brief)
    template = load_template(result.template)  # a one-day pop-up is an event plan, the others promotions
    parsed = parse_plan(result.plan_markdown, template=template)
    findings = validate_plan(parsed, brief=brief, template=template)
    assert [f for f in findings if f.severity == "error"] == []
    assert [f for f in result.findings if f.severity == "error"] == []
    assert [c.key for c in parsed.chapters] == [c.key for c in template.chapters if c.required or c.drafted]
    assert sum(b.amount for b in parsed.budget_lines) == pytest.approx(brief.budget)
    assert parsed.budget_total == pytest.approx(brief.budget)
    execution = [p for p in parsed.phases if phase_role(p.name) == "execute"]
    assert [(p.start, p.end) for p in execution] == [(brief.start, brief.end)]
    assert not any(has_absolute_claim(c.body) for c in parsed.chapters)


def test_plan_states_the_window_budget_festival_and_goals() -> None:
    result = _draft(BRIEFS["spring_festival"])
    background = result.plan.chapters[0].body
    assert "本品牌计划开展「春节年货节」电商大促。活动时间:2027年1月20日至2027年2月10日,共22天。总预算5亿元。" in background
    assert "2027年春节在2月6日。" in background
    assert "- GMV 10亿" in background
    theme = result.plan.chapters[1].body
    assert theme.startswith("活动主题:「新春纳福」——春节年货节。")


def test_traditional_brief_gives_a_traditional_plan() -> None:
    result = _draft(BRIEFS["trad_618"])
    assert result.plan.script == "zh-Hant"
    assert detect_script(result.plan_markdown) == "zh-Hant"
    assert "## 七、費用預算" in result.plan_markdown
    assert "| 合計 | 2,000,000 | 100% |" in result.plan_markdown
    assert "- 京東旗艦店:承接流量並完成下單轉化" in result.plan_markdown


def test_english_brief_offline_gets_an_english_plan_with_quotes_marked() -> None:
    brief = BRIEFS["odd_budget"].model_copy(update={"script": "en", "title": "Member day", "channels": ["stores"],
                                                   "goals": ["200 new members"]})
    result = _draft(brief)
    assert result.plan.script == "en"
    assert "## 1. Background and goals" in result.plan_markdown
    assert "| Item | Amount (CNY) | Share | Note |" in result.plan_markdown
    for line in result.plan_markdown.split("\n## References")[0].splitlines():
        if re.search(r"[\u4e00-\u9fff]", line):  # Chinese only inside a marked guidebook quote
            assert line.startswith("> Guidebook (quoted in Chinese): “"), line


def test_sections_cite_the_passages_they_quote() -> None:
    result = _draft(BRIEFS["national_day_no_channels"])
    numbers = [c.n for c in result.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    for chapter in result.plan.chapters:
        assert chapter.citations, chapter.title
        for n in chapter.citations:
            assert f"[{n}]" in chapter.body
    budget = next(c for c in result.plan.chapters if c.key == "budget")
    cited = {result.citations[n - 1].section for n in budget.citations}
    assert "第七章 活动预算 > 7.1 预算分配" in cited


def test_brief_without_channels_says_they_are_to_be_chosen() -> None:
    result = _draft(BRIEFS["national_day_no_channels"])
    channels = next(c for c in result.plan.chapters if c.key == "channels")
    assert channels.body.startswith("简报未指定渠道。")
    assert "活动场地费用" not in [line.item for line in result.plan.budget_lines]


class _NothingOnRisk(FakeRetriever):
    def search(self, query: str, k: int = 5) -> SearchResult:
        if "风险" in query:
            return SearchResult(query=query, passages=[], good_match=False)
        return super().search(query, k)


def test_section_without_guidance_is_flagged_not_padded() -> None:
    result = draft_plan(BRIEFS["odd_budget"], retriever=_NothingOnRisk(PASSAGES), model=None)
    risk = next(c for c in result.plan.chapters if c.key == "risk")
    assert risk.supported is False and risk.citations == []
    assert "指南要点" not in risk.body
    assert risk.body.startswith("(本节在指南中没有找到依据")
    warnings = [(f.code, f.severity) for f in result.findings]
    assert warnings == [("unsupported_section", "warning")]


def test_progress_reports_each_stage_in_order() -> None:
    progress = RecordingProgress()
    result = _draft(BRIEFS["one_day_qixi"], progress=progress)
    keys = [c.key for c in result.plan.chapters]
    names = [name for name, _ in progress.events]
    assert names[0] == "outline" and names[-2:] == ["validated", "done"]
    assert [k for name, k in progress.events if name == "section_started"] == keys
    assert sorted(k for name, k in progress.events if name == "section_drafted") == sorted(keys)


def test_missing_essentials_and_unknown_template_are_named() -> None:
    with pytest.raises(BriefError, match="the brief is missing budget, end"):
        _draft(Brief(title="x", start=D(2026, 1, 1)))
    with pytest.raises(NotFoundError, match="unknown plan template 'nope': use one of annual, channel, event, promotion, service"):
        _draft(BRIEFS["odd_budget"], template="nope")


def test_annual_template_spreads_quarters_over_the_window() -> None:
    brief = Brief(title="2027年度营销计划", start=D(2027, 1, 1), end=D(2027, 12, 31), budget=10_000_000)
    result = _draft(brief, template="annual")
    assert [p.name for p in result.plan.phases] == ["第一季度", "第二季度", "第三季度", "第四季度"]
    assert [f for f in result.findings if f.severity == "error"] == []


def test_redraft_replaces_one_section_and_keeps_the_rest() -> None:
    brief = BRIEFS["one_day_qixi"]
    first = _draft(brief)
    again = redraft_section(first.plan, brief, "risk", retriever=FakeRetriever(PASSAGES), model=None)
    assert [c.title for c in again.plan.chapters] == [c.title for c in first.plan.chapters]
    for before, after in zip(first.plan.chapters, again.plan.chapters, strict=True):
        if before.key != "risk":
            assert after.body == before.body
    assert [f for f in again.findings if f.severity == "error"] == []
    with pytest.raises(NotFoundError, match="section 'nope' is not in the 'promotion' outline"):
        redraft_section(first.plan, brief, "nope", retriever=FakeRetriever(PASSAGES), model=None)


HUMAN_PLAN = """# 端午粽子礼盒方案

## 一、活动背景与目标
活动时间:2026年6月10日至2026年6月19日,共10天。总预算10万元。

## 二、费用预算
| 项目 | 金额(元) |
| --- | --- |
| 物料 | 60,000 |
| 备用金 | 40,000 |
| 合计 | 100,000 |

## 三、附录
门店名单见附件。
"""


def test_redraft_adds_a_missing_section_in_template_order_and_keeps_every_other_chapter() -> None:
    brief = Brief(title="端午粽子礼盒", occasion="端午", start=D(2026, 6, 10), end=D(2026, 6, 19), budget=100000)
    plan = parse_plan(HUMAN_PLAN, template=load_template("promotion"))
    result = redraft_section(plan, brief, "risk", retriever=FakeRetriever(PASSAGES), model=None)
    assert [c.title for c in result.plan.chapters] == ["一、活动背景与目标", "二、费用预算", "三、风险评估与应急预案",
                                                       "三、附录"]
    assert result.plan.chapters[3].body == "门店名单见附件。"
    assert result.plan.chapters[1].body == plan.chapters[1].body
    assert result.plan.chapters[2].body.startswith("主要风险与应对:")
