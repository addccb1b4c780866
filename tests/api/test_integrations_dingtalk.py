"""DingTalk outgoing-robot adapter: header signatures, the one-hour window, replies via sessionWebhook."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from tests.api.test_integrations_fakes import FakePlatform, RecordingResponder, integrations_client

APP_SECRET = "Gr7H0c-dingtalk-app-secret-x9"


@pytest.fixture
def responder() -> RecordingResponder:
    return RecordingResponder("预算建议按渠道拆分。")


@pytest.fixture
def client(platform: FakePlatform, responder: RecordingResponder) -> TestClient:
    settings = Settings(dingtalk_app_secret=APP_SECRET, dingtalk_webhook_base=platform.url + "/robot/")
    return integrations_client(settings, responder)


def robot_message(platform: FakePlatform, text: str, *, group: bool = True, **extra: Any) -> dict:
    message = {
        "conversationId": "cidp8mXb3bWnJ5zU3CQzzVUXg==", "atUsers": [{"dingtalkId": "$:LWCP_v1:$bot"}],
        "chatbotCorpId": "dinge8a565f4f", "chatbotUserId": "$:LWCP_v1:$bot", "msgId": f"msg{uuid.uuid4().hex}",
        "senderNick": "王策划", "isAdmin": False, "senderStaffId": "manager7140",
        "sessionWebhookExpiredTime": int(time.time() * 1000) + 3600_000, "createAt": int(time.time() * 1000),
        "senderCorpId": "dinge8a565f4f", "conversationType": "2" if group else "1",
        "senderId": "$:LWCP_v1:$sender", "conversationTitle": "市场部", "isInAtList": True,
        "sessionWebhook": platform.url + "/robot/sendBySession?session=c4e8f1",
        "text": {"content": text}, "robotCode": "dingbot", "msgtype": "text",
    }
    message.update(extra)
    return message


def send(client: TestClient, payload: dict, *, secret: str = APP_SECRET, age_ms: int = 0,
         sign: str | None = None) -> Any:
    """POST ``payload`` with DingTalk's headers: sign = base64(HMAC-SHA256(secret, ts + "\\n" + secret))."""
    ts = str(int(time.time() * 1000) - age_ms)
    digest = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    headers = {"timestamp": ts, "sign": sign or base64.b64encode(digest).decode()}
    return client.post("/integrations/dingtalk/events", json=payload, headers=headers)


def test_signed_group_message_is_answered_through_the_session_webhook(
    client: TestClient, platform: FakePlatform, responder: RecordingResponder
) -> None:
    response = send(client, robot_message(platform, " @策划助手 预算怎么分配？"))
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    [reply] = platform.wait_for("/robot/sendBySession")
    assert responder.calls == [("预算怎么分配？", "dingtalk:cidp8mXb3bWnJ5zU3CQzzVUXg==")]
    assert reply.query == {"session": "c4e8f1"}
    assert reply.body == {"msgtype": "text", "text": {"content": "预算建议按渠道拆分。"},
                          "at": {"atUserIds": ["manager7140"], "isAtAll": False}}


def test_direct_message_reply_does_not_at_anyone(client: TestClient, platform: FakePlatform) -> None:
    send(client, robot_message(platform, "你好", group=False))
    [reply] = platform.wait_for("/robot/sendBySession")
    assert reply.body == {"msgtype": "text", "text": {"content": "预算建议按渠道拆分。"}}


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"secret": "wrong-secret"}, "bad_signature"),
        ({"sign": base64.b64encode(b"x" * 32).decode()}, "bad_signature"),
        ({"age_ms": 61 * 60 * 1000}, "stale_request"),
        ({"age_ms": -61 * 60 * 1000}, "stale_request"),
    ],
)
def test_bad_or_stale_signatures_get_401_and_no_reply(
    client: TestClient, platform: FakePlatform, responder: RecordingResponder, kwargs: dict, code: str
) -> None:
    response = send(client, robot_message(platform, "你好"), **kwargs)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    assert responder.calls == []
    assert platform.requests == []


def test_a_59_minute_old_signature_is_still_accepted(client: TestClient, platform: FakePlatform) -> None:
    response = send(client, robot_message(platform, "你好"), age_ms=59 * 60 * 1000)
    assert response.json() == {"ok": True}


def test_unsigned_request_gets_401(client: TestClient, platform: FakePlatform, responder: RecordingResponder) -> None:
    response = client.post("/integrations/dingtalk/events", json=robot_message(platform, "你好"))
    assert response.status_code == 401
    assert responder.calls == []


def test_session_webhook_elsewhere_is_refused(
    client: TestClient, platform: FakePlatform, responder: RecordingResponder
) -> None:
    payload = robot_message(platform, "你好", sessionWebhook="http://169.254.169.254/latest/meta-data")
    response = send(client, payload)
    assert response.status_code == 400
    assert "CEHUA_DINGTALK_WEBHOOK_BASE" in response.json()["error"]["message"]
    assert responder.calls == []


def test_redelivered_message_is_answered_once(
    client: TestClient, platform: FakePlatform, responder: RecordingResponder
) -> None:
    payload = robot_message(platform, "你好")
    send(client, payload)
    assert send(client, payload).json() == {"ok": True, "ignored": "duplicate message"}
    assert len(platform.wait_for("/robot/sendBySession")) == 1


def test_not_configured_names_the_setting(responder: RecordingResponder) -> None:
    response = integrations_client(Settings(), responder).post("/integrations/dingtalk/events", json={})
    assert response.status_code == 503
    assert "CEHUA_DINGTALK_APP_SECRET" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("webhook", "allowed"),
    [
        ("https://oapi.dingtalk.com/robot/sendBySession?session=abc", True),
        ("https://OAPI.dingtalk.com/robot/sendBySession?session=abc", True),
        ("https://oapi.dingtalk.com.evil.example/robot/sendBySession", False),
        ("https://evil.example@oapi.dingtalk.com/robot/sendBySession", False),
        ("http://oapi.dingtalk.com/robot/sendBySession", False),
        ("https://oapi.dingtalk.com:8443/robot/sendBySession", False),
        ("https://oapi.dingtalk.com/robotx/send", False),
        ("https://oapi.dingtalk.com/robot", True),
    ],
)
def test_session_webhooks_must_be_on_dingtalks_host_and_path(webhook: str, allowed: bool) -> None:
    from api.integrations.dingtalk import webhook_allowed

    assert webhook_allowed(webhook, "https://oapi.dingtalk.com/robot") is allowed
    assert webhook_allowed(webhook, "https://oapi.dingtalk.com/robot/") is allowed
