"""Script at one boundary, for drafts: written in Simplified and shown in the plan's script, quoting a
Traditional guidebook and the planner's own words as written."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.drafting import draft_plan
from core.plan import Brief
from knowledge.passage import Passage
from tests.assistant.draft_passages import PASSAGES
from tests.fakes import FakeRetriever

# A Traditional guidebook as the bundled ones are written (為/群/眾, 考核, 對表現): a round trip through
# Simplified gives 爲/羣/衆, 考覈 and 對錶現.
TRADITIONAL = Passage(
    doc="sales", title="銷售管理手冊", section="第八章 活動效果評估 > 8.3 考核與激勵", start=10, end=160,
    text="8.3活動效果評估與考核:活動結束後,根據績效考核結果評估活動效果,對表現優秀的團隊給予獎勵。"
         "評估方案應為銷售團隊所認可,兼顧群眾口碑,並覆盤預算執行與銷售目標達成情況。",
)
ROUND_TRIP = ("考覈", "對錶現", "應爲", "羣衆")
BRIEF = Brief(title="618家電節促銷", brand="煥新電器", occasion="618", start=dt.date(2026, 6, 1),
              end=dt.date(2026, 6, 18), budget=2_000_000, audience="新婚家庭", channels=["抖音直播", "京東旗艦店"],
              goals=["銷售額3000萬元"], script="zh-Hant")


def test_drafting_quotes_and_cites_a_traditional_guidebook_in_its_own_characters(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-05-20")
    result = draft_plan(BRIEF, retriever=FakeRetriever([TRADITIONAL, *PASSAGES]), model=None)
    (cited,) = [c for c in result.plan.citations if c.doc == "sales"]
    assert cited.text == TRADITIONAL.text
    quote = "根據績效考核結果評估活動效果,對表現優秀的團隊給予獎勵"
    assert quote in "\n".join(c.body for c in result.plan.chapters)  # quoted in a section, as written
    assert quote in result.plan_markdown
    for wrong in ROUND_TRIP:
        assert wrong not in result.plan_markdown, wrong
    assert "煥新電器" in result.plan_markdown and "京東旗艦店" in result.plan_markdown  # the planner's words


def test_a_traditional_plan_names_its_occasion_in_traditional(monkeypatch: pytest.MonkeyPatch) -> None:
    """The occasion is the festival table's name (Simplified), not the planner's words: 「母亲节保養品方案」
    was the title of a plan asked for as 「母親節的檔期…賣保養品」."""
    monkeypatch.setenv("CEHUA_TODAY", "2027-04-20")
    brief = Brief(product="保養品", occasion="母亲节", start=dt.date(2027, 5, 1), end=dt.date(2027, 5, 12),
                  budget=300_000, script="zh-Hant")
    result = draft_plan(brief, retriever=FakeRetriever(PASSAGES), model=None)
    assert result.plan.title.startswith("母親節保養品"), result.plan.title
    assert "母亲节" not in result.plan_markdown
