"""Slack Events API adapter: signatures as Slack computes them, replay window, replies in the thread."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.settings import Settings
from tests.api.test_integrations_fakes import FakePlatform, RecordingResponder, integrations_client

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@pytest.fixture
def responder() -> RecordingResponder:
    return RecordingResponder("中秋促销一般提前三周预热 [1]")


@pytest.fixture
def client(platform: FakePlatform, responder: RecordingResponder) -> TestClient:
    settings = Settings(slack_signing_secret=SECRET, slack_bot_token="xoxb-test-token",
                        slack_api_base=platform.url)
    return integrations_client(settings, responder)


def send(client: TestClient, payload: dict[str, Any], *, secret: str = SECRET, age: int = 0,
         headers: dict[str, str] | None = None, signature: str | None = None) -> Any:
    """POST ``payload`` signed the way Slack signs it: v0=HMAC-SHA256(secret, "v0:ts:body")."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    ts = str(int(time.time()) - age)
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    all_headers = {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature or f"v0={digest}",
                   "Content-Type": "application/json"}
    all_headers.update(headers or {})
    return client.post("/integrations/slack/events", content=body, headers=all_headers)


def mention(text: str, *, ts: str = "1700000000.000100", thread_ts: str | None = None, **extra: Any) -> dict:
    event: dict[str, Any] = {"type": "app_mention", "user": "U061F7AUR", "text": text, "ts": ts,
                             "channel": "C0LAN2Q65", "event_ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    event.update(extra)
    return {"token": "ignored", "team_id": "T061EG9R6", "api_app_id": "A0PNCHHK2", "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10]}", "event_time": int(time.time()), "event": event}


def test_url_verification_returns_the_challenge(client: TestClient) -> None:
    payload = {"token": "Jhj5dZrVaK7ZwHHjRyZWjbDl", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
               "type": "url_verification"}
    response = send(client, payload)
    assert response.status_code == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_mention_is_answered_in_the_thread_with_the_bot_token(
    client: TestClient, platform: FakePlatform, responder: RecordingResponder
) -> None:
    response = send(client, mention("<@U0LAN0Z89> 中秋节促销应该提前多久预热？"))
    assert response.status_code == 200
    assert response.json() == {"ok": True}
    [posted] = platform.wait_for("/chat.postMessage")
    assert responder.calls == [("中秋节促销应该提前多久预热？", "slack:C0LAN2Q65:1700000000.000100")]
    assert posted.headers["authorization"] == "Bearer xoxb-test-token"
    assert posted.body == {"channel": "C0LAN2Q65", "thread_ts": "1700000000.000100",
                           "text": "中秋促销一般提前三周预热 [1]"}


def test_reply_inside_an_existing_thread_uses_the_thread_root(client: TestClient, platform: FakePlatform) -> None:
    send(client, mention("<@U0LAN0Z89> 还有呢", ts="1700000100.000300", thread_ts="1700000000.000100"))
    [posted] = platform.wait_for("/chat.postMessage")
    assert posted.body["thread_ts"] == "1700000000.000100"


def test_direct_message_is_answered_but_channel_message_echo_is_not(
    client: TestClient, platform: FakePlatform, responder: RecordingResponder
) -> None:
    channel_copy = mention("<@U0LAN0Z89> 预算怎么分配", type="message", channel_type="channel")
    assert send(client, channel_copy).json()["ignored"] == "not a user message to the bot"
    direct = mention("预算怎么分配", type="message", channel_type="im", channel="D024BE91L")
    assert send(client, direct).json() == {"ok": True}
    assert [r.body["channel"] for r in platform.wait_for("/chat.postMessage")] == ["D024BE91L"]
    assert [call[0] for call in responder.calls] == ["预算怎么分配"]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"secret": "not-the-signing-secret"}, "bad_signature"),
        ({"signature": "v0=" + "0" * 64}, "bad_signature"),
        ({"age": 6 * 60}, "stale_request"),
        ({"age": -6 * 60}, "stale_request"),
    ],
)
def test_badly_signed_or_replayed_requests_get_401_and_no_reply(
    client: TestClient, platform: FakePlatform, responder: RecordingResponder, kwargs: dict, code: str
) -> None:
    response = send(client, mention("<@U0LAN0Z89> 你好"), **kwargs)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code
    assert responder.calls == []
    assert platform.requests == []


def test_unsigned_request_gets_401(client: TestClient, responder: RecordingResponder) -> None:
    response = client.post("/integrations/slack/events", json=mention("<@U0LAN0Z89> 你好"))
    assert response.status_code == 401
    assert "X-Slack-Signature" in response.json()["error"]["message"]
    assert responder.calls == []


