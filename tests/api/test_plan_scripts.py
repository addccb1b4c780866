"""Script at one boundary, for plan edits: a chat edit of a Traditional plan is made in Simplified and
the plan gets its script back with every line it did not change exactly as it was written."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.assistant.test_draft_scripts import ROUND_TRIP


def test_a_chat_edit_of_a_traditional_plan_keeps_the_lines_it_did_not_change(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-28")
    drafted = client.post("/v1/chat", json={"question": "幫我規劃一個聖誕節門市促銷方案，預算3萬，12月18日到12月25日"}).json()
    plan_id, conversation = drafted["plan"]["id"], drafted["conversation"]
    assert drafted["script"] == "zh-Hant" and drafted["answer"].startswith("已起草方案《")
    version = client.get(f"/v1/plans/{plan_id}/versions/1").json()
    key = next(c["key"] for c in version["plan"]["chapters"] if c["key"] not in ("budget", "timeline"))
    own = "評估方案應為銷售團隊所認可,兼顧群眾口碑;根據績效考核結果,對表現優秀的門市給予獎勵。"
    edited = client.put(f"/v1/plans/{plan_id}/sections/{key}", json={"body": own})
    assert edited.status_code == 200, edited.text
    before = client.get(f"/v1/plans/{plan_id}/versions/2").json()
    changed = client.post("/v1/chat", json={"question": "預算改成4萬", "conversation_id": conversation}).json()
    assert changed["plan"]["version"] == 3 and changed["answer"].startswith("已修改方案（第3版）：")
    after = client.get(f"/v1/plans/{plan_id}/versions/3").json()
    assert next(c["body"] for c in after["plan"]["chapters"] if c["key"] == key) == own
    lines_before, lines_after = before["markdown"].splitlines(), after["markdown"].splitlines()
    kept = [line for line in lines_before if line in lines_after]
    assert len(kept) >= len(lines_before) - 12  # only the budget's lines changed
    for wrong in ROUND_TRIP:
        assert wrong not in after["markdown"], wrong


def test_a_traditional_plan_s_changes_are_listed_in_traditional(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reply said 「宣傳推廣費用:30% → 50%」 but the plan's ``changes`` (in the reply's JSON and in every
    saved version) stayed in Simplified: 「宣传推广费用」 in a Traditional plan."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-28")
    drafted = client.post("/v1/chat", json={"question": "幫我規劃一個聖誕節門市促銷方案，預算3萬，12月18日到12月25日"}).json()
    plan_id, conversation = drafted["plan"]["id"], drafted["conversation"]
    changed = client.post("/v1/chat", json={"question": "把宣傳費提到50%", "conversation_id": conversation}).json()
    assert changed["plan"]["changes"] and changed["plan"]["changes"][0].startswith("宣傳推廣費用:"), changed["plan"]
    assert client.get(f"/v1/plans/{plan_id}/versions/2").json()["changes"] == changed["plan"]["changes"]
    undone = client.post("/v1/chat", json={"question": "撤銷", "conversation_id": conversation}).json()
    assert undone["plan"]["changes"] == ["撤銷第2版的修改,恢復第1版"], undone["plan"]


def test_an_edit_asked_in_the_other_chinese_script_is_answered_in_it_and_the_plan_keeps_its_own(
        client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Taiwan colleague edits a plan drafted in Simplified: 「預算改成4萬」 was answered in Simplified (user28's try)."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-28")
    drafted = client.post("/v1/chat", json={"question": "帮我规划一个圣诞节门店促销方案，预算3万，12月18日到12月25日"}).json()
    assert drafted["script"] == "zh-Hans"
    conversation = drafted["conversation"]
    changed = client.post("/v1/chat", json={"question": "預算改成4萬", "conversation_id": conversation}).json()
    assert changed["plan"]["version"] == 2
    assert changed["script"] == "zh-Hant" and "預算" in changed["answer"] and "预算" not in changed["answer"]
    assert changed["plan"]["changes"] == ["总预算:3万元 → 4万元"]  # the plan and its history stay Simplified
    undone = client.post("/v1/chat", json={"question": "撤销", "conversation_id": conversation}).json()
    assert undone["script"] == "zh-Hans" and undone["plan"]["version"] == 3
