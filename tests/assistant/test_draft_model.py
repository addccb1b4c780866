"""Drafting with a model: one call per section, replies checked like any plan, failures repaired."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from assistant.drafting import RecordingProgress, draft_plan
from assistant.llm import get_chat_model
from assistant.llm.base import Message
from core.errors import ModelError
from core.plan import Brief
from core.settings import Settings
from knowledge.templates import load_template
from tests.assistant.draft_passages import PASSAGES
from tests.fakes import FakeChatModel, FakeOpenAIServer, FakeRetriever, passages_of


@pytest.fixture(autouse=True)
def _plan_as_of_may(monkeypatch: pytest.MonkeyPatch) -> None:
    """The briefs here are for the months after 2026-05-20: draft them as of that day (CEHUA_TODAY)."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-05-20")

BRIEF = Brief(title="中秋月饼礼盒促销", brand="月满楼", occasion="中秋", start=dt.date(2026, 9, 10),
              end=dt.date(2026, 9, 25), budget=300000, channels=["企业微信", "门店"], goals=["礼盒销量3万盒"])
# The chapters a draft has: the required ones and those the template marks drafted (a promotion's theme).
DRAFTED = [c for c in load_template("promotion").chapters if c.required or c.drafted]


@pytest.fixture(autouse=True)
def _planning_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    """BRIEF is a September 2026 campaign planned ahead: judged from 2026-08-01, its dates are not past."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-08-01")


def _section_of(messages: list[Message]) -> str:
    match = re.search(r"撰写方案中的一节:「(.+?)」", messages[-1]["content"])
    assert match, messages[-1]["content"]
    return match.group(1)


def _good_reply(messages: list[Message]) -> str:
    numbers = sorted(passages_of(messages[-1]["content"]))
    cite = f"[{numbers[0]}]" if numbers else ""
    return (f"## {_section_of(messages)}\n本节依据指南做出安排,带来行业第一的最佳品质{cite}[99]。\n"
            "| 自编 | 金额 |\n| --- | --- |\n| 广告 | 1 |\n- 要点一")


def test_one_model_call_per_section_in_outline_order() -> None:
    model = FakeChatModel()
    model.responder = _good_reply
    progress = RecordingProgress()
    result = draft_plan(BRIEF, retriever=FakeRetriever(PASSAGES), model=model, progress=progress)
    assert len(model.history) == len(DRAFTED) == result.model_calls == 9
    assert sorted(_section_of(m) for m in model.history) == sorted(c.title["zh-Hans"] for c in DRAFTED)
    assert [c.key for c in result.plan.chapters] == [c.key for c in DRAFTED]
    assert result.offline is False and result.findings == []
    markdown = result.plan_markdown
    assert "最佳" not in markdown and "行业第一" not in markdown and "[99]" not in markdown and "| 广告 | 1 |" not in markdown
    assert "| 合计 | 300,000 | 100% |" in markdown  # the deterministic table, not the model's
    assert "| 执行 | 2026-09-10 | 2026-09-25 |" in markdown
    budget_prompt = next(m for m in model.history if _section_of(m) == "费用预算")[-1]["content"]
    assert "| 合计 | 300,000 | 100% |" in budget_prompt  # the table is given to the model as a fact
    for chapter in result.plan.chapters:
        assert chapter.citations and all(f"[{n}]" in chapter.body for n in chapter.citations)


def test_a_section_that_fails_validation_is_redrafted_with_the_findings() -> None:
    model = FakeChatModel()

    def reply(messages: list[Message]) -> str:
        if _section_of(messages) == "活动背景与目标" and "检查发现的问题" not in messages[-1]["content"]:
            return "2026年中秋节在9月20日,活动围绕节日送礼展开。"
        return _good_reply(messages)

    model.responder = reply
    progress = RecordingProgress()
    result = draft_plan(BRIEF, retriever=FakeRetriever(PASSAGES), model=model, progress=progress)
    assert len(model.history) == 10
    repair_prompt = model.history[-1][-1]["content"]
    assert _section_of(model.history[-1]) == "活动背景与目标"
    assert "检查发现的问题" in repair_prompt and "9月20日" in repair_prompt
    assert [e for e in progress.events if e[0] == "section_repaired"] == [("section_repaired", "background")]
    assert [f for f in result.findings if f.severity == "error"] == []
    assert "9月20日" not in result.plan_markdown


def test_a_model_that_keeps_failing_checks_ends_with_the_composer() -> None:
    model = FakeChatModel()

    def reply(messages: list[Message]) -> str:
        if _section_of(messages) == "活动背景与目标":
            return "2026年中秋节在9月20日。"
        return _good_reply(messages)

    model.responder = reply
    result = draft_plan(BRIEF, retriever=FakeRetriever(PASSAGES), model=model)
    assert len(model.history) == 10  # 9 drafts, 1 re-draft; the last attempt is deterministic
    assert [f for f in result.findings if f.severity == "error"] == []
    assert "2026年中秋节在9月25日。" in result.plan.chapters[0].body


def test_model_failure_on_a_section_falls_back_to_the_composer_with_a_notice() -> None:
    model = FakeChatModel()

    def reply(messages: list[Message]) -> str:
        if _section_of(messages) == "风险评估与应急预案":
            raise ModelError("the model is down")
        return _good_reply(messages)

    model.responder = reply
    result = draft_plan(BRIEF, retriever=FakeRetriever(PASSAGES), model=model)
    assert result.notices == ["section 'risk': the model could not answer; drafted by the offline "
                              "composer instead"]
    risk = next(c for c in result.plan.chapters if c.key == "risk")
    assert risk.body.startswith("主要风险与应对:")
    assert [f for f in result.findings if f.severity == "error"] == []


def test_english_brief_with_a_model_gives_an_english_plan() -> None:
    model = FakeChatModel()
    model.responder = lambda messages: "This section follows the guidebook [1]."
    brief = BRIEF.model_copy(update={"script": "en", "title": "Mid-Autumn gift boxes"})
    result = draft_plan(brief, retriever=FakeRetriever(PASSAGES), model=model)
    assert "Write in English." in model.history[0][-1]["content"]
    assert result.plan.chapters[0].title == "1. Background and goals"
    assert [p.name for p in result.plan.phases] == ["Preparation", "Warm-up", "Execution", "Wrap-up"]
    assert "| Total | 300,000 | 100% |" in result.plan_markdown
    assert [f for f in result.findings if f.severity == "error"] == []


def test_drafting_through_the_http_client_sends_one_request_per_section(fake_openai: FakeOpenAIServer) -> None:
    def respond(body: dict[str, Any]) -> str:
        return _good_reply(body["messages"])

    fake_openai.responder = respond
    fake_openai.delay = 0.05
    settings = Settings(openai_api_key=fake_openai.api_key, openai_base_url=fake_openai.base_url,
                        section_concurrency=9)  # type: ignore[call-arg]
    result = draft_plan(BRIEF, retriever=FakeRetriever(PASSAGES), model=get_chat_model(settings), settings=settings)
    assert len(fake_openai.chat_requests) == 9
    assert result.findings == [] and [c.key for c in result.plan.chapters] == [c.key for c in DRAFTED]


def test_wrong_budget_and_window_stated_in_prose_are_repaired() -> None:
    model = FakeChatModel()

    def reply(messages: list[Message]) -> str:
        if _section_of(messages) == "活动主题与策略":
            return "本次活动总预算50万元,活动时间:2026年9月1日至2026年9月25日。"
        return _good_reply(messages)

    model.responder = reply
    result = draft_plan(BRIEF, retriever=FakeRetriever(PASSAGES), model=model)
    assert [f for f in result.findings if f.severity == "error"] == []
    assert "50万元" not in result.plan_markdown and "9月1日至" not in result.plan_markdown
    assert len(model.history) == 11  # 9 drafts + a re-draft of the two sections the findings point at


def test_reply_cleaning_keeps_prose_and_drops_the_models_own_structure() -> None:
    from assistant import script_boundary
    from assistant.drafting.write import clean_reply

    reply = "```markdown\n## 费用预算\n### 分配思路\n预算向国家级媒体倾斜[2][7]。\n| a | b |\n| --- | --- |\n```"
    body, numbers = clean_reply(reply, allowed={2}, script="zh-Hant", table="| 项目 | 金额(元) |\n| --- | --- |",
                                title="费用预算")
    # Simplified inside Cehua; the drafting pipeline shows the section in the plan's script.
    assert script_boundary.text(body, "zh-Hant") == "**分配思路**\n預算向高標準媒體傾斜[2]。\n\n| 項目 | 金額(元) |\n| --- | --- |"
    assert numbers == [2]


def test_a_reply_without_markers_gets_no_invented_attributions() -> None:
    model = FakeChatModel()
    model.responder = lambda messages: "本节按指南安排。"
    result = draft_plan(BRIEF, retriever=FakeRetriever(PASSAGES), model=model)
    for chapter in result.plan.chapters:
        assert chapter.citations == [], chapter.title
        assert "参考:" not in chapter.body and "(Sources:" not in chapter.body


@pytest.mark.parametrize(("reply", "body", "numbers"), [
    ("预算向媒体倾斜【2】。", "预算向媒体倾斜[2]。", [2]),
    ("预算向媒体倾斜［2］，另见［１５］。", "预算向媒体倾斜[2]，另见。", [2]),
    ("预算向媒体倾斜【15】。", "预算向媒体倾斜。", []),
    ("见[2、15]与【3，2】", "见[2]与[3][2]", [2, 3]),
])
def test_only_markers_of_passages_given_survive_in_every_bracket_style(reply: str, body: str,
                                                                      numbers: list[int]) -> None:
    from assistant.drafting.write import clean_reply

    assert clean_reply(reply, allowed={2, 3}, script="zh-Hans", table="", title="费用预算") == (body, numbers)
