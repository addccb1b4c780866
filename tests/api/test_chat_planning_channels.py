"""The same planning conversation through the CLI, the API and a Slack thread ends in the same plan."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.main import create_app
from assistant.cli import main
from assistant.store.conversation_plans import get_state
from assistant.store.db import dispose_all
from assistant.store.integrations import thread_conversation
from core.settings import Settings
from tests.api.test_integrations_fakes import FakePlatform

SCRIPT = ["想给我们烘焙店做个圣诞节活动方案", "预算两万，12月20号到25号", "圣诞节门店布置有什么要注意的？",
          "宣传推广的费用占比提高到50%", "加上小红书渠道", "活动整体延后两天", "撤销", "预热期延长到一周"]
SECRET = "channels-slack-secret"


def _final(version: dict[str, Any]) -> tuple[Any, ...]:
    plan = version["plan"]
    return (version["markdown"], version["brief"], [(b["item"], b["amount"]) for b in plan["budget_lines"]],
            [(p["name"], p["start"], p["end"]) for p in plan["phases"]])


def _through_cli(kb_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, ...]:
    monkeypatch.setenv("CEHUA_HOME", str(kb_home))
    monkeypatch.setenv("CEHUA_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    from core.settings import get_settings

    get_settings.cache_clear()
    runner, conversation, plan = CliRunner(), None, None
    for text in SCRIPT:
        args = ["ask", "--json", text] + (["--conversation", conversation] if conversation else [])
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
        reply = json.loads(result.output)
        conversation, plan = reply["conversation"], reply.get("plan") or plan
    assert plan is not None
    with TestClient(create_app(get_settings(), warm=False)) as client:
        return _final(client.get(f"/v1/plans/{plan['id']}/versions/{plan['version']}").json())


def _through_api(client: TestClient) -> tuple[Any, ...]:
    conversation, plan = None, None
    for text in SCRIPT:
        reply = client.post("/v1/chat", json={"question": text, "conversation_id": conversation}).json()
        conversation, plan = reply["conversation"], reply.get("plan") or plan
    assert plan is not None
    return _final(client.get(f"/v1/plans/{plan['id']}/versions/{plan['version']}").json())


def _through_slack(kb_home: Path, tmp_path: Path) -> tuple[Any, ...]:
    with FakePlatform() as platform:
        settings = Settings(home=kb_home, database_url=f"sqlite:///{tmp_path / 'slack.db'}",
                            slack_signing_secret=SECRET, slack_bot_token="xoxb-test", slack_api_base=platform.url)
        with TestClient(create_app(settings, warm=False)) as client:
            thread = "1700000000.000100"
            for i, text in enumerate(SCRIPT):
                event = {"type": "app_mention", "user": "U1", "text": f"<@U0BOT> {text}", "ts": f"17000000{i:02d}.0001",
                         "thread_ts": thread, "channel": "CPLAN"}
                raw = json.dumps({"type": "event_callback", "event_id": f"Ev{uuid.uuid4().hex[:10]}", "event": event},
                                 ensure_ascii=False).encode()
                stamp = str(int(time.time()))
                signature = "v0=" + hmac.new(SECRET.encode(), f"v0:{stamp}:".encode() + raw, hashlib.sha256).hexdigest()
                response = client.post("/integrations/slack/events", content=raw,
                                       headers={"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature})
                assert response.status_code == 200, response.text
                platform.wait_for("/chat.postMessage", i + 1, timeout=120)
            replies = [r.body["text"] for r in platform.posted("/chat.postMessage")]
            assert replies[0].startswith("你们的烘焙圣诞活动：要起草方案，还需要：预算、开始日期、结束日期。")
            assert replies[3].startswith("已修改方案（第2版）：")
            conversation = thread_conversation(settings, "slack", f"CPLAN:{thread}")
            state = get_state(settings, conversation)
            assert state is not None and state.plan_id
            current = client.get(f"/v1/plans/{state.plan_id}").json()["current"]
            return _final(current)


def test_the_same_conversation_ends_in_the_same_plan_everywhere(
        kb_home: Path, tmp_path: Path, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-28")
    api = _through_api(client)
    slack = _through_slack(kb_home, tmp_path)
    dispose_all()
    cli = _through_cli(kb_home, tmp_path, monkeypatch)
    assert api[1]["budget"] == 20000 and api[1]["channels"] == ["小红书"]
    assert dict((item, amount) for item, amount in api[2])["宣传推广费用"] == 10000
    assert api[3][1][1:] == ("2026-12-13", "2026-12-19")  # 预热 one week before the 20th, the shift undone
    assert cli == api
    assert slack == api
