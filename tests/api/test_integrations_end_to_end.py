"""End to end: a signed platform message goes through the real app, knowledge base, chat and drafting
services, and the reply arrives at the fake platform server."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from core.settings import Settings
from tests.api.test_integrations_fakes import FakePlatform

SLACK_SECRET = "e2e-slack-signing-secret"
DINGTALK_SECRET = "e2e-dingtalk-app-secret"


@pytest.fixture(scope="module")
def platform() -> Iterator[FakePlatform]:
    with FakePlatform() as fake:
        yield fake


@pytest.fixture(scope="module")
def client(platform: FakePlatform, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(home=tmp_path_factory.mktemp("e2e-home"), slack_signing_secret=SLACK_SECRET,
                        slack_bot_token="xoxb-e2e", slack_api_base=platform.url,
                        dingtalk_app_secret=DINGTALK_SECRET, dingtalk_webhook_base=platform.url + "/robot/")
    with TestClient(create_app(settings, warm=False)) as test_client:
        yield test_client


def slack_mention(client: TestClient, text: str, ts: str) -> None:
    event = {"type": "app_mention", "user": "U061F7AUR", "text": f"<@U0BOT> {text}", "ts": ts, "channel": "C0PLAN"}
    body = json.dumps({"type": "event_callback", "event_id": f"Ev{uuid.uuid4().hex[:10]}", "event": event},
                      ensure_ascii=False)
    raw = body.encode()
    stamp = str(int(time.time()))
    signature = "v0=" + hmac.new(SLACK_SECRET.encode(), f"v0:{stamp}:".encode() + raw, hashlib.sha256).hexdigest()
    response = client.post("/integrations/slack/events", content=raw,
                           headers={"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature})
    assert response.status_code == 200, response.text
    assert response.json() == {"ok": True}


def dingtalk_message(client: TestClient, platform: FakePlatform, text: str, conversation: str = "cid-e2e") -> None:
    stamp = str(int(time.time() * 1000))
    sign = base64.b64encode(hmac.new(DINGTALK_SECRET.encode(), f"{stamp}\n{DINGTALK_SECRET}".encode(),
                                     hashlib.sha256).digest()).decode()
    payload = {"msgtype": "text", "text": {"content": text}, "msgId": uuid.uuid4().hex, "conversationType": "1",
               "conversationId": conversation, "senderId": "sender-e2e",
               "sessionWebhook": platform.url + "/robot/sendBySession?session=e2e"}
    response = client.post("/integrations/dingtalk/events", json=payload, headers={"timestamp": stamp, "sign": sign})
    assert response.status_code == 200, response.text


def test_a_slack_question_gets_a_grounded_answer_with_sources_in_its_thread(
    client: TestClient, platform: FakePlatform
) -> None:
    before = len(platform.posted("/chat.postMessage"))
    slack_mention(client, "中秋节促销活动怎么设计主题？", ts="1700000500.000100")
    reply = platform.wait_for("/chat.postMessage", before + 1)[before]
    assert reply.headers["authorization"] == "Bearer xoxb-e2e"
    assert reply.body["channel"] == "C0PLAN"
    assert reply.body["thread_ts"] == "1700000500.000100"
    text = reply.body["text"]
    assert "中秋" in text
    assert "\n\n来源：\n[1] " in text
    assert " › " in text.split("来源：", 1)[1]


def test_a_plan_request_on_dingtalk_gets_a_drafted_plan_summary_with_findings(
    client: TestClient, platform: FakePlatform
) -> None:
    before = len(platform.posted("/robot/sendBySession"))
    dingtalk_message(client, platform, "@策划助手 帮我做个中秋节月饼促销方案，预算50万，9月1日到9月17日")
    reply = platform.wait_for("/robot/sendBySession", before + 1, timeout=120)[before]
    text = reply.body["text"]["content"]
    assert text.startswith("已起草方案《")
    assert "，总预算50万元" in text.splitlines()[0]
    assert "\n· 一、" in text
    assert "校验通过：没有发现错误。" in text or "校验发现 0 个错误" in text
    plan_id = text.rsplit("方案编号：", 1)[1].split("（", 1)[0]
    stored = client.get(f"/v1/plans/{plan_id}")
    assert stored.status_code == 200
    assert stored.json()["status"] == "ready"
    assert stored.json()["brief"]["budget"] == 500000
    docx = client.get(f"/v1/plans/{plan_id}/export", params={"format": "docx"})
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_a_plan_request_without_budget_or_dates_asks_for_them(client: TestClient, platform: FakePlatform) -> None:
    before = len(platform.posted("/robot/sendBySession"))
    dingtalk_message(client, platform, "帮我做个春节促销方案", conversation="cid-e2e-ask")  # a thread of its own
    reply = platform.wait_for("/robot/sendBySession", before + 1)[before]
    assert reply.body["text"]["content"] == ("你们的春节活动：要起草方案，还需要：预算、开始日期、结束日期。直接告诉我就行，"
                                             "例如「预算5万，下个月1号到15号」。另外，卖的是什么产品，打算用什么优惠玩法"
                                             "（比如满减、买赠、秒杀）？没想好也可以先不说。")


def test_a_thread_without_a_public_url_gets_no_link_it_cannot_open_but_how_to_get_the_file(
    client: TestClient, platform: FakePlatform
) -> None:
    # A DingTalk user cannot open 「/v1/plans/…」: with no CEHUA_PUBLIC_URL the reply says what the path is and how
    # to use it, and the drafted summary offers 「导出word」 without a path.
    before = len(platform.posted("/robot/sendBySession"))
    dingtalk_message(client, platform, "帮我做个双十二女装促销方案,预算10万,12月5号到12号", conversation="cid-e2e-file")
    drafted = platform.wait_for("/robot/sendBySession", before + 1, timeout=120)[before].body["text"]["content"]
    plan_id = drafted.rsplit("方案编号：", 1)[1].split("（", 1)[0]
    assert drafted.splitlines()[-1] == f"方案编号：{plan_id}（要 Word 文件，说「导出word」）"
    dingtalk_message(client, platform, "导出word", conversation="cid-e2e-file")
    word = platform.wait_for("/robot/sendBySession", before + 2)[before + 1].body["text"]["content"]
    assert word == (f"《双十二女装促销方案》第1版的Word文件在 Cehua 服务上的下载路径：/v1/plans/{plan_id}/export?format=docx"
                    "（在服务的网址后加上这段路径即可下载；管理员设置 CEHUA_PUBLIC_URL 后，这里会直接给出可以打开的链接）")


def test_a_thread_with_a_public_url_gets_absolute_file_links(client: TestClient) -> None:
    from api.deps import Services
    from api.integrations.respond import AssistantResponder

    settings = client.app.state.settings.model_copy(update={"public_url": "https://cehua.example.com"})  # type: ignore[attr-defined]
    responder = AssistantResponder(Services(settings).planning_chat, settings)
    drafted = responder.reply("帮我做个双十二女装促销方案,预算10万,12月5号到12号", thread="slack:C0PLAN:1700000900.000100")
    plan_id = drafted.rsplit("方案编号：", 1)[1].split("（", 1)[0]
    link = f"https://cehua.example.com/v1/plans/{plan_id}/export?format=docx"
    assert drafted.splitlines()[-1] == f"方案编号：{plan_id}（要 Word 文件，说「导出word」，或下载 {link}）"
    word = responder.reply("导出word", thread="slack:C0PLAN:1700000900.000100")
    assert word == f"《双十二女装促销方案》第1版的Word文件：{link}"