def test_body_tampered_after_signing_gets_401(client: TestClient, responder: RecordingResponder) -> None:
    ts = str(int(time.time()))
    body = json.dumps(mention("你好"), ensure_ascii=False).encode()
    signature = "v0=" + hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    tampered = body.replace("你好".encode(), "泄露".encode())
    assert tampered != body
    response = client.post("/integrations/slack/events", content=tampered,
                           headers={"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature})
    assert response.status_code == 401
    assert responder.calls == []


def test_bot_messages_are_acknowledged_without_a_reply(
    client: TestClient, platform: FakePlatform, responder: RecordingResponder
) -> None:
    from_bot = send(client, mention("中秋促销一般提前三周预热", bot_id="B0LAN0Z89", subtype="bot_message"))
    assert from_bot.json() == {"ok": True, "ignored": "not a user message to the bot"}
    assert responder.calls == []
    assert platform.requests == []


def test_a_retry_of_an_accepted_event_is_ignored_but_a_retry_of_a_lost_one_is_answered(
    client: TestClient, platform: FakePlatform, responder: RecordingResponder
) -> None:
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    accepted = mention("<@U0LAN0Z89> 你好")
    assert send(client, accepted).json() == {"ok": True}
    assert send(client, accepted, headers=retry).json() == {"ok": True, "ignored": "duplicate event"}
    # The first delivery of this one never reached us (or we answered 503): Slack's retry is all we get.
    lost = mention("<@U0LAN0Z89> 预算怎么分配", ts="1700000200.000100")
    assert send(client, lost, headers=retry).json() == {"ok": True}
    assert len(platform.wait_for("/chat.postMessage", 2)) == 2
    assert sorted(call[0] for call in responder.calls) == sorted(["你好", "预算怎么分配"])


def test_the_same_event_delivered_twice_is_answered_once(
    client: TestClient, platform: FakePlatform, responder: RecordingResponder
) -> None:
    payload = mention("<@U0LAN0Z89> 你好")
    assert send(client, payload).json() == {"ok": True}
    assert send(client, payload).json() == {"ok": True, "ignored": "duplicate event"}
    assert len(platform.wait_for("/chat.postMessage")) == 1
    assert len(responder.calls) == 1


def test_not_configured_names_the_settings(responder: RecordingResponder) -> None:
    client = integrations_client(Settings(slack_bot_token="xoxb-only"), responder)
    response = client.post("/integrations/slack/events", json={"type": "url_verification", "challenge": "x"})
    assert response.status_code == 503
    assert response.json()["error"] == {
        "code": "integration_not_configured",
        "message": "the Slack integration is not configured: set CEHUA_SLACK_SIGNING_SECRET "
                   "in the server's environment",
    }


def test_an_unreachable_state_database_is_503_so_slack_retries_later(
    platform: FakePlatform, responder: RecordingResponder
) -> None:
    settings = Settings(slack_signing_secret=SECRET, slack_bot_token="xoxb-test-token", slack_api_base=platform.url,
                        database_url="postgresql://cehua:secret@127.0.0.1:1/cehua")
    response = send(integrations_client(settings, responder), mention("<@U0LAN0Z89> 你好"))
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "store_unavailable"
    assert "CEHUA_DATABASE_URL" in response.json()["error"]["message"]
    assert "secret" not in response.json()["error"]["message"]
    assert responder.calls == []
    assert platform.requests == []


class HeldResponder(RecordingResponder):
    """Answers only once released (a reply still running when its app is done)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def reply(self, text: str, *, thread: str) -> str:
        self.release.wait(60)
        return super().reply(text, thread=thread)


def test_replies_another_app_left_running_never_hold_back_this_apps(platform: FakePlatform,
                                                                    responder: RecordingResponder) -> None:
    # Replies run in the background after the webhook answered; an app's replies must not wait behind
    # those of an app before it (in tests: the previous test's; the same event once failed this way).
    settings = Settings(slack_signing_secret=SECRET, slack_bot_token="xoxb-test-token", slack_api_base=platform.url)
    held = HeldResponder()
    try:
        with integrations_client(settings, held) as earlier:
            for n in range(settings.max_concurrency + 2):
                assert send(earlier, mention(f"<@U0BOT> 慢问题{n}")).json() == {"ok": True}
        with integrations_client(settings, responder) as client:
            assert send(client, mention("<@U0BOT> 中秋促销提前多久预热？")).json() == {"ok": True}
            replies = platform.wait_for("/chat.postMessage", 1, timeout=10)
            assert [r.body["text"] for r in replies] == ["中秋促销一般提前三周预热 [1]"]
    finally:
        held.release.set()
        platform.wait_for("/chat.postMessage", settings.max_concurrency + 3, timeout=10)
