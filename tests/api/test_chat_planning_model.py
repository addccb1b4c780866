"""With a model configured, plan edits are tools the model calls, over HTTP against the fake
OpenAI-compatible server; the numbers still come from the planner's words through the parser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from core.settings import Settings
from tests.fakes import FakeOpenAIServer, block_text


@pytest.fixture
def model_client(kb_home: Path, tmp_path: Path, fake_openai: FakeOpenAIServer,
                 monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-28")
    settings = Settings(home=kb_home, database_url=f"sqlite:///{tmp_path / 'state.db'}",
                        openai_api_key=fake_openai.api_key, openai_base_url=fake_openai.base_url)
    return TestClient(create_app(settings, warm=False))


def _say(client: TestClient, text: str, conversation: str | None) -> dict[str, object]:
    response = client.post("/v1/chat", json={"question": text, "conversation_id": conversation})
    assert response.status_code == 200, response.text
    return response.json()


def _tool_requests(server: FakeOpenAIServer) -> list[dict[str, object]]:
    return [r.body for r in server.chat_requests if r.body.get("tools")]


def test_edits_are_tools_the_model_calls_and_the_parser_reads_the_numbers(
        model_client: TestClient, fake_openai: FakeOpenAIServer) -> None:
    with model_client as client:
        drafted = _say(client, "帮我做个圣诞节促销方案，预算两万，12月20号到25号", None)
        plan = drafted["plan"]
        assert plan["brief"]["budget"] == 20000 and _tool_requests(fake_openai) == []
        conversation = drafted["conversation"]

        # The model is asked with the plan as data and the tools; it quotes the planner's words.
        fake_openai.tool_calls(("change_budget", {"request": "预算改成8千"}),
                               ("move_dates", {"request": "整体延后一周"}))
        edited = _say(client, "预算改成8千，活动整体延后一周", conversation)["plan"]
        asked = _tool_requests(fake_openai)[-1]
        names = [t["function"]["name"] for t in asked["tools"]]
        assert {"change_budget", "move_dates", "undo", "answer_question"} <= set(names)
        assert "宣传推广费用" in (block_text(asked["messages"][0]["content"], "plan") or "")
        assert edited["version"] == 2
        assert (edited["brief"]["budget"], edited["brief"]["start"], edited["brief"]["end"]) == (
            8000, "2026-12-27", "2027-01-01")
        version = client.get(f"/v1/plans/{plan['id']}/versions/2").json()
        assert sum(line["amount"] for line in version["plan"]["budget_lines"]) == 8000

        # A call whose words hold no number the parser can read changes nothing by itself: the
        # message is read by the parser instead (here: a question, answered by the model).
        fake_openai.tool_calls(("change_budget", {"request": "多一点"}))
        fake_openai.reply("预算一般包括宣传、物料和人员费用[1]。")
        question = _say(client, "预算一般包括哪些费用？", conversation)
        assert "plan" not in question and question["offline"] is False

        fake_openai.tool_calls(("undo", {}))
        undone = _say(client, "不要刚才的修改了", conversation)["plan"]
        assert undone["version"] == 3 and undone["brief"]["budget"] == 20000
        assert undone["brief"]["start"] == "2026-12-20"


def test_a_failing_model_leaves_the_edit_to_the_parser(model_client: TestClient,
                                                       fake_openai: FakeOpenAIServer) -> None:
    with model_client as client:
        drafted = _say(client, "帮我做个圣诞节促销方案，预算两万，12月20号到25号", None)
        for _ in range(3):
            fake_openai.fail(400)
        edited = _say(client, "把宣传费提到50%", drafted["conversation"])["plan"]
        assert edited["version"] == 2 and edited["changes"][0].startswith("宣传推广费用:40% → 50%")
        tools = [json.dumps(r.body.get("tools", "")) for r in fake_openai.chat_requests]
        assert any("change_budget_share" in t for t in tools)
