"""Plans as planners write them (round 28): a budget heading only its meaning names ("Spend"), a budget column headed
by its currency alone, phases written as one sentence."""

from __future__ import annotations

import pytest

from assistant.validation import validate_text


@pytest.fixture(autouse=True)
def _december(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-12-02")


def _english(budget_head: str, total: str) -> str:
    return ("# Lunar New Year 2027 Gift Sets\n\n## Background and goals\nLNY falls on 6 February 2027. Goal: £180k.\n\n"
            "## Audience\nCustomers buying for parents.\n\n## Offers\nTea set £48, free delivery over £60.\n\n"
            "## Timeline\n- 4 Jan – 17 Jan: pre-orders\n- 18 Jan – 1 Feb: main sale\n\n## Channels\nInstagram, email.\n\n"
            f"## {budget_head}\n| Line | £ |\n| --- | --- |\n| Paid social | 14,000 |\n| Creators | 6,500 |\n"
            f"| Total | {total} |\n\n## Risks\nLate stock: plain boxes.\n\n## Evaluation\nRevenue vs target.\n")


@pytest.mark.parametrize("head", ["Spend", "Budget", "Money"])
def test_a_budget_table_headed_by_its_currency_is_added_up_under_any_budget_heading(head: str) -> None:
    codes = {f.code for f in validate_text(_english(head, "18,000")).findings if f.severity == "error"}
    assert "budget_sum_mismatch" in codes
    assert not {f.code for f in validate_text(_english(head, "20,500")).findings if f.severity == "error"}


def _sentence_plan(schedule: str) -> str:
    return ("# 2027 週年慶檔期企劃\n\n## 一、企劃背景\n五週年。\n\n## 二、目標客群\n會員。\n\n## 三、活動時程\n"
            f"{schedule}\n\n## 四、優惠方案\n全館85折。\n\n## 五、宣傳管道\nLINE、IG。\n\n## 六、預算規劃\n"
            "| 項目 | 金額（NT$） |\n| --- | --- |\n| 廣告 | 350,000 |\n| 合計 | 350,000 |\n\n"
            "## 七、風險預案\n擴充主機。\n\n## 八、成效評估\n營收達成率。\n")


def test_phases_written_in_one_sentence_are_checked_for_overlaps() -> None:
    overlapping = "先在11/1-11/7做會員預熱；11/8-11/17正式開賣；接著11/15-11/24是回購期，寄送回購券。"
    in_turn = "先在11/1-11/7做會員預熱；11/8-11/17正式開賣；接著11/18-11/24是回購期，寄送回購券。"
    assert [f.code for f in validate_text(_sentence_plan(overlapping)).findings if f.severity == "error"] == [
        "timeline_overlap"]
    assert [f.code for f in validate_text(_sentence_plan(in_turn)).findings if f.severity == "error"] == []
